#pragma once
// Errors of the operating system reach the caller as SocketException with a
// Windows Sockets number, whatever the platform.
#include <system_error>

namespace ea::asio_ref {

[[noreturn]] void throw_socket_error(const std::error_code& error);

}  // namespace ea::asio_ref
