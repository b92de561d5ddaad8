#include "endaccept/host/request_error.hpp"

namespace ea::host {

std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::unsupported: return "unsupported";
    case ErrorCode::bad_request: return "bad_request";
    case ErrorCode::unknown_name: return "unknown_name";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

}  // namespace ea::host
