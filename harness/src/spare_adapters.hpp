#pragma once
// Adapter processes started ahead of the cases that will use them. A managed
// runtime takes tens to hundreds of milliseconds from spawn to its first
// answer, and that start sat on the critical path of every case; a spare
// boots while earlier cases run. Isolation is unchanged: each process still
// serves exactly one case, from its hello on, and a spare nobody took is
// ended with the run (it is a registered adapter of the runner until then).
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>

#include "adapter_process.hpp"
#include "scheduler.hpp"

namespace ea::harness {

class SpareAdapters {
 public:
  // Keeps up to `spares` processes waiting, and never starts more than
  // `runs` in all (the runs that will take one); with a `head_start`, none
  // until the longest run has begun (a spare's start would share the cores
  // with that run's).
  SpareAdapters(LaunchSpec launch, std::size_t spares, std::size_t runs, const HeadStart* head_start = nullptr);

  // The process for the next case: the oldest spare, or a new process when
  // none is waiting (its start failing throws, as AdapterProcess's does).
  // Then starts spares to replace it.
  std::unique_ptr<AdapterProcess> take();

 private:
  void top_up();

  const LaunchSpec launch_;
  const std::size_t spares_wanted_;
  const HeadStart* const head_start_;
  std::mutex lock_;
  std::size_t starts_left_;
  std::deque<std::unique_ptr<AdapterProcess>> waiting_;
};

}  // namespace ea::harness
