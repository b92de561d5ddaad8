#pragma once
// Race amplification (--explore): a pause of random length at the
// boundaries of calls into the implementation, drawn from EA_JITTER_SEED so
// that a run can be replayed with the same pauses. No seed, no pause.
#include <cstdint>

namespace ea::host {

// Before a call into the implementation: sleeps 0..kMaxJitterMicros µs when
// the run has a jitter seed. Safe from any thread.
void jitter_point();

inline constexpr std::uint32_t kMaxJitterMicros = 2000;

// On a thread started from a release gate (release_tasks), where the point
// is that the calls start together: no pauses on this thread.
void no_jitter_on_this_thread();

}  // namespace ea::host
