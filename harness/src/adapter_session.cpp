#include "adapter_session.hpp"

#include <algorithm>
#include <cstdint>
#include <set>

#include "protocol_violation.hpp"
#include "untrusted_text.hpp"
#include "vocabulary.hpp"

namespace ea::harness {

bool AdapterIdentity::has(const std::string& capability) const {
  if (capability == "platform-supported") return platform_supported;
  return std::find(capabilities.begin(), capabilities.end(), capability) != capabilities.end();
}

namespace {

std::string shorten(std::string_view text) { return one_line(text, 200); }

std::string hex_byte(char c) {
  static constexpr char digits[] = "0123456789abcdef";
  const auto value = static_cast<unsigned char>(c);
  return std::string("0x") + digits[value >> 4] + digits[value & 0xF];
}

// nlohmann's integers are int64 or uint64; a uint64 beyond int64 would wrap
// on conversion, so it is out of every range the protocol has.
std::optional<long long> as_int64(const Json& value) {
  if (!value.is_number_integer()) return std::nullopt;
  if (value.is_number_unsigned() && value.get<unsigned long long>() > static_cast<unsigned long long>(INT64_MAX))
    return std::nullopt;
  return value.get<long long>();
}

bool declarable_capability(const std::string& name) {
  // platform-supported is the harness's reading of platform.supported, not
  // something an adapter declares.
  if (name == "platform-supported") return false;
  return std::find(vocabulary::kCapabilities.begin(), vocabulary::kCapabilities.end(), name) !=
         vocabulary::kCapabilities.end();
}

}  // namespace

Json decode_reply_line(std::string_view line, const std::string& op) {
  // Checked in this order, each before anything deeper looks at the line:
  // bytes, then nesting (so the parser never meets a depth it would recurse
  // on), then JSON itself.
  if (const auto nul = line.find('\0'); nul != std::string_view::npos)
    throw ProtocolViolation("reply to " + op + " holds a NUL byte at offset " + std::to_string(nul));
  if (const auto bad = first_invalid_utf8(line))
    throw ProtocolViolation("reply to " + op + " is not valid UTF-8 (byte " + hex_byte(line[*bad]) + " at offset " +
                            std::to_string(*bad) + ")");
  if (json_nests_deeper_than(line, kMaxReplyNesting))
    throw ProtocolViolation("reply to " + op + " nests arrays and objects deeper than " +
                            std::to_string(kMaxReplyNesting));
  std::vector<std::set<std::string>> names_at_depth;
  std::optional<std::string> repeated_name;
  const Json::parser_callback_t check = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if (event == Json::parse_event_t::object_start) {
      names_at_depth.resize(static_cast<std::size_t>(depth) + 1);
      names_at_depth.back().clear();
    } else if (event == Json::parse_event_t::key && depth >= 1 && !repeated_name) {
      // A key's depth counts the object it belongs to.
      auto& names = names_at_depth[static_cast<std::size_t>(depth) - 1];
      if (!names.insert(parsed.get<std::string>()).second) repeated_name = parsed.get<std::string>();
    }
    return true;
  };
  Json reply;
  try {
    reply = Json::parse(line.begin(), line.end(), check);
  } catch (const Json::exception&) {
    // parse_error, and out_of_range for a number beyond a double (1e400).
    throw ProtocolViolation("reply to " + op + " is not JSON: " + shorten(line));
  }
  if (repeated_name)
    throw ProtocolViolation("reply to " + op + " repeats the member name \"" + shorten(*repeated_name) +
                            "\" within one object");
  return reply;
}

Json AdapterSession::request(const std::string& op, const Json& args, Clock::time_point deadline) {
  return reply(send(op, args, deadline), op, deadline);
}

long long AdapterSession::send(const std::string& op, const Json& args, Clock::time_point deadline) {
  const long long id = next_id_++;
  const Json message = {{"id", id}, {"op", op}, {"args", args}};
  process_.write_line(message.dump(), deadline);
  return id;
}

Json AdapterSession::reply(long long id, const std::string& op, Clock::time_point deadline) {
  const std::string line = process_.read_line(deadline);
  const Json reply = decode_reply_line(line, op);
  if (!reply.is_object()) throw ProtocolViolation("reply to " + op + " is not a JSON object: " + shorten(line));
  if (!reply.contains("id") || !reply["id"].is_number_integer())
    throw ProtocolViolation("reply to " + op + " has no integer id: " + shorten(line));
  const auto reply_id = as_int64(reply["id"]);
  if (!reply_id || *reply_id < 0)
    throw ProtocolViolation("reply to " + op + " has id " + reply["id"].dump() + ", outside 0 to 2^63-1");
  if (*reply_id != id)
    throw ProtocolViolation("reply id " + std::to_string(*reply_id) + " answers request " + std::to_string(id) + " (" +
                            op + ")");
  if (!reply.contains("ok") || !reply["ok"].is_boolean())
    throw ProtocolViolation("reply to " + op + " has no boolean ok: " + shorten(line));
  if (!reply["ok"].get<bool>()) {
    const Json& error = reply.contains("error") ? reply["error"] : Json();
    if (!error.is_object() || !error.contains("code") || !error["code"].is_string() || !error.contains("message") ||
        !error["message"].is_string())
      throw ProtocolViolation("reply to " + op + " is ok: false without an error object of string code and message: " +
                              shorten(line));
    throw ProtocolViolation("adapter refused " + op + " (" + shorten(error["code"].get<std::string>()) +
                            "): " + shorten(error["message"].get<std::string>()));
  }
  if (!reply.contains("result") || !reply["result"].is_object())
    throw ProtocolViolation("reply to " + op + " has no result object: " + shorten(line));
  return reply["result"];
}

AdapterIdentity AdapterSession::hello(Clock::time_point deadline) {
  const Json result = request("hello", {{"protocol", kProtocolVersion}}, deadline);
  if (const long long protocol = reply_int(result, "protocol"); protocol != kProtocolVersion)
    throw ProtocolViolation("adapter speaks protocol " + std::to_string(protocol));
  AdapterIdentity identity;
  identity.adapter = reply_object(result, "adapter");
  for (const char* field : {"name", "version", "implementation"}) reply_string(identity.adapter, field);
  if (!result.contains("capabilities") || !result["capabilities"].is_array())
    throw ProtocolViolation("hello result has no capabilities array");
  for (const auto& capability : result["capabilities"]) {
    if (!capability.is_string()) throw ProtocolViolation("a capability is not a string");
    if (!declarable_capability(capability))
      throw ProtocolViolation("hello declares the unknown capability \"" + shorten(capability.get<std::string>()) + "\"");
    if (!identity.has(capability)) identity.capabilities.push_back(capability);
  }
  identity.platform = reply_object(result, "platform");
  identity.platform_supported = reply_bool(identity.platform, "supported");
  return identity;
}

bool reply_bool(const Json& result, const char* field) {
  if (!result.contains(field) || !result[field].is_boolean())
    throw ProtocolViolation(std::string("reply field ") + field + " missing or not a boolean");
  return result[field];
}

long long reply_int(const Json& result, const char* field) {
  return reply_int_in(result, field, INT64_MIN, INT64_MAX);
}

long long reply_int_in(const Json& result, const char* field, long long min, long long max) {
  if (!result.contains(field) || !result[field].is_number_integer())
    throw ProtocolViolation(std::string("reply field ") + field + " missing or not an integer");
  const auto value = as_int64(result[field]);
  if (!value || *value < min || *value > max)
    throw ProtocolViolation(std::string("reply field ") + field + " is " + result[field].dump() + ", outside " +
                            std::to_string(min) + " to " + std::to_string(max));
  return *value;
}

unsigned short reply_port(const Json& result, const char* field) {
  return static_cast<unsigned short>(reply_int_in(result, field, 1, 65535));
}

int reply_count(const Json& result, const char* field) {
  return static_cast<int>(reply_int_in(result, field, 0, INT32_MAX));
}

std::string reply_string(const Json& result, const char* field) {
  if (!result.contains(field) || !result[field].is_string())
    throw ProtocolViolation(std::string("reply field ") + field + " missing or not a string");
  return result[field];
}

const Json& reply_object(const Json& result, const char* field) {
  if (!result.contains(field) || !result[field].is_object())
    throw ProtocolViolation(std::string("reply field ") + field + " missing or not an object");
  return result[field];
}

}  // namespace ea::harness
