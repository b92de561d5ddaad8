#pragma once
// The result BeginAccept returns: one outstanding accept of one listener.
#include <memory>
#include <mutex>

#include "endaccept/posix_impl/background_result.hpp"
#include "endaccept/posix_impl/explored_mutex.hpp"
#include "endaccept/posix_impl/unique_fd.hpp"

namespace ea::posix_impl {

// The state of a listener's latest BeginAccept (only async-state-per-listener uses it).
struct ListenerState {
  ExploredMutex mutex;
  apm::State state;
};

class AcceptResult final : public BackgroundResult {
 public:
  // `issuer` identifies the listener; the result never keeps it alive.
  AcceptResult(std::weak_ptr<const void> issuer, apm::AsyncCallback callback, apm::State state);

  apm::State async_state() const override;
  void share_listener_state(std::shared_ptr<ListenerState> state) { listener_state_ = std::move(state); }

  bool issued_by(const std::shared_ptr<const void>& issuer) const noexcept;
  // EndAccept may take a result once: true for the first caller only.
  bool claim();
  // The two halves of claim(), for the mutants that split it.
  bool claimed() const;
  void mark_claimed();
  // Blocks until the accept completed. Returns the accepted descriptor, or
  // throws SocketException (the accept failed) or ObjectDisposedException
  // (the listener was closed first).
  UniqueFd take_accepted();

  // The acceptor's side. Each completes a pending result; a result that was
  // already completed is left as it is.
  void complete_accepted(UniqueFd accepted);
  void complete_failed(int errno_value);
  // The listener was closed: a pending accept fails, and a socket accepted
  // but never taken is closed. True when it settled something.
  bool abandon();

 private:
  bool outcome_stored_locked() const noexcept override { return accepted_.valid() || error_ != 0; }

  const std::weak_ptr<const void> issuer_;
  std::shared_ptr<ListenerState> listener_state_;
  // Guarded by mutex_:
  bool claimed_ = false;
  bool abandoned_ = false;
  int error_ = 0;
  UniqueFd accepted_;
};

}  // namespace ea::posix_impl
