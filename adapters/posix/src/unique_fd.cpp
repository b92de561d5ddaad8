#include "endaccept/posix_impl/unique_fd.hpp"

#include <unistd.h>

namespace ea::posix_impl {

void UniqueFd::reset(int fd) noexcept {
  // Linux releases the descriptor even when close() reports EINTR, so a
  // retry could close a descriptor another thread has just been given.
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

}  // namespace ea::posix_impl
