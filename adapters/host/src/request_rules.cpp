#include <set>
#include "request_rules.hpp"

#include <limits>
#include <string>

#include "endaccept/host/request_error.hpp"
#include "names.hpp"

namespace ea::host {
namespace {

constexpr std::int64_t max_count = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t max_byte_count = 65536;

[[noreturn]] void malformed(std::string_view key, std::string_view expected) {
  throw RequestError(ErrorCode::bad_request,
                     "argument " + std::string(key) + " must be " + std::string(expected));
}

bool is_name(const Json& value) {
  return value.is_string() && is_valid_name(value.get_ref<const std::string&>());
}

bool is_one_of(const Json& value, std::initializer_list<std::string_view> choices) {
  if (!value.is_string()) return false;
  const auto& text = value.get_ref<const std::string&>();
  for (const auto choice : choices) {
    if (text == choice) return true;
  }
  return false;
}

bool is_in_range(const Json& value, std::int64_t low, std::int64_t high) {
  const auto number = as_int64(value);
  return number && *number >= low && *number <= high;
}

bool is_state(const Json& value) {
  if (value.is_null()) return true;
  if (!value.is_object() || value.size() != 1) return false;
  const auto member = value.begin();
  return (member.key() == "socket" || member.key() == "object") && is_name(member.value());
}

void check_value(const ArgumentRule& rule, const Json& value) {
  switch (rule.kind) {
    case ArgumentKind::name:
      if (!is_name(value)) malformed(rule.key, "a name matching ^[A-Za-z][A-Za-z0-9_-]{0,31}$");
      return;
    case ArgumentKind::text:
      if (!value.is_string()) malformed(rule.key, "a string");
      return;
    case ArgumentKind::integer:
      if (!as_int64(value)) malformed(rule.key, "a 64-bit integer");
      return;
    case ArgumentKind::count:
      if (!is_in_range(value, 0, max_count)) malformed(rule.key, "an integer from 0 to 2147483647");
      return;
    case ArgumentKind::byte_count:
      if (!is_in_range(value, 0, max_byte_count)) malformed(rule.key, "an integer from 0 to 65536");
      return;
    case ArgumentKind::port:
      if (!is_in_range(value, 1, 65535)) malformed(rule.key, "an integer from 1 to 65535");
      return;
    case ArgumentKind::flag:
      if (!value.is_boolean()) malformed(rule.key, "true or false");
      return;
    case ArgumentKind::names: {
      if (!value.is_array() || value.empty() || value.size() > 8) malformed(rule.key, "a list of 1 to 8 names");
      std::set<std::string> seen;
      for (const auto& item : value) {
        if (!is_name(item) || !seen.insert(item.get<std::string>()).second)
          malformed(rule.key, "a list of distinct names");
      }
      return;
    }
    case ArgumentKind::family:
      if (!is_one_of(value, {"ipv4", "ipv6"})) malformed(rule.key, "ipv4 or ipv6");
      return;
    case ArgumentKind::callback:
      if (!is_one_of(value, {"none", "record", "end_in_callback", "begin_again", "close_listener"})) {
        malformed(rule.key, "none, record, end_in_callback, begin_again or close_listener");
      }
      return;
    case ArgumentKind::foreign_kind:
      if (!is_one_of(value, {"other-operation", "caller-made"})) malformed(rule.key, "other-operation or caller-made");
      return;
    case ArgumentKind::state:
      if (!is_state(value)) malformed(rule.key, "null, {\"socket\": name} or {\"object\": name}");
      return;
  }
}

bool given(const Json& args, std::string_view key) {
  const auto found = args.find(key);
  return found != args.end() && !found->is_null();
}

}  // namespace

std::optional<std::int64_t> as_int64(const Json& value) {
  if (value.is_number_unsigned()) {
    const auto number = value.get<std::uint64_t>();
    if (number > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    return static_cast<std::int64_t>(number);
  }
  if (value.is_number_integer()) return value.get<std::int64_t>();
  return std::nullopt;
}

void check_arguments(const ArgumentRules& rules, const Json& args) {
  if (!args.is_object()) throw RequestError(ErrorCode::bad_request, "args is not an object");
  for (const auto& [key, value] : args.items()) {
    const ArgumentRule* rule = nullptr;
    for (const auto& field : rules.fields) {
      if (field.key == key) rule = &field;
    }
    if (!rule) throw RequestError(ErrorCode::bad_request, "unknown argument " + key);
    if (value.is_null() && rule->presence != Presence::required) continue;
    check_value(*rule, value);
  }
  for (const auto& field : rules.fields) {
    if (field.presence != Presence::optional && !args.contains(field.key)) {
      malformed(field.key, "given");
    }
  }
  if (rules.across_fields) rules.across_fields(args);
}

void begin_accept_across_fields(const Json& args) {
  const auto& callback = args.at("callback");
  const bool ends_in_callback = callback == "end_in_callback";
  const bool begins_again = callback == "begin_again";
  const bool closes_listener = callback == "close_listener";
  if ((ends_in_callback || begins_again) && !given(args, "accept_as")) {
    malformed("accept_as", "given with end_in_callback and begin_again");
  }
  if (!ends_in_callback && !begins_again && !closes_listener && given(args, "accept_as")) {
    malformed("accept_as", "absent with callback none and record");
  }
  if (!ends_in_callback && given(args, "receive")) malformed("receive", "absent except with end_in_callback");
  if (begins_again != given(args, "next_result")) malformed("next_result", "given with begin_again only");
  if (begins_again || closes_listener) {
    // The callback takes the listener out of AsyncState.
    const auto& state = args.at("state");
    if (!state.is_object() || !state.contains("socket")) malformed("state", "{\"socket\": name} with this callback");
  }
}

void end_accept_across_fields(const Json& args) {
  // Only a background call can wait at a gate.
  if (given(args, "park") && args.at("park") == true && !given(args, "task")) malformed("park", "given with task only");
  // The completion probe spins and holds threads on its own thread only.
  if (given(args, "when_completed_ms") && !given(args, "task")) malformed("when_completed_ms", "given with task only");
  if (given(args, "when_completed_ms") && given(args, "park") && args.at("park") == true)
    malformed("when_completed_ms", "absent with park");
}

void make_foreign_result_across_fields(const Json& args) {
  const bool other_operation = args.at("kind") == "other-operation";
  if (other_operation && !given(args, "port")) malformed("port", "given with other-operation");
  if (!other_operation && given(args, "port")) malformed("port", "absent with caller-made");
}

}  // namespace ea::host
