#include "endaccept/posix_impl/background_thread.hpp"

#include "endaccept/posix_impl/mutant.hpp"

namespace ea::posix_impl {

void BackgroundThread::finish() noexcept {
  if (!thread_.joinable()) return;
  // MUTANT close-in-callback-joins: always joined; a detached thread could
  // still be running when the members it uses are destroyed.
  if (thread_.get_id() == std::this_thread::get_id() && !mutant::active(Mutant::close_in_callback_joins)) {
    thread_.detach();
  } else {
    thread_.join();
  }
}

}  // namespace ea::posix_impl
