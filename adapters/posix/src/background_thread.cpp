#include "endaccept/posix_impl/background_thread.hpp"

namespace ea::posix_impl {

void BackgroundThread::finish() noexcept {
  if (!thread_.joinable()) return;
  if (thread_.get_id() == std::this_thread::get_id()) {
    thread_.detach();
  } else {
    thread_.join();
  }
}

}  // namespace ea::posix_impl
