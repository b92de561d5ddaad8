#include "step_interpreter.hpp"

#include <algorithm>
#include <thread>

#include "protocol_violation.hpp"

namespace ea::harness {

namespace {

using Handler = void (StepInterpreter::*)(const Json&, StepRecord&);

std::string describe_identity(const Json& identity) { return identity.is_null() ? "null" : identity.dump(); }

std::string with_detail(const Outcome& outcome) {
  std::string text = outcome.to_string();
  if (!outcome.message.empty()) text += " \"" + outcome.message + "\"";
  return text;
}

long long count_ms(Milliseconds ms) { return static_cast<long long>(ms.count()); }

}  // namespace

StepInterpreter::StepInterpreter(AdapterSession& session, AdapterProcess& process, const Timing& timing,
                                 Clock::time_point case_deadline)
    : session_(session),
      process_(process),
      timing_(timing),
      case_deadline_(case_deadline),
      descriptor_limit_(process.pid()) {}

void StepInterpreter::run(const Json& step, StepRecord& record) {
  static const std::map<std::string, Handler> handlers = {
      {"listen", &StepInterpreter::listen},
      {"begin_accept", &StepInterpreter::begin_accept},
      {"end_accept", &StepInterpreter::end_accept},
      {"make_foreign_result", &StepInterpreter::make_foreign_result},
      {"close", &StepInterpreter::close},
      {"connect", &StepInterpreter::connect},
      {"close_client", &StepInterpreter::close_client},
      {"expect_blocked", &StepInterpreter::expect_blocked},
      {"await", &StepInterpreter::await},
      {"await_all", &StepInterpreter::await_all},
      {"expect_connected", &StepInterpreter::expect_connected},
      {"expect_pairing", &StepInterpreter::expect_pairing},
      {"exchange", &StepInterpreter::exchange},
      {"send_from_client", &StepInterpreter::send_from_client},
      {"expect_received", &StepInterpreter::expect_received},
      {"expect_result", &StepInterpreter::expect_result},
      {"expect_wait_handle", &StepInterpreter::expect_wait_handle},
      {"expect_callback", &StepInterpreter::expect_callback},
      {"limit_descriptors", &StepInterpreter::limit_descriptors},
      {"restore_descriptors", &StepInterpreter::restore_descriptors},
      {"snapshot_descriptors", &StepInterpreter::snapshot_descriptors},
      {"expect_descriptors", &StepInterpreter::expect_descriptors},
      {"set_tracing", &StepInterpreter::set_tracing},
      {"expect_trace", &StepInterpreter::expect_trace},
  };
  const auto handler = handlers.find(step.at("op").get<std::string>());
  // Case files are validated before any run, so this is a harness bug.
  if (handler == handlers.end()) throw std::logic_error("no handler for step op " + step.at("op").get<std::string>());
  (this->*handler->second)(step, record);
}

Clock::time_point StepInterpreter::deadline_after(Milliseconds wait) const {
  return std::min(Clock::now() + wait + timing_.reply_grace(), case_deadline_);
}

Json StepInterpreter::call(const std::string& op, const Json& args, Milliseconds adapter_wait) {
  const auto deadline = deadline_after(adapter_wait);
  try {
    return session_.request(op, args, deadline);
  } catch (const AdapterTimedOut&) {
    if (deadline >= case_deadline_)
      throw AdapterTimedOut("the case exceeded its limit of " + std::to_string(count_ms(timing_.case_limit())) +
                            " ms during " + op);
    throw AdapterTimedOut("no reply to " + op + " within " +
                          std::to_string(count_ms(adapter_wait + timing_.reply_grace())) + " ms");
  }
}

Outcome StepInterpreter::check_outcome(const Json& result, const std::string& expected, StepRecord& record) {
  const Outcome observed = Outcome::from_adapter(reply_object(result, "outcome"));
  record.expected = expected;
  record.observed = with_detail(observed);
  if (ExpectedOutcome::parse(expected).matches(observed)) return observed;
  std::string why = "expected " + expected + ", observed " + with_detail(observed);
  if (observed.kind == "SocketError" && observed.code && !is_windows_sockets_code(*observed.code))
    why += " (" + std::to_string(*observed.code) + " is not a Windows Sockets 2 error number)";
  throw StepFailed(why);
}

TestClient& StepInterpreter::client(const std::string& name) { return *clients_.at(name); }

Json StepInterpreter::socket_info(const std::string& socket) {
  Json info = call("socket_info", {{"socket", socket}});
  const Json& local = reply_object(info, "local");
  reply_string(local, "address");
  reply_int(local, "port");
  reply_bool(info, "connected");
  reply_string(info, "identity");
  if (!info.contains("remote") || !(info["remote"].is_null() || info["remote"].is_object()))
    throw ProtocolViolation("reply field remote missing or not an object or null");
  return info;
}

void StepInterpreter::listen(const Json& step, StepRecord& record) {
  const std::string family = step.value("family", "ipv4");
  const Json result =
      call("listen", {{"socket", step["socket"]}, {"family", family}, {"backlog", step.value("backlog", 16)}});
  check_outcome(result, "Returned", record);
  const Address address{reply_string(result, "address"), static_cast<unsigned short>(reply_int(result, "port"))};
  listeners_[step["socket"]] = address;
  record.observed = "listening on " + address.to_string();
}

void StepInterpreter::begin_accept(const Json& step, StepRecord& record) {
  Json args = {{"socket", step["socket"]},
               {"result", step["result"]},
               {"state", step.value("state", Json())},
               {"callback", step.value("callback", "none")}};
  if (step.contains("accept_as")) args["accept_as"] = step["accept_as"];
  if (step.contains("receive")) args["receive"] = step["receive"];
  check_outcome(call("begin_accept", args), step.value("expect", "Returned"), record);
}

void StepInterpreter::end_accept(const Json& step, StepRecord& record) {
  Json args = {{"socket", step["socket"]}, {"result", step["result"]}};
  if (step.contains("as")) args["as"] = step["as"];
  if (step.contains("in_background")) {
    args["task"] = step["in_background"];
    const Json result = call("end_accept", args);
    if (!reply_bool(result, "started")) throw ProtocolViolation("background end_accept not started");
    record.expected = "started on another thread";
    record.observed = "started";
    return;
  }
  const auto within = timing_.within(step);
  const auto deadline = deadline_after(within);
  try {
    check_outcome(session_.request("end_accept", args, deadline), step["expect"], record);
  } catch (const AdapterTimedOut&) {
    throw AdapterTimedOut("EndAccept did not return within " + std::to_string(count_ms(within + timing_.reply_grace())) +
                          " ms (expected " + step["expect"].get<std::string>() + ")");
  }
}

void StepInterpreter::make_foreign_result(const Json& step, StepRecord& record) {
  Json args = {{"result", step["result"]}, {"kind", step["kind"]}};
  if (step.contains("target")) args["port"] = listeners_.at(step["target"]).port;
  check_outcome(call("make_foreign_result", args, Milliseconds(5000)), "Returned", record);
}

void StepInterpreter::close(const Json& step, StepRecord& record) {
  check_outcome(call("close", {{"socket", step["socket"]}}), step.value("expect", "Returned"), record);
}

void StepInterpreter::connect(const Json& step, StepRecord& record) {
  auto fresh = std::make_unique<TestClient>();
  const Address& server = listeners_.at(step["to"]);
  record.expected = "connected to " + server.to_string();
  try {
    fresh->connect(server, Clock::now() + timing_.within(step));
  } catch (const std::runtime_error& e) {
    record.observed = e.what();
    throw StepFailed(std::string("the client could not connect: ") + e.what());
  }
  record.observed = "connected from " + fresh->local().to_string();
  clients_[step["client"]] = std::move(fresh);
}

void StepInterpreter::close_client(const Json& step, StepRecord& record) {
  client(step["client"]).close();
  record.expected = record.observed = "closed";
}

void StepInterpreter::expect_blocked(const Json& step, StepRecord& record) {
  const auto hold = timing_.hold(step);
  record.expected = "still blocked after " + std::to_string(count_ms(hold)) + " ms";
  const Json result = call("await_task", {{"task", step["task"]}, {"timeout_ms", count_ms(hold)}}, hold);
  if (!reply_bool(result, "done")) {
    record.observed = "still blocked";
    return;
  }
  const Outcome outcome = Outcome::from_adapter(reply_object(result, "outcome"));
  record.observed = "returned " + with_detail(outcome);
  throw StepFailed("EndAccept returned " + with_detail(outcome) + " before the hold period of " +
                   std::to_string(count_ms(hold)) + " ms was over, with nothing to return");
}

void StepInterpreter::await(const Json& step, StepRecord& record) {
  const auto within = timing_.within(step);
  const Json result = call("await_task", {{"task", step["task"]}, {"timeout_ms", count_ms(within)}}, within);
  if (!reply_bool(result, "done")) {
    record.expected = step["expect"];
    record.observed = "still blocked";
    throw StepFailed("EndAccept was still blocked after " + std::to_string(count_ms(within)) + " ms (expected " +
                     step["expect"].get<std::string>() + ")");
  }
  check_outcome(result, step["expect"], record);
}

void StepInterpreter::await_all(const Json& step, StepRecord& record) {
  const auto within = timing_.within(step);
  const auto until = Clock::now() + within;
  std::vector<Outcome> observed;
  std::string observed_text;
  for (const auto& task : step["tasks"]) {
    const auto left = std::max(Milliseconds(0), std::chrono::duration_cast<Milliseconds>(until - Clock::now()));
    const Json result = call("await_task", {{"task", task}, {"timeout_ms", count_ms(left)}}, left);
    if (!reply_bool(result, "done")) {
      record.observed = task.get<std::string>() + " still blocked";
      throw StepFailed("task " + task.get<std::string>() + " was still blocked after " +
                       std::to_string(count_ms(within)) + " ms");
    }
    observed.push_back(Outcome::from_adapter(reply_object(result, "outcome")));
    observed_text += (observed_text.empty() ? "" : ", ") + observed.back().to_string();
  }
  std::string expected_text;
  std::vector<ExpectedOutcome> expected;
  for (const auto& pattern : step["expect_each_of"]) {
    expected.push_back(ExpectedOutcome::parse(pattern));
    expected_text += (expected_text.empty() ? "" : ", ") + pattern.get<std::string>();
  }
  record.expected = "one each of: " + expected_text;
  record.observed = observed_text;
  // The order in which racing threads win is not part of the contract: any
  // assignment of observed outcomes to expected ones will do.
  std::vector<std::size_t> order(observed.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  do {
    bool all = true;
    for (std::size_t i = 0; i < order.size() && all; ++i) all = expected[i].matches(observed[order[i]]);
    if (all) return;
  } while (std::next_permutation(order.begin(), order.end()));
  throw StepFailed("expected one each of " + expected_text + ", observed " + observed_text);
}

void StepInterpreter::expect_connected(const Json& step, StepRecord& record) {
  const TestClient& peer = client(step["client"]);
  const Json accepted = socket_info(step["socket"]);
  const Json listener = socket_info(step["listener"]);
  const Address local{accepted["local"]["address"], static_cast<unsigned short>(accepted["local"]["port"].get<int>())};
  record.expected = "a new connected socket, local " + peer.remote().to_string() + ", remote " + peer.local().to_string();
  std::string observed = std::string(reply_bool(accepted, "connected") ? "connected" : "not connected") + ", local " +
                         local.to_string();
  std::optional<Address> remote;
  if (accepted["remote"].is_object()) {
    remote = Address{reply_string(accepted["remote"], "address"),
                     static_cast<unsigned short>(reply_int(accepted["remote"], "port"))};
    observed += ", remote " + remote->to_string();
  } else {
    observed += ", no remote endpoint";
  }
  record.observed = observed + ", identity " + accepted["identity"].get<std::string>();
  if (accepted["identity"] == listener["identity"])
    throw StepFailed("the returned socket is the listener itself (" + accepted["identity"].get<std::string>() + ")");
  if (!accepted["connected"].get<bool>()) throw StepFailed("the returned socket is not connected");
  if (!remote || !(*remote == peer.local()))
    throw StepFailed("the returned socket's remote endpoint is not the client (" + record.observed + ")");
  if (!(local == peer.remote()))
    throw StepFailed("the returned socket's local endpoint is not the address the client connected to");
}

void StepInterpreter::expect_pairing(const Json& step, StepRecord& record) {
  const Json listener = socket_info(step["listener"]);
  std::vector<std::string> unmatched;
  for (const auto& name : step["clients"]) unmatched.push_back(name);
  record.expected = "each socket connected to a different one of the clients";
  std::string observed;
  for (const auto& socket : step["sockets"]) {
    const Json info = socket_info(socket);
    if (info["identity"] == listener["identity"]) throw StepFailed(socket.get<std::string>() + " is the listener itself");
    if (!info["remote"].is_object()) throw StepFailed(socket.get<std::string>() + " has no remote endpoint");
    const Address remote{reply_string(info["remote"], "address"),
                         static_cast<unsigned short>(reply_int(info["remote"], "port"))};
    const auto match = std::find_if(unmatched.begin(), unmatched.end(),
                                    [&](const std::string& name) { return client(name).local() == remote; });
    observed += (observed.empty() ? "" : ", ") + socket.get<std::string>() + " <- " + remote.to_string();
    if (match == unmatched.end()) {
      record.observed = observed;
      throw StepFailed(socket.get<std::string>() + " is connected to " + remote.to_string() +
                       ", which is none of the remaining clients");
    }
    unmatched.erase(match);
  }
  record.observed = observed;
}

void StepInterpreter::exchange(const Json& step, StepRecord& record) {
  const std::string to_server = step.value("data", "ping from the remote host");
  const std::string to_client(to_server.rbegin(), to_server.rend());
  TestClient& peer = client(step["client"]);
  const auto within = timing_.within(step);
  record.expected = "\"" + to_server + "\" arrives on the socket; \"" + to_client + "\" arrives at the client";

  peer.send(to_server, Clock::now() + within);
  const Json received = call("receive", {{"socket", step["socket"]}, {"count", to_server.size()}, {"timeout_ms", count_ms(within)}}, within);
  const Outcome receive_outcome = Outcome::from_adapter(reply_object(received, "outcome"));
  const std::string got = reply_string(received, "data");
  record.observed = "socket received \"" + got + "\" (" + receive_outcome.to_string() + ")";
  if (got != to_server) throw StepFailed("the socket received \"" + got + "\" instead of \"" + to_server + "\"");

  const Json sent = call("send", {{"socket", step["socket"]}, {"data", to_client}}, within);
  const Outcome send_outcome = Outcome::from_adapter(reply_object(sent, "outcome"));
  if (send_outcome.kind != "Returned") throw StepFailed("sending on the socket failed: " + with_detail(send_outcome));
  const std::string back = peer.receive(to_client.size(), Clock::now() + within);
  record.observed += "; client received \"" + back + "\"";
  if (back != to_client) throw StepFailed("the client received \"" + back + "\" instead of \"" + to_client + "\"");
}

void StepInterpreter::send_from_client(const Json& step, StepRecord& record) {
  client(step["client"]).send(step["data"], Clock::now() + timing_.within(step));
  record.expected = record.observed = "sent \"" + step["data"].get<std::string>() + "\"";
}

void StepInterpreter::expect_received(const Json& step, StepRecord& record) {
  const std::string data = step["data"];
  const auto within = timing_.within(step);
  const Json result =
      call("collect_received", {{"socket", step["socket"]}, {"count", data.size()}, {"timeout_ms", count_ms(within)}}, within);
  const std::string got = reply_string(result, "data");
  record.expected = "\"" + data + "\"";
  record.observed = "\"" + got + "\"";
  if (got != data) throw StepFailed("the receive started in the callback got \"" + got + "\" instead of \"" + data + "\"");
}

void StepInterpreter::expect_result(const Json& step, StepRecord& record) {
  const Json info = call("result_info", {{"result", step["result"]}});
  std::string expected, observed;
  std::string mismatch;
  for (const char* field : {"is_completed", "completed_synchronously"}) {
    if (!step.contains(field)) continue;
    const bool want = step[field];
    const bool got = reply_bool(info, field);
    expected += std::string(expected.empty() ? "" : ", ") + field + "=" + (want ? "true" : "false");
    observed += std::string(observed.empty() ? "" : ", ") + field + "=" + (got ? "true" : "false");
    if (want != got && mismatch.empty()) mismatch = std::string(field) + " is " + (got ? "true" : "false");
  }
  if (step.contains("async_state")) {
    if (!info.contains("async_state")) throw ProtocolViolation("result_info has no async_state");
    expected += (expected.empty() ? "" : ", ") + std::string("AsyncState=") + describe_identity(step["async_state"]);
    observed += (observed.empty() ? "" : ", ") + std::string("AsyncState=") + describe_identity(info["async_state"]);
    if (info["async_state"] != step["async_state"] && mismatch.empty())
      mismatch = "AsyncState is " + describe_identity(info["async_state"]) + ", not " + describe_identity(step["async_state"]);
  }
  record.expected = expected;
  record.observed = observed;
  if (!mismatch.empty()) throw StepFailed(mismatch);
}

void StepInterpreter::expect_wait_handle(const Json& step, StepRecord& record) {
  const bool want = step["signalled"];
  const auto wait = want ? timing_.within(step) : timing_.hold(step);
  const Json result = call("wait_handle", {{"result", step["result"]}, {"timeout_ms", count_ms(wait)}}, wait);
  const bool got = reply_bool(result, "signalled");
  record.expected = want ? "signalled within " + std::to_string(count_ms(wait)) + " ms"
                         : "not signalled for " + std::to_string(count_ms(wait)) + " ms";
  record.observed = got ? "signalled" : "not signalled";
  if (got != want)
    throw StepFailed(want ? "AsyncWaitHandle was not signalled within " + std::to_string(count_ms(wait)) + " ms"
                          : "AsyncWaitHandle was signalled while nothing could have completed");
}

void StepInterpreter::expect_callback(const Json& step, StepRecord& record) {
  const int calls = step.value("calls", 1);
  const auto hold = timing_.hold(step);
  Json info;
  if (calls > 0) {
    const auto within = timing_.within(step);
    info = call("callback_info", {{"result", step["result"]}, {"min_calls", calls}, {"timeout_ms", count_ms(within)}}, within);
    if (reply_int(info, "calls") < calls) {
      record.expected = std::to_string(calls) + " call(s)";
      record.observed = std::to_string(reply_int(info, "calls")) + " call(s) after " + std::to_string(count_ms(within)) + " ms";
      throw StepFailed("the callback ran " + std::to_string(reply_int(info, "calls")) + " time(s) within " +
                       std::to_string(count_ms(within)) + " ms, expected " + std::to_string(calls));
    }
  }
  // Watch for one more invocation than expected, for the hold period.
  info = call("callback_info", {{"result", step["result"]}, {"min_calls", calls + 1}, {"timeout_ms", count_ms(hold)}}, hold);
  const long long observed_calls = reply_int(info, "calls");
  record.expected = "exactly " + std::to_string(calls) + " call(s)";
  record.observed = std::to_string(observed_calls) + " call(s)";
  if (observed_calls != calls)
    throw StepFailed("the callback ran " + std::to_string(observed_calls) + " time(s), expected exactly " + std::to_string(calls));
  if (!info.contains("invocations") || !info["invocations"].is_array() ||
      static_cast<long long>(info["invocations"].size()) != observed_calls)
    throw ProtocolViolation("callback_info invocations do not match calls");

  for (const auto& invocation : info["invocations"]) {
    for (const char* flag : {"on_begin_thread", "begin_returned", "same_result"}) {
      if (!step.contains(flag)) continue;
      const bool want = step[flag];
      const bool got = reply_bool(invocation, flag);
      record.expected += std::string(", ") + flag + "=" + (want ? "true" : "false");
      record.observed += std::string(", ") + flag + "=" + (got ? "true" : "false");
      if (got != want) {
        if (std::string(flag) == "on_begin_thread")
          throw StepFailed("the callback ran on the thread that called BeginAccept");
        if (std::string(flag) == "begin_returned")
          throw StepFailed("the callback ran before BeginAccept had returned");
        throw StepFailed("the callback was given a different result object than BeginAccept returned");
      }
    }
    if (step.contains("async_state")) {
      if (!invocation.contains("async_state")) throw ProtocolViolation("invocation has no async_state");
      record.expected += ", AsyncState=" + describe_identity(step["async_state"]);
      record.observed += ", AsyncState=" + describe_identity(invocation["async_state"]);
      if (invocation["async_state"] != step["async_state"])
        throw StepFailed("in the callback, AsyncState is " + describe_identity(invocation["async_state"]));
    }
    if (step.contains("end_outcome")) {
      if (!invocation.contains("end_outcome")) throw ProtocolViolation("invocation has no end_outcome");
      const Outcome outcome = Outcome::from_adapter(invocation["end_outcome"]);
      record.expected += ", EndAccept in callback: " + step["end_outcome"].get<std::string>();
      record.observed += ", EndAccept in callback: " + with_detail(outcome);
      if (!ExpectedOutcome::parse(step["end_outcome"]).matches(outcome))
        throw StepFailed("EndAccept inside the callback gave " + with_detail(outcome) + ", expected " +
                         step["end_outcome"].get<std::string>());
    }
  }
}

void StepInterpreter::limit_descriptors(const Json&, StepRecord& record) {
  descriptor_limit_.exhaust();
  record.expected = record.observed = "no descriptor left to the adapter process";
}

void StepInterpreter::restore_descriptors(const Json&, StepRecord& record) {
  descriptor_limit_.restore();
  record.expected = record.observed = "descriptor limit restored";
}

void StepInterpreter::snapshot_descriptors(const Json& step, StepRecord& record) {
  const auto count = count_open_descriptors(process_.pid());
  if (!count) throw std::runtime_error("cannot read /proc/" + std::to_string(process_.pid()) + "/fd");
  snapshots_[step["as"]] = *count;
  record.expected = "a baseline";
  record.observed = std::to_string(*count) + " open descriptors";
}

void StepInterpreter::expect_descriptors(const Json& step, StepRecord& record) {
  const int baseline = snapshots_.at(step["same_as"]);
  const auto within = timing_.within(step);
  const auto until = Clock::now() + within;
  record.expected = std::to_string(baseline) + " open descriptors";
  // Descriptors may be released by a worker thread shortly after Close
  // returns; there is no event for that, so poll briefly until the deadline.
  std::optional<int> count;
  for (;;) {
    count = count_open_descriptors(process_.pid());
    if (!count) throw std::runtime_error("cannot read /proc/" + std::to_string(process_.pid()) + "/fd");
    if (*count <= baseline || Clock::now() >= until) break;
    std::this_thread::sleep_for(Milliseconds(10));
  }
  record.observed = std::to_string(*count) + " open descriptors";
  if (*count > baseline)
    throw StepFailed(std::to_string(*count - baseline) + " descriptor(s) leaked: " + std::to_string(*count) +
                     " open, baseline " + std::to_string(baseline));
}

void StepInterpreter::set_tracing(const Json& step, StepRecord& record) {
  call("set_tracing", {{"enabled", step["enabled"]}});
  record.expected = record.observed = step["enabled"].get<bool>() ? "tracing on" : "tracing off";
}

void StepInterpreter::expect_trace(const Json& step, StepRecord& record) {
  std::string needle = step["contains"];
  std::transform(needle.begin(), needle.end(), needle.begin(), ::tolower);
  const auto until = Clock::now() + timing_.within(step);
  record.expected = "a trace line containing \"" + needle + "\"";
  for (;;) {
    const Json result = call("trace_events", Json::object());
    if (!result.contains("events") || !result["events"].is_array()) throw ProtocolViolation("trace_events has no events array");
    for (const auto& event : result["events"]) {
      if (!event.is_string()) throw ProtocolViolation("a trace event is not a string");
      std::string line = event;
      std::transform(line.begin(), line.end(), line.begin(), ::tolower);
      if (line.find(needle) != std::string::npos) {
        record.observed = event.get<std::string>();
        return;
      }
    }
    if (Clock::now() >= until) {
      record.observed = std::to_string(result["events"].size()) + " trace line(s), none matching";
      throw StepFailed("no trace line mentions \"" + needle + "\"");
    }
    // Trace events are delivered asynchronously by some runtimes.
    std::this_thread::sleep_for(Milliseconds(20));
  }
}

}  // namespace ea::harness
