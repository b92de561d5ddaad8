#include "completion_probe.hpp"

#include <algorithm>
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

}  // namespace

Json end_accept_once_completed(Registry& registry, apm::Socket& listener,
                               const std::shared_ptr<apm::AsyncResult>& result,
                               const std::optional<std::string>& accept_as, std::chrono::milliseconds limit) {
  // The window this looks for (IsCompleted true while the completion is
  // still being published) can be a microsecond wide: the thread spins
  // without pauses, yielding now and then so that a machine with one free
  // core still runs the thread that completes the accept. The connection
  // that completes a correct accept arrives within milliseconds of the
  // probe's start; an accept that never completes (a broken candidate, a
  // mutant) would otherwise burn a core for the whole limit, so after the
  // first kSpinWithoutSleeping the reads are kSleepBetweenReads apart: still
  // finer than the windows that explored schedule points widen.
  constexpr auto kSpinWithoutSleeping = std::chrono::milliseconds(250);
  constexpr auto kSleepBetweenReads = std::chrono::microseconds(200);
  no_jitter_on_this_thread();
  const auto start = std::chrono::steady_clock::now();
  const auto until = start + limit;
  const auto sleeping_from = start + std::min<std::chrono::steady_clock::duration>(kSpinWithoutSleeping, limit);
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
      const auto now = std::chrono::steady_clock::now();
      if (now >= until) return {{"outcome", never_completed(limit)}};
      sleeping = now >= sleeping_from;
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
