#include "step_context.hpp"

#include <algorithm>

#include "protocol_violation.hpp"

namespace ea::harness {

std::string describe_identity(const Json& identity) { return identity.is_null() ? "null" : identity.dump(); }

std::string with_detail(const Outcome& outcome) {
  std::string text = outcome.to_string();
  if (!outcome.message.empty()) text += " \"" + outcome.message + "\"";
  return text;
}

long long count_ms(Milliseconds ms) { return static_cast<long long>(ms.count()); }

std::string ms_text(Milliseconds ms) { return std::to_string(count_ms(ms)) + " ms"; }

Clock::time_point StepContext::deadline_after(Milliseconds wait) const {
  return std::min(Clock::now() + wait + timing.reply_grace(), case_deadline);
}

Json StepContext::call(const std::string& op, const Json& args, Milliseconds adapter_wait) {
  const auto deadline = deadline_after(adapter_wait);
  try {
    return session.request(op, args, deadline);
  } catch (const AdapterTimedOut&) {
    if (deadline >= case_deadline)
      throw AdapterTimedOut("the case exceeded its limit of " + std::to_string(count_ms(timing.case_limit())) +
                            " ms during " + op);
    throw AdapterTimedOut("no reply to " + op + " within " + ms_text(adapter_wait + timing.reply_grace()));
  }
}

Outcome StepContext::check_outcome(const Json& result, const std::string& expected, StepRecord& record) {
  const Outcome observed = Outcome::from_adapter(reply_object(result, "outcome"));
  record.expected = expected;
  record.observed = with_detail(observed);
  if (ExpectedOutcome::parse(expected).matches(observed)) return observed;
  std::string why = "expected " + expected + ", observed " + with_detail(observed);
  if (observed.kind == "SocketError" && observed.code && !is_windows_sockets_code(*observed.code))
    why += " (" + std::to_string(*observed.code) + " is not a Windows Sockets 2 error number)";
  throw StepFailed(why);
}

Json StepContext::socket_info(const std::string& socket) {
  Json info = call("socket_info", {{"socket", socket}});
  const Json& local = reply_object(info, "local");
  reply_string(local, "address");
  reply_port(local, "port");
  reply_bool(info, "connected");
  reply_string(info, "identity");
  if (!info.contains("remote") || !(info["remote"].is_null() || info["remote"].is_object()))
    throw ProtocolViolation("reply field remote missing or not an object or null");
  return info;
}

}  // namespace ea::harness
