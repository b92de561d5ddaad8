#pragma once
// The harness side of spec/adapter-protocol.md: numbered requests, replies
// checked for id, shape and types before anything is believed.
#include <string>
#include <string_view>
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

// The same limit as for requests (spec/adapter-protocol.md, "Framing").
inline constexpr int kMaxReplyNesting = 64;

// One reply line, checked byte by byte (no NUL, valid UTF-8), for nesting
// (before the parser sees it) and as strict JSON (no repeated member name).
// Throws ProtocolViolation; never recurses on the input.
Json decode_reply_line(std::string_view line, const std::string& op);

// Typed reads of a reply field; a missing or mistyped field, or an integer
// outside its range, is a violation (never wrapped into one that fits).
bool reply_bool(const Json& result, const char* field);
long long reply_int(const Json& result, const char* field);  // the signed 64-bit range
long long reply_int_in(const Json& result, const char* field, long long min, long long max);
unsigned short reply_port(const Json& result, const char* field);  // 1 to 65535
int reply_count(const Json& result, const char* field);             // 0 to 2^31-1
std::string reply_string(const Json& result, const char* field);
const Json& reply_object(const Json& result, const char* field);

}  // namespace ea::harness
