#include "args.hpp"

#include "endaccept/host/request_error.hpp"
#include "names.hpp"

namespace ea::host {
namespace {

[[noreturn]] void malformed(const char* key, const char* expected) {
  throw RequestError(ErrorCode::bad_request, std::string("argument ") + key + " must be " + expected);
}

}  // namespace

const Json& Args::value(const char* key) const {
  static const Json absent;
  const auto found = args_.find(key);
  return found == args_.end() ? absent : *found;
}

std::string Args::name(const char* key) const {
  const Json& name = value(key);
  if (!name.is_string() || !is_valid_name(name.get_ref<const std::string&>())) {
    malformed(key, "a name matching ^[A-Za-z][A-Za-z0-9_-]{0,31}$");
  }
  return name.get<std::string>();
}

std::optional<std::string> Args::optional_name(const char* key) const {
  if (value(key).is_null()) return std::nullopt;
  return name(key);
}

std::string Args::text(const char* key) const {
  const Json& text = value(key);
  if (!text.is_string()) malformed(key, "a string");
  return text.get<std::string>();
}

std::string Args::text_or(const char* key, const std::string& fallback) const {
  return value(key).is_null() ? fallback : text(key);
}

std::int64_t Args::count(const char* key) const {
  const Json& count = value(key);
  if (!count.is_number_integer() || count.get<std::int64_t>() < 0) {
    malformed(key, "a non-negative integer");
  }
  return count.get<std::int64_t>();
}

std::int64_t Args::count_or(const char* key, std::int64_t fallback) const {
  return value(key).is_null() ? fallback : count(key);
}

std::chrono::milliseconds Args::timeout(const char* key) const {
  return std::chrono::milliseconds(count(key));
}

bool Args::flag(const char* key) const {
  const Json& flag = value(key);
  if (!flag.is_boolean()) malformed(key, "true or false");
  return flag.get<bool>();
}

}  // namespace ea::host
