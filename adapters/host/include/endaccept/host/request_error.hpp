#pragma once
// The failed reply of the protocol: the adapter could not even try.
#include <stdexcept>
#include <string>
#include <string_view>

namespace ea::host {

enum class ErrorCode { unsupported, bad_request, unknown_name, internal };

std::string_view to_string(ErrorCode code) noexcept;

class RequestError : public std::runtime_error {
 public:
  RequestError(ErrorCode code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace ea::host
