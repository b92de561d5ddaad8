#include "adapter_session.hpp"

#include <algorithm>

#include "protocol_violation.hpp"

namespace ea::harness {

bool AdapterIdentity::has(const std::string& capability) const {
  if (capability == "platform-supported") return platform_supported;
  return std::find(capabilities.begin(), capabilities.end(), capability) != capabilities.end();
}

namespace {

std::string shorten(const std::string& text) { return text.size() <= 200 ? text : text.substr(0, 200) + "..."; }

}  // namespace

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

  Json reply;
  try {
    reply = Json::parse(line);
  } catch (const Json::parse_error&) {
    throw ProtocolViolation("reply to " + op + " is not JSON: " + shorten(line));
  }
  if (!reply.is_object()) throw ProtocolViolation("reply to " + op + " is not a JSON object: " + shorten(line));
  if (!reply.contains("id") || !reply["id"].is_number_integer())
    throw ProtocolViolation("reply to " + op + " has no integer id: " + shorten(line));
  if (reply["id"].get<long long>() != id)
    throw ProtocolViolation("reply id " + std::to_string(reply["id"].get<long long>()) + " answers request " +
                            std::to_string(id) + " (" + op + ")");
  if (!reply.contains("ok") || !reply["ok"].is_boolean())
    throw ProtocolViolation("reply to " + op + " has no boolean ok: " + shorten(line));
  if (!reply["ok"].get<bool>()) {
    const Json error = reply.value("error", Json::object());
    const std::string code = error.is_object() ? error.value("code", "?") : "?";
    const std::string text = error.is_object() ? error.value("message", "") : "";
    throw ProtocolViolation("adapter refused " + op + " (" + code + "): " + text);
  }
  if (!reply.contains("result") || !reply["result"].is_object())
    throw ProtocolViolation("reply to " + op + " has no result object: " + shorten(line));
  return reply["result"];
}

AdapterIdentity AdapterSession::hello(Clock::time_point deadline) {
  const Json result = request("hello", {{"protocol", kProtocolVersion}}, deadline);
  if (reply_int(result, "protocol") != kProtocolVersion)
    throw ProtocolViolation("adapter speaks protocol " + std::to_string(reply_int(result, "protocol")));
  AdapterIdentity identity;
  identity.adapter = reply_object(result, "adapter");
  for (const char* field : {"name", "version", "implementation"}) reply_string(identity.adapter, field);
  if (!result.contains("capabilities") || !result["capabilities"].is_array())
    throw ProtocolViolation("hello result has no capabilities array");
  for (const auto& capability : result["capabilities"]) {
    if (!capability.is_string()) throw ProtocolViolation("a capability is not a string");
    identity.capabilities.push_back(capability);
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
  if (!result.contains(field) || !result[field].is_number_integer())
    throw ProtocolViolation(std::string("reply field ") + field + " missing or not an integer");
  return result[field];
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
