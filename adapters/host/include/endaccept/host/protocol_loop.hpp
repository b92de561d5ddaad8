#pragma once
// The line-delimited JSON loop between harness and adapter.
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "endaccept/host/adapter.hpp"

namespace ea::host {

inline constexpr std::size_t max_line_bytes = 1024 * 1024;
inline constexpr int max_json_nesting = 64;

// Answers one request line with one reply line (no newline): framing, JSON
// and the envelope only. The rules of a conversation (hello first,
// increasing ids) and the argument table are ProtocolSession's, so that unit
// tests of one operation can send just what that operation reads.
std::string handle_request_line(Adapter& adapter, std::string_view line);

// One adapter process's conversation: every rule of the protocol, including
// those that depend on earlier requests.
class ProtocolSession {
 public:
  explicit ProtocolSession(Adapter& adapter) : adapter_(adapter) {}

  std::string answer(std::string_view line);

 private:
  Adapter& adapter_;
  bool greeted_ = false;
  std::int64_t last_id_ = 0;
};

// Serves requests from `in` until EOF, writing and flushing one reply line
// per request. Returns the exit status.
int run_adapter(Adapter& adapter, std::istream& in, std::ostream& out);

// Serves stdin/stdout, then ends the process without unwinding: threads
// still blocked inside the implementation must not keep it alive.
[[noreturn]] void run_adapter_on_stdio(Adapter& adapter);

}  // namespace ea::host
