#pragma once
// What the harness asks about the callbacks of one BeginAccept.
//
// "Had BeginAccept returned?" is answered without a race: BeginAccept runs
// under a reentrant lock that a callback must take before reading the flag.
// A callback run inline re-enters the lock and sees false; one on another
// thread waits for BeginAccept to return and sees true.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "endaccept/apm/async_result.hpp"
#include "endaccept/host/adapter.hpp"

namespace ea::host {

struct Invocation {
  bool on_begin_thread = false;
  bool begin_returned = false;
  // Compared with BeginAccept's result only when reported, as the callback
  // may run before BeginAccept has handed its result back.
  const void* result = nullptr;
  Json async_state;  // described while the callback ran; never the object itself
  // The outcomes of the calls the callback body made, by kind of callback.
  std::optional<Json> end_outcome;    // end_in_callback, begin_again, close_listener
  std::optional<Json> begin_outcome;  // begin_again
  std::optional<Json> close_outcome;  // close_listener
};

class CallbackRecorder {
 public:
  using Begin = std::function<std::shared_ptr<apm::AsyncResult>()>;

  std::shared_ptr<apm::AsyncResult> call_begin(const Begin& begin);

  // First step of a callback.
  Invocation enter(const apm::AsyncResult* result);
  // Last step of a callback: the invocation becomes visible to report().
  void record(Invocation invocation);

  // Waits until `min_calls` invocations were recorded or `timeout` passed.
  Json report(std::size_t min_calls, std::chrono::milliseconds timeout);

 private:
  std::recursive_mutex begin_mutex_;
  bool begin_returned_ = false;
  std::thread::id begin_thread_;
  const void* begin_result_ = nullptr;

  std::mutex mutex_;
  std::condition_variable recorded_;
  std::vector<Invocation> invocations_;
};

}  // namespace ea::host
