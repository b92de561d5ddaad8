#pragma once
// The harness side of spec/adapter-protocol.md: numbered requests, replies
// checked for id, shape and types before anything is believed.
#include <string>
#include <vector>

#include "adapter_process.hpp"
#include "json_file.hpp"

namespace ea::harness {

struct AdapterIdentity {
  Json adapter;  // name, version, implementation, ...
  std::vector<std::string> capabilities;
  bool platform_supported = true;
  Json platform;

  bool has(const std::string& capability) const;
};

class AdapterSession {
 public:
  static constexpr int kProtocolVersion = 1;

  explicit AdapterSession(AdapterProcess& process) : process_(process) {}

  AdapterIdentity hello(Clock::time_point deadline);
  // Returns the reply's "result" object. Throws ProtocolViolation for a bad
  // or refused reply, AdapterCrashed / AdapterTimedOut from the process.
  Json request(const std::string& op, const Json& args, Clock::time_point deadline);
  // The two halves of request, for a step that acts while the adapter is
  // still serving a request (e.g. sends bytes to a receive already started).
  long long send(const std::string& op, const Json& args, Clock::time_point deadline);
  Json reply(long long id, const std::string& op, Clock::time_point deadline);

 private:
  AdapterProcess& process_;
  long long next_id_ = 1;
};

// Typed reads of a reply field; a missing or mistyped field is a violation.
bool reply_bool(const Json& result, const char* field);
long long reply_int(const Json& result, const char* field);
std::string reply_string(const Json& result, const char* field);
const Json& reply_object(const Json& result, const char* field);

}  // namespace ea::harness
