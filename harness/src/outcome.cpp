#include "outcome.hpp"

#include <array>
#include <regex>
#include <stdexcept>

#include "protocol_violation.hpp"

namespace ea::harness {

namespace {

constexpr std::array<const char*, 9> kKinds = {"Returned",         "Socket",       "ArgumentNull",
                                               "Argument",         "ObjectDisposed", "InvalidOperation",
                                               "SocketError",      "NotSupported", "Other"};

bool known_kind(const std::string& kind) {
  for (const char* k : kKinds)
    if (kind == k) return true;
  return false;
}

}  // namespace

bool is_windows_sockets_code(int code) { return code >= 10000 && code <= 11999; }

Outcome Outcome::from_adapter(const Json& value) {
  if (!value.is_object()) throw ProtocolViolation("outcome is not an object: " + value.dump());
  if (!value.contains("kind") || !value["kind"].is_string()) throw ProtocolViolation("outcome has no string kind: " + value.dump());
  Outcome outcome;
  outcome.kind = value["kind"];
  if (!known_kind(outcome.kind)) throw ProtocolViolation("unknown outcome kind '" + outcome.kind + "'");
  for (const char* field : {"type", "message"}) {
    if (value.contains(field) && !value[field].is_string())
      throw ProtocolViolation(std::string("outcome field ") + field + " is not a string");
  }
  outcome.type = value.value("type", "");
  outcome.message = value.value("message", "");
  if (outcome.kind == "SocketError") {
    if (!value.contains("code") || !value["code"].is_number_integer())
      throw ProtocolViolation("SocketError outcome without an integer code");
    outcome.code = value["code"].get<int>();
  }
  if (outcome.kind == "Other" && outcome.type.empty()) throw ProtocolViolation("Other outcome without a type");
  return outcome;
}

std::string Outcome::to_string() const {
  if (kind == "SocketError" && code) return "SocketError(" + std::to_string(*code) + ")";
  if (kind == "Other") return "Other(" + type + ")";
  return kind;
}

ExpectedOutcome ExpectedOutcome::parse(const std::string& pattern) {
  static const std::regex grammar(R"(^([A-Za-z]+)(\((\d+)\))?$)");
  std::smatch match;
  if (!std::regex_match(pattern, match, grammar) || !known_kind(match[1]) || match[1] == "Other")
    throw std::invalid_argument("not an expected outcome: " + pattern);
  ExpectedOutcome expected;
  expected.text_ = pattern;
  expected.kind_ = match[1];
  if (match[3].matched) {
    if (expected.kind_ != "SocketError") throw std::invalid_argument("only SocketError takes a code: " + pattern);
    expected.code_ = std::stoi(match[3]);
  }
  return expected;
}

bool ExpectedOutcome::matches(const Outcome& observed) const {
  if (observed.kind != kind_) return false;
  if (kind_ != "SocketError") return true;
  if (!observed.code || !is_windows_sockets_code(*observed.code)) return false;
  return !code_ || *code_ == *observed.code;
}

}  // namespace ea::harness
