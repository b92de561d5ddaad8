#include "socket_error.hpp"

#include <asio/error.hpp>

#include "endaccept/apm/exceptions.hpp"
#include "endaccept/apm/wsa_error.hpp"
#include "endaccept/asio_ref/mutant.hpp"

namespace ea::asio_ref {

void throw_socket_error(const std::error_code& error) {
  constexpr int wsa_invalid_argument = 10022;
  // Asio reports errno values in a category of its own.
  const bool from_os = error.category() == asio::system_category() || error.category() == std::system_category();
  int code = from_os ? apm::wsa_error_from_errno(error.value()) : wsa_invalid_argument;
  if (from_os && mutant::active(Mutant::raw_errno)) code = error.value();
  throw apm::SocketException(code, error.message());
}

}  // namespace ea::asio_ref
