#pragma once
// The outcome vocabulary of spec/outcomes.md: what an adapter observed, and
// what a case expects.
#include <optional>
#include <string>

#include "json_file.hpp"

namespace ea::harness {

struct Outcome {
  std::string kind;  // Returned, Socket, ArgumentNull, ..., SocketError, Other
  std::optional<int> code;  // SocketError only: a Windows Sockets 2 number
  std::string type;
  std::string message;

  // Throws ProtocolViolation when the adapter's object is not an outcome.
  static Outcome from_adapter(const Json& value);
  std::string to_string() const;  // "SocketError(10024)", "Other(System.X)"
};

// "Socket", "ArgumentNull", "SocketError(10024)", "SocketError" (any
// Windows Sockets code).
class ExpectedOutcome {
 public:
  static ExpectedOutcome parse(const std::string& pattern);  // throws std::invalid_argument
  bool matches(const Outcome& observed) const;
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::string kind_;
  std::optional<int> code_;
};

bool is_windows_sockets_code(long long code);

}  // namespace ea::harness
