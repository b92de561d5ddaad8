#pragma once
// The implementation's mutex. Taking and releasing it are its
// synchronization points, so each is a schedule point: an explored run
// (--explore, EA_JITTER_SEED) pauses there at random, which turns a
// check-then-act split across two lock sections, or a wake-up sent between
// an unlock and the next step, from a window of a few instructions into one
// of up to milliseconds. Without a seed it is a std::mutex.
#include <mutex>

#include "endaccept/host/jitter.hpp"

namespace ea::posix_impl {

class ExploredMutex {
 public:
  void lock() {
    host::schedule_point();
    mutex_.lock();
  }
  bool try_lock() { return mutex_.try_lock(); }
  void unlock() {
    mutex_.unlock();
    host::schedule_point();
  }

 private:
  std::mutex mutex_;
};

}  // namespace ea::posix_impl
