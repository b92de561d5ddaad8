#include "endaccept/asio_ref/socket.hpp"

#include <algorithm>
#include <asio/error.hpp>
#include <asio/use_future.hpp>
#include <chrono>
#include <csignal>
#include <future>
#include <stdexcept>
#include <thread>

#include "endaccept/asio_ref/accept_result.hpp"
#include "endaccept/asio_ref/connect_result.hpp"
#include "endaccept/asio_ref/mutant.hpp"
#include "endaccept/asio_ref/trace.hpp"
#include "endaccept/asio_ref/worker_pool.hpp"
#include "socket_error.hpp"

namespace ea::asio_ref {
namespace {

using asio::ip::tcp;

constexpr std::size_t max_receive_chunk = 64 * 1024;
constexpr int wsa_not_connected = 10057;

apm::Endpoint to_endpoint(const tcp::endpoint& endpoint) {
  return {endpoint.address().to_string(), endpoint.port()};
}

std::string to_text(const apm::Endpoint& endpoint) {
  const auto port = std::to_string(endpoint.port);
  const bool is_v6 = endpoint.address.find(':') != std::string::npos;
  return is_v6 ? "[" + endpoint.address + "]:" + port : endpoint.address + ":" + port;
}

std::string to_text(const tcp::endpoint& endpoint) { return to_text(to_endpoint(endpoint)); }

apm::Family family_of(const tcp::socket& stream) {
  std::error_code error;
  const auto local = stream.local_endpoint(error);
  return !error && local.address().is_v6() ? apm::Family::ipv6 : apm::Family::ipv4;
}

[[noreturn]] void throw_disposed() { throw apm::ObjectDisposedException("the socket has been closed"); }

// Waits for a transfer that Close may cancel; end of stream is 0 bytes.
std::size_t await_transfer(std::future<std::size_t>& transfer) {
  try {
    return transfer.get();
  } catch (const std::system_error& e) {
    if (e.code() == asio::error::eof) return 0;
    if (e.code() == asio::error::operation_aborted) throw_disposed();
    throw_socket_error(e.code());
  }
}

void trace_accept(const tcp::endpoint& listener, const std::error_code& error, const tcp::socket& peer) {
  if (!trace::enabled() || error == asio::error::operation_aborted) return;
  std::error_code ignored;
  trace::emit(error ? "Accept: listener " + to_text(listener) + " failed: " + error.message()
                    : "Accept: listener " + to_text(listener) + " accepted " + to_text(peer.remote_endpoint(ignored)));
}

}  // namespace

Socket::Socket(asio::io_context& context, apm::Family family)
    : acceptor_(context), stream_(context), family_(family) {}

Socket::Socket(tcp::socket stream)
    : acceptor_(stream.get_executor()), stream_(std::move(stream)), family_(family_of(stream_)) {}

Socket::~Socket() { close(); }

void Socket::listen_on_loopback(int backlog) {
  std::lock_guard lock(mutex_);
  throw_if_closed();
  if (acceptor_.is_open() || stream_.is_open()) throw apm::InvalidOperationException("the socket is already in use");
  const tcp::endpoint loopback(
      family_ == apm::Family::ipv6 ? asio::ip::address(asio::ip::address_v6::loopback())
                                   : asio::ip::address(asio::ip::address_v4::loopback()),
      0);
  std::error_code error;
  acceptor_.open(loopback.protocol(), error);
  if (!error) acceptor_.bind(loopback, error);
  if (!error) acceptor_.listen(backlog, error);
  if (error) {
    std::error_code ignored;
    acceptor_.close(ignored);
    throw_socket_error(error);
  }
}

apm::Endpoint Socket::local_endpoint() const {
  std::lock_guard lock(mutex_);
  std::error_code error;
  const auto local = acceptor_.is_open() ? acceptor_.local_endpoint(error) : stream_.local_endpoint(error);
  return error ? apm::Endpoint{} : to_endpoint(local);
}

std::optional<apm::Endpoint> Socket::remote_endpoint() const {
  std::lock_guard lock(mutex_);
  std::error_code error;
  const auto remote = stream_.remote_endpoint(error);
  if (error) return std::nullopt;
  return to_endpoint(remote);
}

bool Socket::connected() const { return !is_closed() && remote_endpoint().has_value(); }

std::string Socket::identity() const {
  std::lock_guard lock(mutex_);
  if (acceptor_.is_open()) return "fd:" + std::to_string(acceptor_.native_handle());
  if (stream_.is_open()) return "fd:" + std::to_string(stream_.native_handle());
  return "fd:-1";
}

std::shared_ptr<apm::AsyncResult> Socket::begin_accept(apm::AsyncCallback callback, apm::State state) {
  auto result = std::make_shared<AcceptResult>(weak_from_this(), std::move(callback), std::move(state));
  {
    std::lock_guard lock(mutex_);
    throw_if_closed();
    if (!acceptor_.is_open()) throw apm::InvalidOperationException("Listen must be called before BeginAccept");
    std::erase_if(outstanding_, [](const auto& weak) {
      const auto outstanding = weak.lock();
      return !outstanding || outstanding->settled();
    });
    outstanding_.push_back(result);
    if (!stopped_accepting_) start_accept(result);
    if (trace::enabled()) {
      std::error_code ignored;
      trace::emit("BeginAccept: listener " + to_text(acceptor_.local_endpoint(ignored)));
    }
  }
  if (mutant::active(Mutant::callback_inline)) result->call_back_now();
  return result;
}

void Socket::start_accept(const std::shared_ptr<AcceptResult>& result) {
  std::error_code ignored;
  acceptor_.async_accept([result, listener = weak_from_this(), where = acceptor_.local_endpoint(ignored)](
                             std::error_code error, tcp::socket peer) {
    if (error && error != asio::error::operation_aborted && mutant::active(Mutant::accept_error_swallowed)) {
      if (const auto self = listener.lock()) self->retry_accept(result);
      return;
    }
    trace_accept(where, error, peer);
    result->complete(error, std::move(peer));
  });
}

void Socket::retry_accept(const std::shared_ptr<AcceptResult>& result) {
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::lock_guard lock(mutex_);
  if (!closed_) start_accept(result);
}

std::shared_ptr<apm::Socket> Socket::end_accept(const std::shared_ptr<apm::AsyncResult>& result) {
  if (is_closed() &&
      !(mutant::active(Mutant::no_disposed_check_after_completion) && result && result->is_completed())) {
    throw_disposed();
  }
  if (!result) {
    if (mutant::active(Mutant::null_accepted)) return end_accept(begin_accept({}, nullptr));
    throw apm::ArgumentNullException("asyncResult is null");
  }
  AcceptResult& accept = own_result(*result);
  accept.claim();
  auto accepted = accept.wait_for_socket();

  if (trace::enabled()) {
    trace::emit("EndAccept: returned the connection from " +
                to_text(accepted->remote_endpoint().value_or(apm::Endpoint{})));
  }
  if (mutant::active(Mutant::listener_stops)) {
    std::lock_guard lock(mutex_);
    stopped_accepting_ = true;
  }
  if (mutant::active(Mutant::returns_listener)) {
    accepted->close();
    return shared_from_this();
  }
  if (mutant::active(Mutant::not_connected)) {
    accepted->close();
    return std::make_shared<Socket>(tcp::socket(acceptor_.get_executor()));
  }
  return accepted;
}

AcceptResult& Socket::own_result(apm::AsyncResult& result) {
  auto* accept = dynamic_cast<AcceptResult*>(&result);
  if (accept && (accept->belongs_to(*this) || mutant::active(Mutant::no_owner_check))) return *accept;

  if (mutant::active(Mutant::crash_on_foreign)) std::raise(SIGSEGV);
  if (mutant::active(Mutant::other_operation_accepted) && dynamic_cast<ConnectResult*>(&result)) {
    while (!result.wait(std::chrono::hours(1))) {
    }
    throw std::runtime_error("EndAccept: the operation accepted no connection");
  }
  if (mutant::active(Mutant::foreign_wrong_exception)) {
    throw apm::InvalidOperationException("asyncResult was not returned by BeginAccept on this socket");
  }
  throw apm::ArgumentException("asyncResult was not returned by BeginAccept on this socket");
}

std::shared_ptr<apm::AsyncResult> Socket::begin_connect(const apm::Endpoint& remote, apm::AsyncCallback callback,
                                                        apm::State state) {
  std::error_code error;
  const auto address = asio::ip::make_address(remote.address, error);
  if (error) throw apm::ArgumentException("not an IP address: " + remote.address);
  auto result = std::make_shared<ConnectResult>(std::move(callback), std::move(state));
  std::lock_guard lock(mutex_);
  throw_if_closed();
  if (acceptor_.is_open()) throw apm::InvalidOperationException("a listening socket cannot connect");
  stream_.async_connect(tcp::endpoint(address, remote.port), [result](std::error_code error) { result->complete(error); });
  return result;
}

std::size_t Socket::send(const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    std::future<std::size_t> written;
    {
      std::lock_guard lock(mutex_);
      throw_if_closed();
      throw_if_unconnected();
      written = stream_.async_write_some(asio::buffer(data.data() + sent, data.size() - sent), asio::use_future);
    }
    sent += await_transfer(written);
  }
  return sent;
}

std::string Socket::receive(std::size_t max) {
  std::string buffer(std::min(max, max_receive_chunk), '\0');
  if (buffer.empty()) return buffer;
  std::future<std::size_t> received;
  {
    std::lock_guard lock(mutex_);
    throw_if_closed();
    throw_if_unconnected();
    received = stream_.async_read_some(asio::buffer(buffer), asio::use_future);
  }
  buffer.resize(await_transfer(received));
  return buffer;
}

void Socket::close() {
  std::lock_guard lock(mutex_);
  if (closed_) return;
  closed_ = true;
  for (const auto& weak : outstanding_) {
    if (const auto outstanding = weak.lock()) outstanding->abandon();
  }
  outstanding_.clear();
  std::error_code ignored;
  acceptor_.close(ignored);
  stream_.close(ignored);
}

bool Socket::is_closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

void Socket::throw_if_closed() const {
  if (closed_) throw_disposed();
}

void Socket::throw_if_unconnected() const {
  if (!stream_.is_open()) throw apm::SocketException(wsa_not_connected, "the socket is not connected");
}

std::shared_ptr<Socket> make_socket(apm::Family family) {
  return std::make_shared<Socket>(WorkerPool::shared().context(), family);
}

}  // namespace ea::asio_ref
