#pragma once
// Shared by the reference's tests: every wait has a deadline, and a failing
// test must not hang on a call that blocks.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "endaccept/apm/socket.hpp"
#include "endaccept/asio_ref/socket.hpp"

namespace ea::test {

using namespace std::chrono_literals;

inline constexpr auto deadline = 5s;

inline std::shared_ptr<asio_ref::Socket> listening_socket(apm::Family family = apm::Family::ipv4) {
  auto socket = asio_ref::make_socket(family);
  socket->listen_on_loopback(16);
  return socket;
}

// EndAccept on its own thread. The thread is detached, so a test that fails
// while the call is still blocked ends instead of waiting for it.
class EndAcceptCall {
 public:
  EndAcceptCall(std::shared_ptr<apm::Socket> listener, std::shared_ptr<apm::AsyncResult> result) {
    auto promise = std::make_shared<std::promise<std::shared_ptr<apm::Socket>>>();
    outcome_ = promise->get_future().share();
    std::thread([promise, listener = std::move(listener), result = std::move(result)] {
      try {
        promise->set_value(listener->end_accept(result));
      } catch (...) {
        promise->set_exception(std::current_exception());
      }
    }).detach();
  }

  bool finished_within(std::chrono::milliseconds time) const {
    return outcome_.wait_for(time) == std::future_status::ready;
  }

  // Rethrows what EndAccept threw.
  std::shared_ptr<apm::Socket> socket() const { return outcome_.get(); }

 private:
  std::shared_future<std::shared_ptr<apm::Socket>> outcome_;
};

// An AsyncCallback that records who called it with what. The record is
// shared with the callback, which may run after the test body ended (a
// listener closed on destruction completes its pending accepts).
class CallbackProbe {
 public:
  struct Call {
    std::thread::id thread;
    std::shared_ptr<apm::AsyncResult> result;
  };

  apm::AsyncCallback callback() const {
    return [record = record_](const std::shared_ptr<apm::AsyncResult>& result) {
      {
        std::lock_guard lock(record->mutex);
        record->calls.push_back({std::this_thread::get_id(), result});
      }
      record->called.notify_all();
    };
  }

  // True once `count` calls were made; false at the deadline.
  bool wait_for_calls(std::size_t count, std::chrono::milliseconds time = deadline) const {
    std::unique_lock lock(record_->mutex);
    return record_->called.wait_for(lock, time, [&] { return record_->calls.size() >= count; });
  }

  std::vector<Call> calls() const {
    std::lock_guard lock(record_->mutex);
    return record_->calls;
  }

 private:
  struct Record {
    std::mutex mutex;
    std::condition_variable called;
    std::vector<Call> calls;
  };
  std::shared_ptr<Record> record_ = std::make_shared<Record>();
};

}  // namespace ea::test
