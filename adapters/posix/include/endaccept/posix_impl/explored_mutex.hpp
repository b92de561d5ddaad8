#pragma once
// The implementation's mutex. Taking and releasing it are its
// synchronization points, so each is a schedule point: an explored run
// (--explore, EA_JITTER_SEED) pauses there at random, which turns a
// check-then-act split across two lock sections, or a wake-up sent between
// an unlock and the next step, from a window of a few instructions into one
// of up to milliseconds. Without a seed it is a std::mutex.
//
// Only the taking of an outermost lock is a full schedule point (where a
// completion probe may hold the thread): a thread that still holds one of
// these mutexes, or that releases one inside a condition variable's wait
// (which holds the variable's internal mutex then), only pauses, so that a
// held thread never holds something another thread's EndAccept needs.
#include <mutex>

#include "endaccept/host/jitter.hpp"

namespace ea::posix_impl {

class ExploredMutex {
 public:
  void lock() {
    if (locks_held_by_this_thread == 0)
      host::schedule_point();
    else
      host::pause_point();
    mutex_.lock();
    ++locks_held_by_this_thread;
  }
  bool try_lock() {
    if (!mutex_.try_lock()) return false;
    ++locks_held_by_this_thread;
    return true;
  }
  void unlock() {
    mutex_.unlock();
    --locks_held_by_this_thread;
    host::pause_point();
  }

 private:
  static inline thread_local int locks_held_by_this_thread = 0;
  std::mutex mutex_;
};

}  // namespace ea::posix_impl
