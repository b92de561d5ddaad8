#pragma once
// Receives on a socket from a helper thread, so that a request can wait with
// a timeout on a blocking Receive. Bytes a timed-out request did not take
// stay buffered for the next one instead of being lost with its thread.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "endaccept/apm/socket.hpp"
#include "endaccept/host/adapter.hpp"

namespace ea::host {

class SocketReader : public std::enable_shared_from_this<SocketReader> {
 public:
  explicit SocketReader(std::shared_ptr<apm::Socket> socket) : socket_(std::move(socket)) {}

  // Keeps receiving until `total` bytes have arrived since the reader began.
  void want(std::size_t total);

  // All bytes gathered so far, after waiting for `total` of them.
  std::string gathered(std::size_t total, std::chrono::milliseconds timeout);

  struct Taken {
    std::string data;
    Json outcome;
  };
  // Up to `count` bytes not taken before; the outcome is the receive error
  // when the stream failed before `count` bytes arrived.
  Taken take(std::size_t count, std::chrono::milliseconds timeout);

 private:
  void receive_loop();
  bool settled(std::size_t total) const;  // requires mutex_

  const std::shared_ptr<apm::Socket> socket_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string data_;
  std::size_t taken_ = 0;
  std::size_t wanted_ = 0;
  bool receiving_ = false;
  bool ended_ = false;
  std::optional<Json> error_;
};

}  // namespace ea::host
