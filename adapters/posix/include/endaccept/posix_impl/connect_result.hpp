#pragma once
// The result BeginConnect returns. EndConnect is not part of the contract
// under test; the result matters as a result EndAccept must refuse.
#include <utility>

#include "endaccept/posix_impl/background_result.hpp"

namespace ea::posix_impl {

class ConnectResult final : public BackgroundResult {
 public:
  ConnectResult(apm::AsyncCallback callback, apm::State state)
      : BackgroundResult(std::move(callback), std::move(state)) {}

  void complete(int errno_value);
  int error() const;  // 0 once connected; valid after completion

 private:
  int error_ = 0;  // guarded by mutex_
};

}  // namespace ea::posix_impl
