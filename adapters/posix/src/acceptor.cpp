#include "endaccept/posix_impl/acceptor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <deque>
#include <mutex>
#include <utility>
#include <vector>

#include "endaccept/posix_impl/explored_mutex.hpp"
#include "endaccept/posix_impl/mutant.hpp"
#include "endaccept/posix_impl/wake_event.hpp"

namespace ea::posix_impl {
namespace {

// Only emfile-reserve-drops-connection holds one.
UniqueFd open_reserve() { return UniqueFd(::open("/dev/null", O_RDONLY | O_CLOEXEC)); }

}  // namespace

struct Acceptor::Shared {
  // Each takes the next outstanding accept, completes it, and returns it so
  // that its callback can run outside the lock.
  std::shared_ptr<AcceptResult> accept_next(int listener);
  std::shared_ptr<AcceptResult> fail_next(int errno_value);

  WakeEvent wake;
  ExploredMutex mutex;
  // Guarded by mutex:
  bool stopping = false;
  std::deque<std::shared_ptr<AcceptResult>> outstanding;  // in the order they began
  // Completed with a socket that EndAccept may not have taken yet.
  std::vector<std::weak_ptr<AcceptResult>> delivered;
  // Mutants only.
  UniqueFd reserve;
  std::shared_ptr<ListenerState> latest_state;
};

std::shared_ptr<AcceptResult> Acceptor::Shared::accept_next(int listener) {
  int flags = SOCK_CLOEXEC;
  if (mutant::active(Mutant::accepted_non_blocking)) {
    // MUTANT accepted-non-blocking: an accepted socket takes the listener's
    // file status flags, as accept() does on BSD.
    if ((::fcntl(listener, F_GETFL) & O_NONBLOCK) != 0) flags |= SOCK_NONBLOCK;
  }
  UniqueFd accepted(::accept4(listener, nullptr, nullptr, flags));
  const int error = accepted.valid() ? 0 : errno;
  // A connection reset between poll() and accept4() leaves nothing to take;
  // the accept stays outstanding for the next connection.
  if (error == EAGAIN || error == EWOULDBLOCK) return nullptr;
  if (error == EINTR && !mutant::active(Mutant::eintr_fails_accept)) return nullptr;
  if ((error == EMFILE || error == ENFILE) && reserve.valid()) {
    // MUTANT emfile-reserve-drops-connection: the reserve-descriptor trick. The
    // connection that cannot be served is taken off the queue and closed, so
    // that the listener stops polling readable; the accept reports EMFILE.
    reserve.reset();
    UniqueFd(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC)).reset();
    reserve = open_reserve();
  }
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
  // MUTANT no-callback-on-error: EndAccept reports the failure; there is no
  // connection for the callback to pick up.
  if (mutant::active(Mutant::no_callback_on_error)) return nullptr;
  return result;
}

Acceptor::Acceptor(GuardedFd::Use listener)
    : listener_(std::move(listener)),
      shared_(std::make_shared<Shared>()),
      thread_() {
  if (mutant::active(Mutant::emfile_reserve_drops_connection)) shared_->reserve = open_reserve();
  if (mutant::active(Mutant::async_state_per_listener)) shared_->latest_state = std::make_shared<ListenerState>();
  thread_ = BackgroundThread([shared = shared_, fd = listener_.get()] { serve(shared, fd); });
}

Acceptor::~Acceptor() {
  std::vector<std::shared_ptr<AcceptResult>> abandoned;
  {
    std::lock_guard lock(shared_->mutex);
    shared_->stopping = true;
    abandoned.assign(shared_->outstanding.begin(), shared_->outstanding.end());
    for (const auto& weak : shared_->delivered) {
      if (auto result = weak.lock()) {
        // MUTANT callback-again-on-close: the callback of an accept whose
        // socket is still tracked hears that the listener has gone, too.
        if (mutant::active(Mutant::callback_again_on_close)) shared_->outstanding.push_back(result);
        abandoned.push_back(std::move(result));
      }
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
  auto result = std::make_shared<AcceptResult>(shared_, std::move(callback), state);
  if (shared_->latest_state) {
    // MUTANT async-state-per-listener: a server loop passes the same state to
    // every BeginAccept of a listener, so the listener keeps it once.
    std::lock_guard lock(shared_->latest_state->mutex);
    shared_->latest_state->state = std::move(state);
    result->share_listener_state(shared_->latest_state);
  }
  if (mutant::active(Mutant::completed_synchronously_queued)) {
    // MUTANT completed-synchronously-queued: a connection already waiting in
    // the listen queue completes this accept at once, as .NET reports it.
    pollfd queued{listener_.get(), POLLIN, 0};
    if (::poll(&queued, 1, 0) == 1 && (queued.revents & POLLIN) != 0) result->report_synchronous();
  }
  // MUTANT wake-before-queue: the thread is woken first, so that it is
  // already on its way while the accept is queued.
  const bool wake_first = mutant::active(Mutant::wake_before_queue);
  if (wake_first) shared_->wake.signal();
  {
    std::lock_guard lock(shared_->mutex);
    shared_->outstanding.push_back(result);
  }
  // Wakes the thread from a poll() that did not watch the listener.
  if (!wake_first) shared_->wake.signal();
  return result;
}

bool Acceptor::issued(const AcceptResult& result) const noexcept { return result.issued_by(shared_); }

void Acceptor::serve(const std::shared_ptr<Shared>& shared, int listener) {
  const bool under_lock = mutant::active(Mutant::callback_under_lock);
  std::unique_lock lock(shared->mutex);
  while (!shared->stopping) {
    const bool wanted = !shared->outstanding.empty();
    lock.unlock();

    // MUTANT wake-drained-before-poll: stale wake-ups are drained first, so
    // that poll() does not return at once for a signal already handled.
    if (mutant::active(Mutant::wake_drained_before_poll)) shared->wake.clear();
    pollfd events[] = {{shared->wake.fd(), POLLIN, 0}, {listener, POLLIN, 0}};
    const int error = ::poll(events, wanted ? 2 : 1, -1) < 0 ? errno : 0;
    if (events[0].revents != 0) shared->wake.clear();

    lock.lock();
    if (shared->stopping) break;
    std::shared_ptr<AcceptResult> completed;
    // MUTANT eintr-fails-accept: poll() fails only for real errors here; the
    // adapter installs no signal handlers.
    if (error != 0 && (error != EINTR || mutant::active(Mutant::eintr_fails_accept))) {
      completed = shared->fail_next(error);
    } else if (wanted && events[1].revents != 0) {
      completed = shared->accept_next(listener);
    }
    if (!completed) continue;

    // MUTANT callback-under-lock: the callback runs before the queue is
    // released, so that a BeginAccept it makes queues behind this completion.
    if (!under_lock) lock.unlock();
    completed->run_callback();
    // Released outside the lock: it may hold the last reference to a socket,
    // whose destruction can come back to this acceptor.
    completed.reset();
    if (!under_lock) lock.lock();
  }
  auto abandoned = std::move(shared->outstanding);
  lock.unlock();
  // MUTANT no-callback-on-close: these accepts were failed by ~Acceptor and
  // their listener is gone; nobody can end them, so nobody is called back.
  if (mutant::active(Mutant::no_callback_on_close)) return;
  for (const auto& result : abandoned) result->run_callback();
}

}  // namespace ea::posix_impl
