#pragma once
// Lets one thread interrupt another thread's poll(): a descriptor that turns
// readable when signalled.
#include "endaccept/posix_impl/unique_fd.hpp"

namespace ea::posix_impl {

class WakeEvent {
 public:
  WakeEvent();  // throws SocketException when no descriptor is available

  int fd() const noexcept { return fd_.get(); }
  void signal() noexcept;
  void clear() noexcept;

 private:
  UniqueFd fd_;
};

}  // namespace ea::posix_impl
