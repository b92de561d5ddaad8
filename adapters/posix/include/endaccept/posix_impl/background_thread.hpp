#pragma once
// A thread that its owner ends by joining. An owner can be destroyed on that
// very thread (a callback dropping the last reference); a thread cannot join
// itself, so it is then detached and finishes on its own.
#include <thread>
#include <utility>

namespace ea::posix_impl {

class BackgroundThread {
 public:
  BackgroundThread() = default;
  template <class Body>
  explicit BackgroundThread(Body&& body) : thread_(std::forward<Body>(body)) {}
  BackgroundThread(BackgroundThread&&) noexcept = default;
  BackgroundThread& operator=(BackgroundThread&& other) noexcept {
    finish();
    thread_ = std::move(other.thread_);
    return *this;
  }
  ~BackgroundThread() { finish(); }

  bool started() const noexcept { return thread_.joinable(); }
  void finish() noexcept;

 private:
  std::thread thread_;
};

}  // namespace ea::posix_impl
