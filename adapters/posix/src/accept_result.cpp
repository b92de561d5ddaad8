#include "endaccept/posix_impl/accept_result.hpp"

#include <utility>

#include "endaccept/apm/exceptions.hpp"
#include "endaccept/posix_impl/socket_error.hpp"

namespace ea::posix_impl {

AcceptResult::AcceptResult(std::weak_ptr<const void> issuer, apm::AsyncCallback callback,
                           apm::State state)
    : BackgroundResult(std::move(callback), std::move(state)), issuer_(std::move(issuer)) {}

bool AcceptResult::issued_by(const std::shared_ptr<const void>& issuer) const noexcept {
  // Compares ownership, not addresses: a listener allocated where a destroyed
  // one lived does not inherit the old listener's results.
  return !issuer_.owner_before(issuer) && !issuer.owner_before(issuer_);
}

bool AcceptResult::claim() {
  std::lock_guard lock(mutex_);
  return !std::exchange(claimed_, true);
}

UniqueFd AcceptResult::take_accepted() {
  std::unique_lock lock(mutex_);
  wait_completed_locked(lock);
  if (abandoned_) throw apm::ObjectDisposedException("the listening socket has been closed");
  if (error_ != 0) throw_socket_error(error_);
  return std::move(accepted_);
}

void AcceptResult::complete_accepted(UniqueFd accepted) {
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

void AcceptResult::abandon() {
  std::lock_guard lock(mutex_);
  if (completed_locked() && !accepted_.valid()) return;  // failed, or already taken
  abandoned_ = true;
  accepted_.reset();
  mark_completed_locked();
}

}  // namespace ea::posix_impl
