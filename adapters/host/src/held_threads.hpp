#pragma once
// The completion probe (end_accept with when_completed_ms): once IsCompleted
// has read true, EndAccept must not need any other thread to make progress.
// While a HeldThreads lives, every other thread that reaches a schedule
// point (ea::host::schedule_point, i.e. where the implementation holds none
// of its locks) waits there, up to the limit. An EndAccept that returns only
// after the limit let them go was waiting for one of them: IsCompleted was
// true too early.
#include <chrono>

namespace ea::host {

// What the probe saw; goes into the await_task reply as "probe".
struct HoldSummary {
  int threads_held = 0;                     // threads that waited at a schedule point
  bool end_returned_after_release = false;  // the limit, not the probe, let them go
  bool end_waited_for_completion = false;   // the holder reached a completion_wait_point
};

class HeldThreads {
 public:
  // Starts holding; the calling thread is never held. One at a time:
  // a second probe waits here until the first has let go.
  explicit HeldThreads(std::chrono::milliseconds limit);
  ~HeldThreads();
  HeldThreads(const HeldThreads&) = delete;
  HeldThreads& operator=(const HeldThreads&) = delete;

  // Lets every held thread go; called once the probe's EndAccept returned.
  HoldSummary let_go();

 private:
  bool holding_ = true;
  HoldSummary summary_;
};

// Called by schedule_point(): waits while another thread's HeldThreads holds.
void wait_if_held();
// Called by completion_wait_point(): notes a wait on the holder's own thread.
void note_completion_wait();

}  // namespace ea::host
