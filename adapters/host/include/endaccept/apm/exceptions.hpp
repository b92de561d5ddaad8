#pragma once
// The exception types of the contract, mirroring System.Net.Sockets so that a
// C++ port reads like the API it ports. The adapter host maps each to an
// outcome kind of spec/outcomes.md.
#include <stdexcept>
#include <string>

namespace ea::apm {

struct ArgumentException : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

struct ArgumentNullException : ArgumentException {
  using ArgumentException::ArgumentException;
};

struct InvalidOperationException : std::logic_error {
  using std::logic_error::logic_error;
};

struct ObjectDisposedException : InvalidOperationException {
  using InvalidOperationException::InvalidOperationException;
};

struct NotSupportedException : std::logic_error {
  using std::logic_error::logic_error;
};

// `error_code` is a Windows Sockets 2 number (see wsa_error.hpp), never errno.
class SocketException : public std::runtime_error {
 public:
  SocketException(int error_code, const std::string& what)
      : std::runtime_error(what), error_code_(error_code) {}
  int error_code() const noexcept { return error_code_; }

 private:
  int error_code_;
};

}  // namespace ea::apm
