#include "endaccept/posix_impl/guarded_fd.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include "endaccept/apm/exceptions.hpp"

namespace ea::posix_impl {

GuardedFd::Use& GuardedFd::Use::operator=(Use&& other) noexcept {
  if (this != &other) {
    if (owner_ != nullptr) owner_->release();
    owner_ = std::exchange(other.owner_, nullptr);
  }
  return *this;
}

GuardedFd::Use::~Use() {
  if (owner_ != nullptr) owner_->release();
}

int GuardedFd::Use::get() const noexcept { return owner_ != nullptr ? owner_->fd_ : -1; }

GuardedFd::~GuardedFd() { close(); }

GuardedFd::Use GuardedFd::use() const {
  auto use = try_use();
  if (!use) throw apm::ObjectDisposedException("the socket has been closed");
  return std::move(*use);
}

std::optional<GuardedFd::Use> GuardedFd::try_use() const {
  std::lock_guard lock(mutex_);
  if (closed_ || fd_ < 0) return std::nullopt;
  ++users_;
  return Use(this);
}

void GuardedFd::close() noexcept {
  std::lock_guard lock(mutex_);
  if (closed_) return;
  closed_ = true;
  if (fd_ < 0) return;
  if (users_ == 0) {
    ::close(fd_);
  } else {
    // Blocked receive, send and connect calls return once the socket is shut
    // down; the last of them closes the descriptor.
    ::shutdown(fd_, SHUT_RDWR);
  }
}

bool GuardedFd::is_closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

void GuardedFd::release() const noexcept {
  std::lock_guard lock(mutex_);
  if (--users_ == 0 && closed_) ::close(fd_);
}

}  // namespace ea::posix_impl
