#pragma once
// ea::apm::Socket on raw BSD sockets: a listener's accepts complete on its
// acceptor thread, a connect completes on a thread of its own.
#include <memory>
#include <mutex>

#include "endaccept/apm/socket.hpp"
#include "endaccept/posix_impl/acceptor.hpp"
#include "endaccept/posix_impl/background_thread.hpp"
#include "endaccept/posix_impl/explored_mutex.hpp"
#include "endaccept/posix_impl/guarded_fd.hpp"
#include "endaccept/posix_impl/unique_fd.hpp"

namespace ea::posix_impl {

class Socket final : public apm::Socket {
 public:
  // An unbound TCP socket; throws SocketException when none can be created.
  // Matches apm::SocketFactory.
  static std::shared_ptr<Socket> open(apm::Family family);

  Socket(apm::Family family, UniqueFd fd) noexcept : family_(family), fd_(std::move(fd)) {}
  ~Socket() override;

  void listen_on_loopback(int backlog) override;
  apm::Endpoint local_endpoint() const override;
  std::optional<apm::Endpoint> remote_endpoint() const override;
  bool connected() const override;
  std::string identity() const override;

  std::shared_ptr<apm::AsyncResult> begin_accept(apm::AsyncCallback callback,
                                                 apm::State state) override;
  std::shared_ptr<apm::Socket> end_accept(const std::shared_ptr<apm::AsyncResult>& result) override;
  std::shared_ptr<apm::AsyncResult> begin_connect(const apm::Endpoint& remote,
                                                  apm::AsyncCallback callback,
                                                  apm::State state) override;

  std::size_t send(const std::string& data) override;
  std::string receive(std::size_t max) override;

  void close() override;

 private:
  [[noreturn]] void throw_io_error(int errno_value) const;

  const apm::Family family_;
  GuardedFd fd_;
  mutable ExploredMutex mutex_;
  // Guarded by mutex_:
  bool closed_ = false;
  std::unique_ptr<Acceptor> acceptor_;  // while listening
  BackgroundThread connector_;          // once connecting
};

}  // namespace ea::posix_impl
