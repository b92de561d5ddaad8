// libFuzzer target: one adapter reply line, as hostile as it gets. Whatever
// the bytes, the decoder either returns JSON or throws ProtocolViolation; it
// never crashes, recurses without bound or lets invalid UTF-8 through, and
// the text helpers always give valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adapter_session.hpp"
#include "outcome.hpp"
#include "protocol_violation.hpp"
#include "untrusted_text.hpp"

using namespace ea::harness;

namespace {

void require(bool condition) {
  if (!condition) __builtin_trap();
}

template <typename Read>
void ignoring_violations(Read read) {
  try {
    read();
  } catch (const ProtocolViolation&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  try {
    const Json reply = decode_reply_line(line, "end_accept");
    // Strict dumping throws on invalid UTF-8: a decoded reply has none.
    static_cast<void>(reply.dump(-1, ' ', false, Json::error_handler_t::strict));
    if (reply.is_object() && reply.contains("result") && reply["result"].is_object()) {
      const Json& result = reply["result"];
      ignoring_violations([&] { static_cast<void>(reply_port(result, "port")); });
      ignoring_violations([&] { static_cast<void>(reply_count(result, "calls")); });
      ignoring_violations([&] { static_cast<void>(Outcome::from_adapter(reply_object(result, "outcome"))); });
    }
  } catch (const ProtocolViolation&) {
  }
  require(!first_invalid_utf8(one_line(line, 64)).has_value());
  require(!first_invalid_utf8(escaped_text(line)).has_value());
  const auto tail = utf8_suffix(line, 16);
  require(tail.size() <= 16 && line.ends_with(tail));
  const auto head = utf8_prefix(line, 16);
  require(head.size() <= 16 && line.starts_with(head));
  return 0;
}
