#pragma once
// The helpers of the kit's tests, also used by each implementation's own
// tests. Every wait ends by `deadline`; reaching it means a hang, and the
// test fails instead of waiting for ever.
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

// EndAccept on a thread of its own, so that a test can watch it block.
// Going out of scope joins the thread, so that nothing the call used outlives
// the test; a call still blocked then is woken by closing its listener, and
// one that even that does not wake fails the test and is left behind
// (detached) rather than hanging it.
class EndAcceptCall {
 public:
  EndAcceptCall(std::shared_ptr<apm::Socket> listener, std::shared_ptr<apm::AsyncResult> result);
  ~EndAcceptCall();
  EndAcceptCall(const EndAcceptCall&) = delete;
  EndAcceptCall& operator=(const EndAcceptCall&) = delete;

  bool finished_within(std::chrono::milliseconds time) const;
  // The accepted socket; rethrows what EndAccept threw, and throws
  // std::runtime_error if the call still blocks at the deadline.
  std::shared_ptr<apm::Socket> socket() const;
  // socket() in the vocabulary of outcome_of.
  std::string outcome() const;

 private:
  std::shared_ptr<apm::Socket> listener_;
  std::shared_future<std::shared_ptr<apm::Socket>> ended_;
  std::thread thread_;
};

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
