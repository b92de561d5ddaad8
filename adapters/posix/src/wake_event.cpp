#include "endaccept/posix_impl/wake_event.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "endaccept/posix_impl/socket_error.hpp"

namespace ea::posix_impl {

WakeEvent::WakeEvent() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (!fd_.valid()) throw_socket_error(errno);
}

void WakeEvent::signal() noexcept {
  const std::uint64_t one = 1;
  // Fails only when the counter is saturated, which still reads as signalled.
  [[maybe_unused]] auto written = ::write(fd_.get(), &one, sizeof(one));
}

void WakeEvent::clear() noexcept {
  std::uint64_t count = 0;
  [[maybe_unused]] auto read = ::read(fd_.get(), &count, sizeof(count));
}

}  // namespace ea::posix_impl
