#pragma once
// Helpers shared by the tests of the posix implementation.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "endaccept/apm/caller_made_result.hpp"
#include "endaccept/posix_impl/socket.hpp"
#include "endaccept/posix_impl/unique_fd.hpp"

namespace ea::posix_impl::testing {

// Every wait in a test ends by this deadline; reaching it means a hang.
inline constexpr std::chrono::seconds deadline{10};

std::shared_ptr<Socket> make_listener(apm::Family family = apm::Family::ipv4);
bool ipv6_available();

// A blocking client socket connected to `endpoint`. connect() returns after
// the handshake, so the connection is then in the listener's queue.
UniqueFd connect_client(const apm::Endpoint& endpoint);
apm::Endpoint local_endpoint_of(int fd);

std::size_t open_descriptor_count();
std::size_t thread_count();
// Polls `condition` until it holds or the deadline passed.
bool eventually(const std::function<bool()>& condition);

// Waits for `pending` until the deadline. Past it, closes `listener` so that
// the call blocked in it returns, and the test fails instead of hanging.
template <class T>
bool ready_by_deadline(std::future<T>& pending, apm::Socket& listener) {
  if (pending.wait_for(deadline) == std::future_status::ready) return true;
  listener.close();
  return false;
}

// What a call into the implementation did, in the outcome vocabulary of the
// adapter protocol ("Socket", "Argument", "SocketError:10024", ...). Keeps
// subclasses apart: ArgumentNullException is not "Argument".
std::string outcome_of(const std::function<void()>& call);

// An AsyncResult that no BeginAccept produced.
using apm::CallerMadeResult;

// Records the invocations of the callback it hands out.
class CallbackProbe : public std::enable_shared_from_this<CallbackProbe> {
 public:
  struct Invocation {
    std::thread::id thread;
    std::shared_ptr<apm::AsyncResult> result;
  };

  // `then` runs inside the callback; the invocation is recorded after it.
  apm::AsyncCallback callback(std::function<void(const std::shared_ptr<apm::AsyncResult>&)> then = {});
  bool wait_for_calls(std::size_t count);
  std::vector<Invocation> invocations();

 private:
  std::mutex mutex_;
  std::condition_variable called_;
  std::vector<Invocation> invocations_;
};

}  // namespace ea::posix_impl::testing
