#include "endaccept/asio_ref/worker_pool.hpp"

#include <asio/ip/tcp.hpp>
#include <exception>
#include <iostream>

namespace ea::asio_ref {

WorkerPool::WorkerPool(std::size_t threads) : work_(asio::make_work_guard(context_)) {
  // Asio opens its reactor's descriptors with the first socket object. Open
  // them now, so that they are not taken for descriptors that socket leaked.
  asio::ip::tcp::acceptor reactor_starter(context_);
  for (std::size_t i = 0; i < threads; ++i) {
    threads_.emplace_back([this] {
      // An exception escaping a user callback must not take the pool down.
      for (;;) {
        try {
          context_.run();
          return;
        } catch (const std::exception& e) {
          std::cerr << "asio_ref: callback threw: " << e.what() << '\n';
        } catch (...) {
          std::cerr << "asio_ref: callback threw\n";
        }
      }
    });
  }
}

WorkerPool::~WorkerPool() {
  work_.reset();
  context_.stop();
  for (auto& thread : threads_) thread.join();
}

WorkerPool& WorkerPool::shared() {
  static WorkerPool* const pool = new WorkerPool(4);
  return *pool;
}

}  // namespace ea::asio_ref
