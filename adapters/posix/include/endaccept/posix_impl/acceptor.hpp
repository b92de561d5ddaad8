#pragma once
// Serves the accepts of one listening socket on one background thread. The
// thread waits with poll() on the listener and a wake-up event, accepts only
// while some accept is outstanding (a connection nobody asked for stays in
// the listen queue), and completes outstanding accepts in the order they began.
#include <memory>

#include "endaccept/posix_impl/accept_result.hpp"
#include "endaccept/posix_impl/background_thread.hpp"
#include "endaccept/posix_impl/guarded_fd.hpp"

namespace ea::posix_impl {

class Acceptor {
 public:
  // `listener` must be listening and non-blocking.
  explicit Acceptor(GuardedFd::Use listener);
  // Fails outstanding accepts (ObjectDisposedException), closes accepted
  // sockets never taken, and ends the thread after it ran the callbacks of
  // the failed accepts.
  ~Acceptor();
  Acceptor(const Acceptor&) = delete;
  Acceptor& operator=(const Acceptor&) = delete;

  std::shared_ptr<AcceptResult> begin(apm::AsyncCallback callback, apm::State state);
  bool issued(const AcceptResult& result) const noexcept;

 private:
  // What the thread shares with the Acceptor; a detached thread keeps it.
  struct Shared;
  // The thread's loop. It stops using `listener` once stopping is set.
  static void serve(const std::shared_ptr<Shared>& shared, int listener);

  GuardedFd::Use listener_;
  std::shared_ptr<Shared> shared_;
  BackgroundThread thread_;  // last: ends before the members above go
};

}  // namespace ea::posix_impl
