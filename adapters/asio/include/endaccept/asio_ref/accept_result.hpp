#pragma once
// The IAsyncResult of BeginAccept. It knows the listener that made it, holds
// the accepted connection until EndAccept takes it, and lets exactly one
// EndAccept take it.
#include <asio/ip/tcp.hpp>
#include <atomic>
#include <memory>

#include "endaccept/asio_ref/async_operation.hpp"

namespace ea::asio_ref {

class Socket;

class AcceptResult final : public AsyncOperation {
 public:
  AcceptResult(std::weak_ptr<const Socket> listener, apm::AsyncCallback callback, apm::State state);

  bool belongs_to(const Socket& listener) const;

  // Reserves the result for one EndAccept; any later one gets
  // InvalidOperationException, even when both race before completion.
  void claim();

  // Blocks until the accept completed or the listener closed.
  std::shared_ptr<Socket> wait_for_socket();

  // The accept handler, on a worker thread.
  void complete(std::error_code error, asio::ip::tcp::socket peer);

  // The listener closed: wakes a blocked EndAccept and closes the connection
  // nobody claimed, so that it does not outlive its listener.
  void abandon();

  // Claimed and completed: nothing left to hand out or to close.
  bool settled() const;

 private:
  const std::weak_ptr<const Socket> listener_;
  std::atomic<bool> claimed_{false};
  bool abandoned_ = false;            // guarded by mutex_
  std::shared_ptr<Socket> accepted_;  // guarded by mutex_
};

}  // namespace ea::asio_ref
