#pragma once
// Failed system calls surface as the contract's SocketException, which
// carries a Windows Sockets error number rather than errno.
namespace ea::posix_impl {

[[noreturn]] void throw_socket_error(int errno_value);

}  // namespace ea::posix_impl
