#include "completion_probe.hpp"

#include <time.h>

#include <chrono>
#include <thread>

#include "accept_calls.hpp"
#include "endaccept/host/jitter.hpp"
#include "endaccept/host/outcome.hpp"
#include "held_threads.hpp"

namespace ea::host {
namespace {

Json never_completed(std::chrono::milliseconds limit) {
  return {{"kind", "Other"},
          {"type", "adapter"},
          {"message", "IsCompleted stayed false for " + std::to_string(limit.count()) + " ms"}};
}

std::chrono::nanoseconds thread_cpu_time() {
  timespec now{};
  if (::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now) != 0) return std::chrono::nanoseconds::max();
  return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

}  // namespace

Json end_accept_once_completed(Registry& registry, apm::Socket& listener,
                               const std::shared_ptr<apm::AsyncResult>& result,
                               const std::optional<std::string>& accept_as, std::chrono::milliseconds limit) {
  // The window this looks for (IsCompleted true while the completion is
  // still being published) can be a microsecond wide: the thread spins
  // without pauses, yielding now and then so that a machine with one free
  // core still runs the thread that completes the accept. An accept that
  // never completes (a broken candidate, a mutant) would burn a core for
  // the whole limit, so the spin has a CPU budget: once this thread has
  // used kSpinBudget of CPU, the reads are kSleepBetweenReads apart (still
  // finer than the windows that explored schedule points widen). CPU time,
  // not wall time: on a saturated machine the connection that completes a
  // correct accept can take longer than the budget to arrive, and the
  // spinner, sharing the cores, is still spinning when it does.
  constexpr auto kSpinBudget = std::chrono::milliseconds(100);
  constexpr auto kSleepBetweenReads = std::chrono::microseconds(200);
  no_jitter_on_this_thread();
  const auto until = std::chrono::steady_clock::now() + limit;
  const auto cpu_at_start = thread_cpu_time();
  bool sleeping = false;
  for (std::uint64_t reads = 1;; ++reads) {
    bool completed = false;
    try {
      completed = result && result->is_completed();
    } catch (...) {
      return {{"outcome", outcome_from_exception(std::current_exception())}};
    }
    if (completed) break;
    if (sleeping || reads % 256 == 0) {
      if (std::chrono::steady_clock::now() >= until) return {{"outcome", never_completed(limit)}};
      sleeping = sleeping || thread_cpu_time() - cpu_at_start >= kSpinBudget;
      if (sleeping) {
        std::this_thread::sleep_for(kSleepBetweenReads);
      } else {
        std::this_thread::yield();
      }
    }
  }
  HeldThreads held(limit);
  Json outcome = call_end_accept(registry, listener, result, accept_as);
  const HoldSummary summary = held.let_go();
  return {{"outcome", std::move(outcome)},
          {"probe",
           {{"threads_held", summary.threads_held},
            {"end_returned_after_release", summary.end_returned_after_release},
            {"end_waited_for_completion", summary.end_waited_for_completion}}}};
}

}  // namespace ea::host
