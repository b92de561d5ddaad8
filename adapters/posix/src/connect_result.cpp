#include "endaccept/posix_impl/connect_result.hpp"

namespace ea::posix_impl {

void ConnectResult::complete(int errno_value) {
  std::lock_guard lock(mutex_);
  if (completed_locked()) return;
  error_ = errno_value;
  mark_completed_locked();
}

int ConnectResult::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

}  // namespace ea::posix_impl
