#pragma once
// An io_context served by a few threads. Completion handlers, and with them
// AsyncCallbacks, run on these threads, never on the thread that started the
// operation. More than one thread, so that a callback blocking in EndAccept
// on another pending result does not stall every other completion.
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <cstddef>
#include <thread>
#include <vector>

namespace ea::asio_ref {

class WorkerPool {
 public:
  explicit WorkerPool(std::size_t threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  asio::io_context& context() noexcept { return context_; }

  // Created on first use and never destroyed, so that a completion arriving
  // while the process exits still has a context to run on.
  static WorkerPool& shared();

 private:
  asio::io_context context_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
};

}  // namespace ea::asio_ref
