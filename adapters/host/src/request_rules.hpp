#pragma once
// The arguments each operation takes (spec/adapter-protocol.md, "Arguments").
// They are checked as a whole before the operation runs, so a malformed
// request is refused before any name is looked up or anything is called.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <vector>

#include "endaccept/host/adapter.hpp"

namespace ea::host {

enum class ArgumentKind {
  name,          // ^[A-Za-z][A-Za-z0-9_-]{0,31}$
  text,          // any string
  integer,       // any signed 64-bit integer
  count,         // 0 .. 2^31-1 (timeouts, backlog, call counts)
  byte_count,    // 0 .. 65536
  port,          // 1 .. 65535
  flag,          // true or false
  names,         // 1 to 8 names, no repeats
  family,        // "ipv4" | "ipv6"
  callback,      // "none" | "record" | "end_in_callback" | "begin_again" | "close_listener"
  foreign_kind,  // "other-operation" | "caller-made"
  state,         // null | {"socket": name} | {"object": name}
};

enum class Presence {
  required,           // present and not null
  required_nullable,  // present; null is a meaningful value
  optional,           // absent and null both mean "not given"
};

struct ArgumentRule {
  std::string_view key;
  ArgumentKind kind;
  Presence presence = Presence::required;
};

struct ArgumentRules {
  std::vector<ArgumentRule> fields;
  // Rules between fields (e.g. accept_as only with the callbacks that accept).
  void (*across_fields)(const Json& args) = nullptr;
};

// Throws RequestError(bad_request) unless `args` is an object that fits `rules`.
void check_arguments(const ArgumentRules& rules, const Json& args);

// The value of a JSON integer within the signed 64-bit range; empty for
// anything else (fractions, exponents, booleans, larger integers).
std::optional<std::int64_t> as_int64(const Json& value);

void begin_accept_across_fields(const Json& args);
void end_accept_across_fields(const Json& args);
void make_foreign_result_across_fields(const Json& args);

}  // namespace ea::host
