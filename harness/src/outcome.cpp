#include "outcome.hpp"

#include <array>
#include <cstdint>
#include <regex>
#include <stdexcept>

#include "protocol_violation.hpp"
#include "vocabulary.hpp"

namespace ea::harness {

namespace {

const vocabulary::OutcomeKind* find_kind(const std::string& kind) {
  for (const auto& known : vocabulary::kOutcomeKinds)
    if (kind == known.name) return &known;
  return nullptr;
}

bool known_kind(const std::string& kind) { return find_kind(kind) != nullptr; }

}  // namespace

bool is_windows_sockets_code(long long code) {
  return code >= vocabulary::kFirstWindowsSocketsCode && code <= vocabulary::kLastWindowsSocketsCode;
}

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
  const auto& kind = *find_kind(outcome.kind);
  if (kind.takes_code) {
    if (!value.contains("code") || !value["code"].is_number_integer())
      throw ProtocolViolation(outcome.kind + " outcome without an integer code");
    const Json& code = value["code"];
    // A code that does not fit is not silently wrapped into one that might match.
    const bool fits = code.is_number_unsigned() ? code.get<unsigned long long>() <= INT32_MAX
                                                : code.get<long long>() >= INT32_MIN && code.get<long long>() <= INT32_MAX;
    if (!fits) throw ProtocolViolation(outcome.kind + " code " + code.dump() + " is out of range");
    outcome.code = code.get<int>();
  }
  if (kind.observed_only && outcome.type.empty()) throw ProtocolViolation(outcome.kind + " outcome without a type");
  return outcome;
}

std::string Outcome::to_string() const {
  if (code) return kind + "(" + std::to_string(*code) + ")";
  if (find_kind(kind)->observed_only) return kind + "(" + type + ")";
  return kind;
}

ExpectedOutcome ExpectedOutcome::parse(const std::string& pattern) {
  static const std::regex grammar(R"(^([A-Za-z]+)(\((\d+)\))?$)");
  std::smatch match;
  const auto* kind = std::regex_match(pattern, match, grammar) ? find_kind(match[1]) : nullptr;
  if (!kind || kind->observed_only) throw std::invalid_argument("not an expected outcome: " + pattern);
  ExpectedOutcome expected;
  expected.text_ = pattern;
  expected.kind_ = match[1];
  if (match[3].matched) {
    if (!kind->takes_code) throw std::invalid_argument("only SocketError takes a code: " + pattern);
    const std::string digits = match[3];
    if (digits.size() > 6 || !is_windows_sockets_code(std::stoll(digits)))
      throw std::invalid_argument(pattern + ": " + digits + " is not a Windows Sockets 2 error number (" +
                                  std::to_string(vocabulary::kFirstWindowsSocketsCode) + "-" +
                                  std::to_string(vocabulary::kLastWindowsSocketsCode) + ")");
    expected.code_ = std::stoi(digits);
  }
  return expected;
}

bool ExpectedOutcome::matches(const Outcome& observed) const {
  if (observed.kind != kind_) return false;
  if (!find_kind(kind_)->takes_code) return true;
  if (!observed.code || !is_windows_sockets_code(*observed.code)) return false;
  return !code_ || *code_ == *observed.code;
}

}  // namespace ea::harness
