#include "endaccept/posix_impl/socket_error.hpp"

#include <string>
#include <system_error>

#include "endaccept/apm/exceptions.hpp"
#include "endaccept/apm/wsa_error.hpp"

namespace ea::posix_impl {

void throw_socket_error(int errno_value) {
  const int code = apm::wsa_error_from_errno(errno_value);
  throw apm::SocketException(code, std::string(apm::wsa_error_name(code)) + ": " +
                                       std::generic_category().message(errno_value));
}

}  // namespace ea::posix_impl
