#pragma once
// The helpers of the kit's tests, also used by each implementation's own
// tests. Every wait ends by `deadline`; reaching it means a hang, and the
// test fails instead of waiting for ever.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "endaccept/apm/socket.hpp"

namespace ea::contract_kit {

using namespace std::chrono_literals;

inline constexpr std::chrono::milliseconds deadline = 10s;

// A socket from `make_socket`, listening on the family's loopback address.
std::shared_ptr<apm::Socket> listening_socket(const apm::SocketFactory& make_socket,
                                              apm::Family family = apm::Family::ipv4);

// Whether this host can bind ::1, asked of the OS rather than of the code
// under test, so that an implementation failing on IPv6 is not skipped.
bool host_has_ipv6_loopback();

// What a call did, in the outcome vocabulary of the adapter protocol
// ("Returned", "Argument", "SocketError:10024", ...). Subclasses stay apart:
// ArgumentNullException is "ArgumentNull", never "Argument".
std::string outcome_of(const std::function<void()>& call);

std::size_t open_descriptor_count();
std::size_t thread_count();
// Polls `condition` until it holds (true) or the deadline passed (false).
bool eventually(const std::function<bool()>& condition);
// Whether the process is back to `threads` threads within the deadline. A
// thread that has been joined can still be listed in /proc/self/task for a
// moment while the kernel finishes its exit (longer on a loaded machine): it
// must go, not be gone at the very instant of the join.
bool thread_count_returns_to(std::size_t threads);

namespace detail {
int os_thread_id();
// pthread_join returns a moment before the kernel forgets the thread; waits
// (until the deadline) for that, so that thread counts after it are exact.
void await_os_thread_exit(int os_thread_id);
}  // namespace detail

// A call into the code under test that may block, made on a thread of its
// own so that the test's wait for it has a deadline. Going out of scope joins
// the thread, so that nothing the call used outlives the test; a call still
// blocked then is woken by `wake` (closing the socket it blocks on, from yet
// another thread: a deadlocked socket may block its close too), and one that
// even this does not end fails the test and is left behind (detached) rather
// than hanging it.
template <class T>
class BoundedCall {
 public:
  BoundedCall(std::function<T()> call, std::function<void()> wake) : wake_(std::move(wake)) {
    // Shared with the thread, which may be left running if the call never ends.
    auto promise = std::make_shared<std::promise<T>>();
    ended_ = promise->get_future().share();
    thread_ = std::thread([promise, call = std::move(call), os_thread = os_thread_] {
      *os_thread = detail::os_thread_id();
      try {
        promise->set_value(call());
      } catch (...) {
        promise->set_exception(std::current_exception());
      }
    });
  }

  ~BoundedCall() {
    if (!finished_within(0ms)) {
      std::thread(wake_).detach();
      if (!finished_within(deadline)) {
        ADD_FAILURE() << "a blocking call still blocks after its socket was closed";
        thread_.detach();
        return;
      }
    }
    thread_.join();
    detail::await_os_thread_exit(*os_thread_);
  }

  BoundedCall(const BoundedCall&) = delete;
  BoundedCall& operator=(const BoundedCall&) = delete;

  bool finished_within(std::chrono::milliseconds time) const {
    return ended_.wait_for(time) == std::future_status::ready;
  }

  // What the call returned; rethrows what it threw, and throws
  // std::runtime_error if it still blocks at the deadline.
  T get() const {
    if (!finished_within(deadline)) throw std::runtime_error("the call still blocks at the deadline");
    return ended_.get();
  }

  // get() in the vocabulary of outcome_of.
  std::string outcome() const {
    return outcome_of([this] { get(); });
  }

 private:
  std::function<void()> wake_;
  std::shared_future<T> ended_;
  // Written by the thread before the call, read after joining it.
  std::shared_ptr<int> os_thread_ = std::make_shared<int>(0);
  std::thread thread_;
};

// EndAccept by the deadline; the kit calls EndAccept only through this.
class EndAcceptCall : public BoundedCall<std::shared_ptr<apm::Socket>> {
 public:
  EndAcceptCall(std::shared_ptr<apm::Socket> listener, std::shared_ptr<apm::AsyncResult> result);

  // The accepted socket: get() under the name the tests read best.
  std::shared_ptr<apm::Socket> socket() const { return get(); }
};

// Socket::begin_accept, Socket::receive and Socket::send by the deadline.
std::shared_ptr<apm::AsyncResult> begin_accept_by_deadline(const std::shared_ptr<apm::Socket>& listener,
                                                           apm::AsyncCallback callback, apm::State state);
std::string receive_by_deadline(const std::shared_ptr<apm::Socket>& socket, std::size_t max);
std::size_t send_by_deadline(const std::shared_ptr<apm::Socket>& socket, const std::string& data);

// Records who called the AsyncCallback it hands out, with which result.
// Copies share one record, and so does the callback: it may run after the
// test body ended (a listener closed on destruction completes its accepts).
class CallbackProbe {
 public:
  struct Call {
    std::thread::id thread;
    std::shared_ptr<apm::AsyncResult> result;
  };
  using Then = std::function<void(const std::shared_ptr<apm::AsyncResult>&)>;

  // `then` runs inside the callback; the call is recorded after it returned.
  apm::AsyncCallback callback(Then then = {}) const;
  // True once `count` calls were recorded; false when `time` passed first.
  bool wait_for_calls(std::size_t count, std::chrono::milliseconds time = deadline) const;
  std::vector<Call> calls() const;

 private:
  struct Record {
    std::mutex mutex;
    std::condition_variable called;
    std::vector<Call> calls;
  };
  std::shared_ptr<Record> record_ = std::make_shared<Record>();
};

}  // namespace ea::contract_kit
