#pragma once
// The result BeginAccept returns: one outstanding accept of one listener.
#include <memory>

#include "endaccept/posix_impl/background_result.hpp"
#include "endaccept/posix_impl/unique_fd.hpp"

namespace ea::posix_impl {

class AcceptResult final : public BackgroundResult {
 public:
  // `issuer` identifies the listener; the result never keeps it alive.
  AcceptResult(std::weak_ptr<const void> issuer, apm::AsyncCallback callback, apm::State state);

  bool issued_by(const std::shared_ptr<const void>& issuer) const noexcept;
  // EndAccept may take a result once: true for the first caller only.
  bool claim();
  // Blocks until the accept completed. Returns the accepted descriptor, or
  // throws SocketException (the accept failed) or ObjectDisposedException
  // (the listener was closed first).
  UniqueFd take_accepted();

  // The acceptor's side. Each completes a pending result; a result that was
  // already completed is left as it is.
  void complete_accepted(UniqueFd accepted);
  void complete_failed(int errno_value);
  // The listener was closed: a pending accept fails, and a socket accepted
  // but never taken is closed.
  void abandon();

 private:
  const std::weak_ptr<const void> issuer_;
  // Guarded by mutex_:
  bool claimed_ = false;
  bool abandoned_ = false;
  int error_ = 0;
  UniqueFd accepted_;
};

}  // namespace ea::posix_impl
