#pragma once
// The accept contract of System.Net.Sockets.Socket on standalone Asio.
//
// Asio objects are not safe to share between threads, so every call on the
// acceptor or stream below is made under mutex_. Blocking calls start an
// asynchronous operation under the lock and wait for it outside, which lets
// Close cancel them.
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <memory>
#include <mutex>
#include <vector>

#include "endaccept/apm/socket.hpp"

namespace ea::asio_ref {

class AcceptResult;

// Must be owned by a std::shared_ptr: results refer back to their listener.
class Socket final : public apm::Socket, public std::enable_shared_from_this<Socket> {
 public:
  Socket(asio::io_context& context, apm::Family family);
  // Adopts a connected (or not yet opened) Asio socket.
  explicit Socket(asio::ip::tcp::socket stream);
  ~Socket() override;

  void listen_on_loopback(int backlog) override;
  apm::Endpoint local_endpoint() const override;
  std::optional<apm::Endpoint> remote_endpoint() const override;
  bool connected() const override;
  std::string identity() const override;

  std::shared_ptr<apm::AsyncResult> begin_accept(apm::AsyncCallback callback, apm::State state) override;
  std::shared_ptr<apm::Socket> end_accept(const std::shared_ptr<apm::AsyncResult>& result) override;
  std::shared_ptr<apm::AsyncResult> begin_connect(const apm::Endpoint& remote, apm::AsyncCallback callback,
                                                  apm::State state) override;

  std::size_t send(const std::string& data) override;
  std::string receive(std::size_t max) override;

  void close() override;

 private:
  AcceptResult& own_result(apm::AsyncResult& result);
  void start_accept(const std::shared_ptr<AcceptResult>& result);  // requires mutex_
  void retry_accept(const std::shared_ptr<AcceptResult>& result);  // Mutant::accept_error_swallowed
  bool is_closed() const;
  void throw_if_closed() const;     // requires mutex_
  void throw_if_unconnected() const;  // requires mutex_

  mutable std::mutex mutex_;
  // Mutable because Asio offers native_handle() on non-const objects only.
  mutable asio::ip::tcp::acceptor acceptor_;
  mutable asio::ip::tcp::socket stream_;
  const apm::Family family_;
  bool closed_ = false;
  bool stopped_accepting_ = false;  // set only by Mutant::listener_stops
  // Accepts that may still hold a connection or a waiting EndAccept.
  std::vector<std::weak_ptr<AcceptResult>> outstanding_;
};

// A socket on WorkerPool::shared().
std::shared_ptr<Socket> make_socket(apm::Family family);

}  // namespace ea::asio_ref
