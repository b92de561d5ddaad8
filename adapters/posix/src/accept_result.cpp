#include "endaccept/posix_impl/accept_result.hpp"

#include <fcntl.h>

#include <cerrno>
#include <chrono>
#include <utility>

#include "endaccept/apm/exceptions.hpp"
#include "endaccept/posix_impl/mutant.hpp"
#include "endaccept/posix_impl/socket_error.hpp"

namespace ea::posix_impl {

AcceptResult::AcceptResult(std::weak_ptr<const void> issuer, apm::AsyncCallback callback,
                           apm::State state)
    : BackgroundResult(std::move(callback), std::move(state)), issuer_(std::move(issuer)) {}

apm::State AcceptResult::async_state() const {
  if (listener_state_) {
    std::lock_guard lock(listener_state_->mutex);
    return listener_state_->state;
  }
  return BackgroundResult::async_state();
}

bool AcceptResult::issued_by(const std::shared_ptr<const void>& issuer) const noexcept {
  // Compares ownership, not addresses: a listener allocated where a destroyed
  // one lived does not inherit the old listener's results.
  return !issuer_.owner_before(issuer) && !issuer.owner_before(issuer_);
}

bool AcceptResult::claim() {
  std::lock_guard lock(mutex_);
  return !std::exchange(claimed_, true);
}

bool AcceptResult::claimed() const {
  std::lock_guard lock(mutex_);
  return claimed_;
}

void AcceptResult::mark_claimed() {
  std::lock_guard lock(mutex_);
  claimed_ = true;
}

UniqueFd AcceptResult::take_accepted() {
  using namespace std::chrono_literals;
  std::unique_lock lock(mutex_);
  const bool waited = !completed_locked();
  if (mutant::active(Mutant::end_gives_up)) {
    // MUTANT end-gives-up: bounded, so that an acceptor thread that died
    // cannot hang the caller for ever; reported as a timeout.
    if (!wait_completed_locked_for(lock, 2500ms)) throw_socket_error(ETIMEDOUT);
  } else if (mutant::active(Mutant::end_gives_up_as_disposed)) {
    // MUTANT end-gives-up-as-disposed: a 2-second watchdog; an accept the
    // acceptor has not completed by then is taken for one whose listener went away.
    if (!wait_completed_locked_for(lock, 2000ms)) {
      throw apm::ObjectDisposedException("the listening socket stopped accepting");
    }
  } else {
    wait_completed_locked(lock);
  }
  if (abandoned_) {
    // MUTANT close-reported-as-eintr: a blocking call that closesocket()
    // interrupts fails with WSAEINTR, as Winsock reports it.
    if (waited && mutant::active(Mutant::close_reported_as_eintr)) throw_socket_error(EINTR);
    throw apm::ObjectDisposedException("the listening socket has been closed");
  }
  if (error_ != 0) throw_socket_error(error_);
  return std::move(accepted_);
}

void AcceptResult::complete_accepted(UniqueFd accepted) {
  if (mutant::active(Mutant::is_completed_when_stored)) {
    // MUTANT is-completed-when-stored: the socket is stored first, so that a
    // Close racing this completion closes it (abandon), and the completion is
    // published once the socket is known to block.
    int fd = -1;
    {
      std::lock_guard lock(mutex_);
      if (completed_locked()) return;
      accepted_ = std::move(accepted);
      fd = accepted_.get();
    }
    if (const int flags = ::fcntl(fd, F_GETFL); flags >= 0 && (flags & O_NONBLOCK) != 0) {
      ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    }
    std::lock_guard lock(mutex_);
    if (!completed_locked()) mark_completed_locked();
    return;
  }
  std::lock_guard lock(mutex_);
  if (completed_locked()) return;
  accepted_ = std::move(accepted);
  mark_completed_locked();
}

void AcceptResult::complete_failed(int errno_value) {
  std::lock_guard lock(mutex_);
  if (completed_locked()) return;
  error_ = errno_value;
  mark_completed_locked();
}

bool AcceptResult::abandon() {
  std::lock_guard lock(mutex_);
  if (completed_locked() && !accepted_.valid()) return false;  // failed, or already taken
  abandoned_ = true;
  accepted_.reset();
  mark_completed_locked();
  return true;
}

}  // namespace ea::posix_impl
