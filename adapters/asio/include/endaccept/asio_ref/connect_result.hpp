#pragma once
// The IAsyncResult of BeginConnect. The accept contract uses it only as a
// result that EndAccept must refuse.
#include "endaccept/asio_ref/async_operation.hpp"

namespace ea::asio_ref {

class ConnectResult final : public AsyncOperation {
 public:
  using AsyncOperation::AsyncOperation;

  void complete(std::error_code error) { finish(error); }
};

}  // namespace ea::asio_ref
