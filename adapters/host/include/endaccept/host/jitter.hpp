#pragma once
// Race amplification (--explore): pauses of random length, drawn from
// EA_JITTER_SEED so that a run can be replayed with the same sequence of
// pauses. No seed, no pause: each point then costs one load.
#include <chrono>
#include <cmath>
#include <cstdint>

namespace ea::host {

inline constexpr std::uint32_t kMaxJitterMicros = 2000;

// The length of one explored pause, from a 64-bit random draw. Half of the
// draws do not pause; the others pause for a length spread evenly over the
// orders of magnitude from 1 µs up to `max_micros`, so that a window of a
// few microseconds and one of a millisecond both get hit, and one side of a
// race often runs through unpaused while the other is held. The harness's
// spacing of its own steps has the same shape.
inline std::chrono::nanoseconds explored_pause(std::uint64_t draw, std::uint32_t max_micros) {
  if ((draw & 1) == 0) return std::chrono::nanoseconds(0);
  const double fraction = static_cast<double>(draw >> 11) / static_cast<double>(1ull << 53);
  return std::chrono::nanoseconds(static_cast<std::int64_t>(1000.0 * std::pow(static_cast<double>(max_micros), fraction)));
}

// The host calls it before each call into the implementation, on the
// threads it owns (request loop, background tasks).
void jitter_point();

// On a thread started from a release gate (release_tasks), where the point
// is that the calls start together: jitter_point() pauses no more there.
void no_jitter_on_this_thread();

// For implementations: call it at your own synchronization points where
// the calling thread holds none of the implementation's locks (before taking
// one, after publishing a completion), so that an explored run widens the
// windows between them, the way a loaded machine sometimes does. Unlike
// jitter_point() it pauses on every thread, release-gate threads included,
// since that is where two calls race inside the implementation. While a
// completion probe runs (end_accept with when_completed_ms), the point also
// holds the thread until the probe's EndAccept has returned: that is how
// the probe sees an EndAccept that needs another thread after IsCompleted
// said true. So never call it while holding something EndAccept may need.
// Safe from any thread.
void schedule_point();

// For implementations: call it on the calling thread right before a call
// starts waiting for its operation to complete (EndAccept on a result that
// is not complete yet). The completion probe uses it to see an EndAccept
// that waited although IsCompleted had just read true. Costs one load.
void completion_wait_point();

// The explored pause of schedule_point() without the holding: for points
// reached while holding something (releasing a nested lock, or the release
// a condition variable makes while it holds its own internal mutex).
void pause_point();

}  // namespace ea::host
