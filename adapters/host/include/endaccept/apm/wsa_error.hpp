#pragma once
// POSIX errno -> Windows Sockets 2 error number, as the contract reports
// socket errors in Windows Sockets terms on every platform.
namespace ea::apm {

// Returns the WSA number for `errno_value`; WSAEINVAL (10022) when POSIX
// has no Windows Sockets counterpart.
int wsa_error_from_errno(int errno_value) noexcept;

const char* wsa_error_name(int wsa_code) noexcept;  // "WSAEMFILE", ...

}  // namespace ea::apm
