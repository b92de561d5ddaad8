#include "endaccept/posix_impl/socket.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <utility>

#include "endaccept/posix_impl/accept_result.hpp"
#include "endaccept/posix_impl/connect_result.hpp"
#include "endaccept/posix_impl/mutant.hpp"
#include "endaccept/posix_impl/socket_address.hpp"
#include "endaccept/posix_impl/socket_error.hpp"

namespace ea::posix_impl {
namespace {

constexpr const char* closed_message = "the socket has been closed";

// False with errno set when fcntl failed.
bool set_non_blocking(int fd, bool non_blocking) noexcept {
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0) return false;
  const int wanted = non_blocking ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
  return wanted == flags || ::fcntl(fd, F_SETFL, wanted) == 0;
}

// Waits for a non-blocking connect to finish; returns its errno, 0 on success.
int await_connect(int fd) {
  pollfd writable{fd, POLLOUT, 0};
  while (::poll(&writable, 1, -1) < 0) {
    if (errno != EINTR) return errno;
  }
  int error = 0;
  socklen_t length = sizeof(error);
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) return errno;
  return error;
}

}  // namespace

std::shared_ptr<Socket> Socket::open(apm::Family family) {
  UniqueFd fd(::socket(address_family(family), SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP));
  if (!fd.valid()) throw_socket_error(errno);
  return std::make_shared<Socket>(family, std::move(fd));
}

Socket::~Socket() { close(); }

void Socket::listen_on_loopback(int backlog) {
  std::lock_guard lock(mutex_);
  if (closed_) throw apm::ObjectDisposedException(closed_message);
  auto listener = fd_.use();
  const auto address = SocketAddress::loopback(family_, 0);
  if (::bind(listener.get(), address.get(), address.length) != 0) throw_socket_error(errno);
  if (::listen(listener.get(), backlog) != 0) throw_socket_error(errno);
  // A connection reset between the acceptor's poll() and its accept4() must
  // not leave accept4() blocking the acceptor thread.
  if (!set_non_blocking(listener.get(), true)) throw_socket_error(errno);
  acceptor_ = std::make_unique<Acceptor>(std::move(listener));
}

apm::Endpoint Socket::local_endpoint() const {
  auto socket = fd_.use();
  SocketAddress address;
  if (::getsockname(socket.get(), address.get(), &address.length) != 0) throw_socket_error(errno);
  return address.to_endpoint();
}

std::optional<apm::Endpoint> Socket::remote_endpoint() const {
  auto socket = fd_.use();
  SocketAddress address;
  if (::getpeername(socket.get(), address.get(), &address.length) == 0) return address.to_endpoint();
  if (errno == ENOTCONN) return std::nullopt;
  throw_socket_error(errno);
}

bool Socket::connected() const {
  auto socket = fd_.try_use();
  if (!socket) return false;
  SocketAddress address;
  return ::getpeername(socket->get(), address.get(), &address.length) == 0;
}

std::string Socket::identity() const { return "fd:" + std::to_string(fd_.number()); }

std::shared_ptr<apm::AsyncResult> Socket::begin_accept(apm::AsyncCallback callback, apm::State state) {
  std::lock_guard lock(mutex_);
  if (closed_) throw apm::ObjectDisposedException(closed_message);
  if (!acceptor_) throw apm::InvalidOperationException("the socket is not listening");
  return acceptor_->begin(std::move(callback), std::move(state));
}

std::shared_ptr<apm::Socket> Socket::end_accept(const std::shared_ptr<apm::AsyncResult>& result) {
  constexpr const char* ended_message = "EndAccept was already called";
  std::shared_ptr<AcceptResult> accept;
  if (mutant::active(Mutant::foreign_rejected_after_wait)) {
    // MUTANT foreign-rejected-after-wait: the acceptor that served a result
    // is known for certain once it has completed, so the checks wait for that.
    if (auto pending = std::dynamic_pointer_cast<AcceptResult>(result)) pending->wait(std::chrono::milliseconds(-1));
  }
  {
    std::lock_guard lock(mutex_);
    if (closed_) throw apm::ObjectDisposedException(closed_message);
    if (!result) throw apm::ArgumentNullException("asyncResult is null");
    accept = std::dynamic_pointer_cast<AcceptResult>(result);
    // MUTANT claim-before-owner-check: claimed under the socket's lock along
    // with the checks, so that two EndAccepts cannot both get past them.
    if (accept && mutant::active(Mutant::claim_before_owner_check) && !accept->claim()) {
      throw apm::InvalidOperationException(ended_message);
    }
    // MUTANT owner-checked-only-pending: a completed accept already holds its
    // socket; only a pending one depends on this listener's acceptor.
    const bool check_owner = !mutant::active(Mutant::owner_checked_only_pending) || (accept && !accept->is_completed());
    if (!accept || !acceptor_ || (check_owner && !acceptor_->issued(*accept))) {
      throw apm::ArgumentException("asyncResult was not returned by BeginAccept on this socket");
    }
  }
  UniqueFd accepted;
  if (mutant::active(Mutant::claim_before_owner_check)) {
    accepted = accept->take_accepted();
  } else if (mutant::active(Mutant::end_once_check_wait_set)) {
    // MUTANT end-once-check-wait-set: the result is marked ended only once
    // EndAccept has its outcome, so an EndAccept that fails leaves it endable.
    if (accept->claimed()) throw apm::InvalidOperationException(ended_message);
    accepted = accept->take_accepted();
    accept->mark_claimed();
  } else if (mutant::active(Mutant::end_once_check_then_set)) {
    // MUTANT end-once-check-then-set: a cheap read of the flag first; the
    // flag is set right after.
    if (accept->claimed()) throw apm::InvalidOperationException(ended_message);
    accept->mark_claimed();
    accepted = accept->take_accepted();
  } else if (mutant::active(Mutant::claim_after_wait)) {
    // MUTANT claim-after-wait: wait without holding anything, then claim;
    // the claim is quick once the outcome is there.
    accept->wait(std::chrono::milliseconds(-1));
    if (!accept->claim()) throw apm::InvalidOperationException(ended_message);
    accepted = accept->take_accepted();
  } else {
    if (!accept->claim()) throw apm::InvalidOperationException(ended_message);
    accepted = accept->take_accepted();
  }
  auto socket = std::make_shared<Socket>(family_, std::move(accepted));
  // MUTANT end-runs-callback: EndAccept finishes the operation, so it makes
  // sure the callback has run before the caller goes on; the acceptor thread
  // may still be on its way to it.
  if (mutant::active(Mutant::end_runs_callback)) accept->run_callback();
  return socket;
}

std::shared_ptr<apm::AsyncResult> Socket::begin_connect(const apm::Endpoint& remote,
                                                        apm::AsyncCallback callback,
                                                        apm::State state) {
  std::lock_guard lock(mutex_);
  if (closed_) throw apm::ObjectDisposedException(closed_message);
  if (acceptor_) throw apm::InvalidOperationException("a listening socket cannot connect");
  if (connector_.started()) throw apm::InvalidOperationException("a connect was already begun");
  const auto address = SocketAddress::from_endpoint(family_, remote);
  auto socket = fd_.use();
  if (!set_non_blocking(socket.get(), true)) throw_socket_error(errno);
  const int started = ::connect(socket.get(), address.get(), address.length) == 0 ? 0 : errno;

  auto result = std::make_shared<ConnectResult>(std::move(callback), std::move(state));
  connector_ = BackgroundThread([result, socket = std::move(socket), started]() mutable {
    const bool pending = started == EINPROGRESS || started == EINTR;
    const int error = pending ? await_connect(socket.get()) : started;
    // Send and receive block. fcntl cannot fail on a descriptor held open.
    set_non_blocking(socket.get(), false);
    // Released before the callback, which may drop the last reference to
    // this socket.
    socket = GuardedFd::Use();
    result->complete(error);
    result->run_callback();
  });
  return result;
}

std::size_t Socket::send(const std::string& data) {
  auto socket = fd_.use();
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t count = ::send(socket.get(), data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (count >= 0) {
      sent += static_cast<std::size_t>(count);
    } else if (errno != EINTR) {
      throw_io_error(errno);
    }
  }
  return sent;
}

std::string Socket::receive(std::size_t max) {
  auto socket = fd_.use();
  std::string data(max, '\0');
  for (;;) {
    const ssize_t count = ::recv(socket.get(), data.data(), data.size(), 0);
    if (count >= 0) {
      data.resize(static_cast<std::size_t>(count));
      return data;
    }
    if (errno != EINTR) throw_io_error(errno);
  }
}

void Socket::close() {
  std::unique_ptr<Acceptor> acceptor;
  BackgroundThread connector;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    // MUTANT close-under-socket-lock: the acceptor is destroyed before the
    // lock is released, so that no BeginAccept sees a half-closed socket.
    if (mutant::active(Mutant::close_under_socket_lock)) acceptor_.reset();
    acceptor = std::move(acceptor_);
    connector = std::move(connector_);
  }
  // Outside mutex_: the acceptor waits for its thread, whose callbacks may
  // call into this socket. It goes first because it still uses the listener.
  acceptor.reset();
  fd_.close();  // also wakes a connect in progress
  connector.finish();
}

void Socket::throw_io_error(int errno_value) const {
  // A call that close() woke reports the close rather than the shutdown used.
  if (fd_.is_closed()) throw apm::ObjectDisposedException(closed_message);
  throw_socket_error(errno_value);
}

}  // namespace ea::posix_impl
