#include "test_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "endaccept/posix_impl/socket_address.hpp"

namespace ea::posix_impl::testing {

std::shared_ptr<Socket> make_listener(apm::Family family) {
  auto listener = Socket::open(family);
  listener->listen_on_loopback(16);
  return listener;
}

bool ipv6_available() {
  UniqueFd probe(::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!probe.valid()) return false;
  const auto loopback = SocketAddress::loopback(apm::Family::ipv6, 0);
  return ::bind(probe.get(), loopback.get(), loopback.length) == 0;
}

UniqueFd connect_client(const apm::Endpoint& endpoint) {
  const auto family = endpoint.address.find(':') == std::string::npos ? apm::Family::ipv4
                                                                      : apm::Family::ipv6;
  UniqueFd client(::socket(address_family(family), SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!client.valid()) throw std::runtime_error("socket() failed");
  const auto address = SocketAddress::from_endpoint(family, endpoint);
  if (::connect(client.get(), address.get(), address.length) != 0) {
    throw std::runtime_error("connect() failed");
  }
  return client;
}

apm::Endpoint local_endpoint_of(int fd) {
  SocketAddress address;
  if (::getsockname(fd, address.get(), &address.length) != 0) {
    throw std::runtime_error("getsockname() failed");
  }
  return address.to_endpoint();
}

namespace {

std::size_t entries_in(const char* directory) {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(directory)) ++count;
  return count;
}

}  // namespace

std::size_t open_descriptor_count() { return entries_in("/proc/self/fd"); }
std::size_t thread_count() {
  // Sanitizer runtimes (TSan) start a helper thread of their own the first
  // time the program creates a thread; make it exist before any baseline.
  static const bool runtime_threads_started = [] {
    std::thread([] {}).join();
    return true;
  }();
  static_cast<void>(runtime_threads_started);
  return entries_in("/proc/self/task");
}

bool eventually(const std::function<bool()>& condition) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

std::string outcome_of(const std::function<void()>& call) {
  try {
    call();
    return "Returned";
  } catch (const apm::ArgumentNullException&) {
    return "ArgumentNull";
  } catch (const apm::ArgumentException&) {
    return "Argument";
  } catch (const apm::ObjectDisposedException&) {
    return "ObjectDisposed";
  } catch (const apm::InvalidOperationException&) {
    return "InvalidOperation";
  } catch (const apm::SocketException& error) {
    return "SocketError:" + std::to_string(error.error_code());
  } catch (const std::exception& error) {
    return std::string("Other:") + error.what();
  }
}

apm::AsyncCallback CallbackProbe::callback(
    std::function<void(const std::shared_ptr<apm::AsyncResult>&)> then) {
  return [probe = shared_from_this(), then = std::move(then)](const std::shared_ptr<apm::AsyncResult>& result) {
    if (then) then(result);
    {
      std::lock_guard lock(probe->mutex_);
      probe->invocations_.push_back({std::this_thread::get_id(), result});
    }
    probe->called_.notify_all();
  };
}

bool CallbackProbe::wait_for_calls(std::size_t count) {
  std::unique_lock lock(mutex_);
  return called_.wait_for(lock, deadline, [&] { return invocations_.size() >= count; });
}

std::vector<CallbackProbe::Invocation> CallbackProbe::invocations() {
  std::lock_guard lock(mutex_);
  return invocations_;
}

}  // namespace ea::posix_impl::testing
