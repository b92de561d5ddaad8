#include "endaccept/posix_impl/acceptor.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <deque>
#include <mutex>
#include <utility>
#include <vector>

#include "endaccept/posix_impl/wake_event.hpp"

namespace ea::posix_impl {

struct Acceptor::Shared {
  // Each takes the next outstanding accept, completes it, and returns it so
  // that its callback can run outside the lock.
  std::shared_ptr<AcceptResult> accept_next(int listener);
  std::shared_ptr<AcceptResult> fail_next(int errno_value);

  WakeEvent wake;
  std::mutex mutex;
  // Guarded by mutex:
  bool stopping = false;
  std::deque<std::shared_ptr<AcceptResult>> outstanding;  // in the order they began
  // Completed with a socket that EndAccept may not have taken yet.
  std::vector<std::weak_ptr<AcceptResult>> delivered;
};

std::shared_ptr<AcceptResult> Acceptor::Shared::accept_next(int listener) {
  UniqueFd accepted(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
  const int error = accepted.valid() ? 0 : errno;
  // A connection reset between poll() and accept4() leaves nothing to take;
  // the accept stays outstanding for the next connection.
  if (error == EAGAIN || error == EWOULDBLOCK || error == EINTR) return nullptr;
  if (error != 0) return fail_next(error);

  auto result = std::move(outstanding.front());
  outstanding.pop_front();
  result->complete_accepted(std::move(accepted));
  std::erase_if(delivered, [](const auto& weak) { return weak.expired(); });
  delivered.push_back(result);
  return result;
}

std::shared_ptr<AcceptResult> Acceptor::Shared::fail_next(int errno_value) {
  if (outstanding.empty()) return nullptr;
  auto result = std::move(outstanding.front());
  outstanding.pop_front();
  result->complete_failed(errno_value);
  return result;
}

Acceptor::Acceptor(GuardedFd::Use listener)
    : listener_(std::move(listener)),
      shared_(std::make_shared<Shared>()),
      thread_([shared = shared_, fd = listener_.get()] { serve(shared, fd); }) {}

Acceptor::~Acceptor() {
  std::vector<std::shared_ptr<AcceptResult>> abandoned;
  {
    std::lock_guard lock(shared_->mutex);
    shared_->stopping = true;
    abandoned.assign(shared_->outstanding.begin(), shared_->outstanding.end());
    for (const auto& weak : shared_->delivered) {
      if (auto result = weak.lock()) abandoned.push_back(std::move(result));
    }
    shared_->delivered.clear();
  }
  // The thread completes nothing once stopping is set, so the results are
  // settled here: a blocked EndAccept wakes even while the thread is busy in
  // some callback. The thread still runs the callbacks of the failed accepts.
  for (const auto& result : abandoned) result->abandon();
  shared_->wake.signal();
  thread_.finish();
}

std::shared_ptr<AcceptResult> Acceptor::begin(apm::AsyncCallback callback, apm::State state) {
  auto result = std::make_shared<AcceptResult>(shared_, std::move(callback), std::move(state));
  {
    std::lock_guard lock(shared_->mutex);
    shared_->outstanding.push_back(result);
  }
  // Wakes the thread from a poll() that did not watch the listener.
  shared_->wake.signal();
  return result;
}

bool Acceptor::issued(const AcceptResult& result) const noexcept { return result.issued_by(shared_); }

void Acceptor::serve(const std::shared_ptr<Shared>& shared, int listener) {
  std::unique_lock lock(shared->mutex);
  while (!shared->stopping) {
    const bool wanted = !shared->outstanding.empty();
    lock.unlock();

    pollfd events[] = {{shared->wake.fd(), POLLIN, 0}, {listener, POLLIN, 0}};
    const int error = ::poll(events, wanted ? 2 : 1, -1) < 0 ? errno : 0;
    if (events[0].revents != 0) shared->wake.clear();

    lock.lock();
    if (shared->stopping) break;
    std::shared_ptr<AcceptResult> completed;
    if (error != 0 && error != EINTR) {
      completed = shared->fail_next(error);
    } else if (wanted && events[1].revents != 0) {
      completed = shared->accept_next(listener);
    }
    if (!completed) continue;

    lock.unlock();
    completed->run_callback();
    // Released outside the lock: it may hold the last reference to a socket,
    // whose destruction can come back to this acceptor.
    completed.reset();
    lock.lock();
  }
  auto abandoned = std::move(shared->outstanding);
  lock.unlock();
  for (const auto& result : abandoned) result->run_callback();
}

}  // namespace ea::posix_impl
