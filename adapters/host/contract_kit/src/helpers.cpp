#include "endaccept/contract_kit/helpers.hpp"


#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

namespace ea::contract_kit {

std::shared_ptr<apm::Socket> listening_socket(const apm::SocketFactory& make_socket, apm::Family family) {
  auto socket = make_socket(family);
  socket->listen_on_loopback(16);
  return socket;
}

bool host_has_ipv6_loopback() {
  const int probe = ::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (probe < 0) return false;
  sockaddr_in6 loopback{};
  loopback.sin6_family = AF_INET6;
  loopback.sin6_addr = in6addr_loopback;
  const bool bound = ::bind(probe, reinterpret_cast<const sockaddr*>(&loopback), sizeof loopback) == 0;
  ::close(probe);
  return bound;
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
  } catch (const apm::NotSupportedException&) {
    return "NotSupported";
  } catch (const apm::SocketException& error) {
    return "SocketError:" + std::to_string(error.error_code());
  } catch (const std::exception& error) {
    return std::string("Other:") + error.what();
  }
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

namespace detail {

int os_thread_id() { return static_cast<int>(::gettid()); }

void await_os_thread_exit(int os_thread_id) {
  const auto entry = std::filesystem::path("/proc/self/task") / std::to_string(os_thread_id);
  eventually([&] { return !std::filesystem::exists(entry); });
}

}  // namespace detail

bool eventually(const std::function<bool()>& condition) {
  const auto give_up = std::chrono::steady_clock::now() + deadline;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

bool thread_count_returns_to(std::size_t threads) {
  return eventually([&] { return thread_count() == threads; });
}

EndAcceptCall::EndAcceptCall(std::shared_ptr<apm::Socket> listener, std::shared_ptr<apm::AsyncResult> result)
    : BoundedCall([listener, result = std::move(result)] { return listener->end_accept(result); },
                  [listener] { listener->close(); }) {}

std::shared_ptr<apm::AsyncResult> begin_accept_by_deadline(const std::shared_ptr<apm::Socket>& listener,
                                                           apm::AsyncCallback callback, apm::State state) {
  return BoundedCall<std::shared_ptr<apm::AsyncResult>>(
             [listener, callback = std::move(callback), state = std::move(state)] {
               return listener->begin_accept(callback, state);
             },
             [listener] { listener->close(); })
      .get();
}

std::string receive_by_deadline(const std::shared_ptr<apm::Socket>& socket, std::size_t max) {
  return BoundedCall<std::string>([socket, max] { return socket->receive(max); }, [socket] { socket->close(); })
      .get();
}

std::size_t send_by_deadline(const std::shared_ptr<apm::Socket>& socket, const std::string& data) {
  return BoundedCall<std::size_t>([socket, data] { return socket->send(data); }, [socket] { socket->close(); })
      .get();
}

apm::AsyncCallback CallbackProbe::callback(Then then) const {
  return [record = record_, then = std::move(then)](const std::shared_ptr<apm::AsyncResult>& result) {
    if (then) then(result);
    {
      std::lock_guard lock(record->mutex);
      record->calls.push_back({std::this_thread::get_id(), result});
    }
    record->called.notify_all();
  };
}

bool CallbackProbe::wait_for_calls(std::size_t count, std::chrono::milliseconds time) const {
  std::unique_lock lock(record_->mutex);
  return record_->called.wait_for(lock, time, [&] { return record_->calls.size() >= count; });
}

std::vector<CallbackProbe::Call> CallbackProbe::calls() const {
  std::lock_guard lock(record_->mutex);
  return record_->calls;
}

}  // namespace ea::contract_kit
