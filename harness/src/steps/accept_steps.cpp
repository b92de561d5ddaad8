// Listening, BeginAccept, EndAccept, Close, and results BeginAccept did not make.
#include "listener_sockets.hpp"
#include "protocol_violation.hpp"
#include "step_check.hpp"
#include "step_context.hpp"
#include "step_op.hpp"

namespace ea::harness {
namespace {

void listen(StepContext& context, const Json& step, StepRecord& record) {
  const Json result = context.call(
      "listen", {{"socket", step["socket"]}, {"family", step.value("family", "ipv4")}, {"backlog", step.value("backlog", 16)}});
  context.check_outcome(result, "Returned", record);
  const Address address{reply_string(result, "address"), reply_port(result, "port")};
  context.listeners[step["socket"]] = address;
  record.observed = "listening on " + address.to_string();
  // Cases run on loopback only; a listener that is really reachable from
  // outside the host is a failure even when the adapter says 127.0.0.1.
  for (const auto& bound : listeners_of(context.process.pid(), address.port)) {
    if (bound.loopback) continue;
    const Address actual{bound.address, bound.port};
    record.observed += ", but the kernel shows the socket listening on " + actual.to_string();
    throw StepFailed("the adapter reported a listener on " + address.to_string() + ", but its socket listens on " +
                     actual.to_string() + (bound.address == "0.0.0.0" || bound.address == "::" ? " (a wildcard address)" : "") +
                     ", which is not loopback only");
  }
}

void begin_accept(StepContext& context, const Json& step, StepRecord& record) {
  Json args = {{"socket", step["socket"]},
               {"result", step["result"]},
               {"state", step.value("state", Json())},
               {"callback", step.value("callback", "none")}};
  for (const char* optional : {"accept_as", "receive", "next_result"})
    if (step.contains(optional)) args[optional] = step[optional];
  context.check_outcome(context.call("begin_accept", args), step.value("expect", "Returned"), record);
}

// Callbacks that take the listener from AsyncState and end the accept
// themselves; the others only record their invocations.
bool ends_in_callback(const std::string& callback) {
  return callback == "end_in_callback" || callback == "begin_again" || callback == "close_listener";
}

void begin_accept_rule(StepCheck& check) {
  const std::string callback = check.text("callback", "none");
  if (callback == "end_in_callback" && !check.has("accept_as"))
    check.fail("accept_as", "end_in_callback needs accept_as, the name of the socket the callback accepts");
  if (callback == "begin_again" && (!check.has("accept_as") || !check.has("next_result")))
    check.fail(check.has("accept_as") ? "next_result" : "accept_as",
               "begin_again needs accept_as (the socket it accepts) and next_result (the result of the BeginAccept it "
               "calls again)");
  if (!ends_in_callback(callback) && check.has("accept_as"))
    check.fail("callback", "accept_as only makes sense with a callback that ends the accept itself");
  if (callback != "end_in_callback" && check.has("receive"))
    check.fail("callback", "receive only makes sense with callback end_in_callback");
  if (callback != "begin_again" && check.has("next_result"))
    check.fail("callback", "next_result only makes sense with callback begin_again");
  if (ends_in_callback(callback)) {
    const Json state = check.step.value("state", Json());
    if (!state.is_object() || !state.contains("socket"))
      check.fail("state", callback + " takes the listener from AsyncState, so state must be {\"socket\": ...}");
    if (check.has("receive")) check.names.define("receiving", check.step["accept_as"]);
  }
  if (callback != "none") check.names.define("result", check.step["result"], {"with-callback"});
  if (check.has("next_result")) check.names.define("result", check.step["next_result"], {"with-callback"});
}

void end_accept(StepContext& context, const Json& step, StepRecord& record) {
  Json args = {{"socket", step["socket"]}, {"result", step["result"]}};
  if (step.contains("as")) args["as"] = step["as"];
  if (step.contains("in_background")) {
    args["task"] = step["in_background"];
    if (step.value("parked", false)) args["park"] = true;
    if (step.value("when_completed", false)) {
      args["when_completed_ms"] = count_ms(context.timing.within(step));
      context.completion_probes.insert(step["in_background"]);
    }
    const Json result = context.call("end_accept", args);
    if (!reply_bool(result, "started")) throw ProtocolViolation("background end_accept not started");
    record.expected = "started on another thread";
    record.observed = "started";
    return;
  }
  const auto within = context.timing.within(step);
  try {
    context.check_outcome(context.session.request("end_accept", args, context.deadline_after(within)), step["expect"], record);
  } catch (const AdapterTimedOut&) {
    throw AdapterTimedOut("EndAccept did not return within " + ms_text(within + context.timing.reply_grace()) +
                          " (expected " + step["expect"].get<std::string>() + ")");
  }
}

void end_accept_rule(StepCheck& check) {
  const bool background = check.has("in_background");
  if (background == check.has("expect"))
    check.fail(background ? "expect" : "op",
               "end_accept needs exactly one of expect (run now) or in_background (run on a thread, checked by await)");
  const bool when_completed = check.step.value("when_completed", false);
  if (background && check.has("within_ms") && !when_completed)
    check.fail("within_ms", "a background end_accept has no deadline; give it to await");
  if (when_completed && !background)
    check.fail("when_completed", "only a background end_accept (in_background) can wait for IsCompleted first");
  if (when_completed && check.step.value("parked", false))
    check.fail("when_completed", "a task that waits for IsCompleted cannot also be parked");
  if (check.step.value("parked", false)) {
    if (!background) check.fail("parked", "only a background end_accept (in_background) can be parked");
    check.facts.insert("parked:" + check.text("in_background"));
  }
}

void make_foreign_result(StepContext& context, const Json& step, StepRecord& record) {
  Json args = {{"result", step["result"]}, {"kind", step["kind"]}};
  if (step.contains("target")) args["port"] = context.listeners.at(step["target"]).port;
  // Making another operation's result may mean connecting: the adapter may wait for it.
  context.check_outcome(context.call("make_foreign_result", args, context.timing.within(Json::object())), "Returned",
                        record);
}

void make_foreign_result_rule(StepCheck& check) {
  const std::string kind = check.text("kind");
  if (kind == "other-operation" && !check.has("target"))
    check.fail("target", "other-operation needs a target listener to connect to");
  if (kind == "caller-made" && check.has("target")) check.fail("target", "a caller-made result has no target");
}

void close(StepContext& context, const Json& step, StepRecord& record) {
  context.check_outcome(context.call("close", {{"socket", step["socket"]}}), step.value("expect", "Returned"), record);
}

}  // namespace

std::vector<StepOp> accept_steps() {
  return {
      {.name = "listen",
       .concern = "accept",
       .summary = "the adapter creates a listener on loopback, on an ephemeral port",
       .fields = {defines("socket", "socket", "the name of the new listening socket"),
                  with_default(one_of(field("family", FieldType::choice, "the address family"), {"ipv4", "ipv6"},
                                      {{"ipv6", "ipv6"}}),
                               "ipv4"),
                  at_most(field("backlog", FieldType::count, "the listen backlog"), 1, 1024)},
       .rule = [](StepCheck& check) { check.names.define("listener", check.step["socket"]); },
       .words = "{socket} listens on loopback[{family=ipv6: (IPv6, ::1)}][, backlog {backlog}]",
       .run = listen,
       .after_failure = AfterFailure::stop,
       .csharp = R"cs(var family = s.Str("family") == "ipv6" ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
var listener = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
listener.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0));
listener.Listen(s.Int("backlog", 16));
Sockets[s.Str("socket")] = listener;
Listeners[s.Str("socket")] = (IPEndPoint)listener.LocalEndPoint;
s.Saw("a listener on loopback", "listening on " + listener.LocalEndPoint);)cs"},
      {.name = "begin_accept",
       .concern = "accept",
       .summary = "BeginAccept on a listener, with an AsyncState and a callback",
       .fields = {uses("socket", "socket", "the listener"),
                  defines("result", "result", "the name of the IAsyncResult BeginAccept returns"),
                  field("state", FieldType::state, "the AsyncState: null, {\"socket\": name} or {\"object\": label}"),
                  with_default(one_of(field("callback", FieldType::choice,
                                            "none; record (only records its invocations); end_in_callback (the "
                                            "documented pattern: AsyncState, then EndAccept, then start receiving); "
                                            "begin_again (the server loop: EndAccept, then BeginAccept again from "
                                            "inside the callback); close_listener (EndAccept, then Close of the "
                                            "listener from inside the callback)"),
                                      {"none", "record", "end_in_callback", "begin_again", "close_listener"}),
                               "none"),
                  optional(defines("accept_as", "socket", "the name of the socket a callback that ends the accept keeps")),
                  optional(defines("next_result", "result",
                                   "begin_again: the name of the result of the BeginAccept the callback calls")),
                  at_most(field("receive", FieldType::byte_count,
                                "end_in_callback: how many bytes the callback starts receiving on the accepted socket"),
                          1, 65536),
                  with_default(field("expect", FieldType::outcome, "the outcome of BeginAccept itself"), "Returned")},
       .rule = begin_accept_rule,
       .words = Json::array(
           {"BeginAccept on {socket}",
            {{"join", " and "},
             {"before", " with "},
             {"items",
              {"[AsyncState {state}]",
               "[{callback=none:no callback|record:a callback that records its calls|end_in_callback:the documented "
               "callback (EndAccept inside it[ \u2192 {accept_as}][, then start receiving {receive}])|begin_again:the "
               "server-loop callback (EndAccept inside it \u2192 {accept_as}, then BeginAccept again \u2192 "
               "{next_result})|close_listener:a callback that ends the accept[ \u2192 {accept_as}] and then closes "
               "the listener}]"}}},
            "{expect=Returned: \u2192 {result}|*: \u2192 {expect}}"}),
       .run = begin_accept,
       .csharp = R"cs(var listener = Sockets[s.Str("socket")];
string kind = s.Str("callback"), acceptAs = s.Str("accept_as", null), next = s.Str("next_result", null);
int receive = s.Int("receive", 0);
object state = s.Has("state") ? s.StateOf("state").Resolve() : null;
Recorder recorder = null;
if (kind != "none")
{
    recorder = new Recorder();
    Gatherer gatherer = null;
    if (kind == "end_in_callback" && receive > 0) Receivers[acceptAs] = gatherer = new Gatherer(receive);
    if (kind != "record")
        recorder.Body = (ar, call) =>
        {
            // The documented pattern: the listener travels as AsyncState.
            var owner = (Socket)ar.AsyncState;
            Socket accepted = null;
            call.EndOutcome = SocketOutcome(() => accepted = owner.EndAccept(ar), acceptAs);
            if (gatherer != null && accepted != null) gatherer.Start(accepted);
            if (kind == "begin_again")
            {
                var again = new Recorder();
                IAsyncResult nextResult = null;
                call.BeginOutcome = OutcomeOf(() => nextResult = again.Begin(owner, owner));
                if (nextResult != null) { Results[next] = nextResult; Recorders[next] = again; }
            }
            if (kind == "close_listener") call.CloseOutcome = OutcomeOf(() => owner.Close());
        };
}
IAsyncResult result = null;
Expect(s, s.Str("expect"), OutcomeOf(() => result = recorder == null ? listener.BeginAccept(null, state) : recorder.Begin(listener, state)));
Results[s.Str("result")] = result;
if (recorder != null) Recorders[s.Str("result")] = recorder;)cs"},
      {.name = "end_accept",
       .concern = "accept",
       .summary = "EndAccept now, checking its outcome, or on another thread as a task that later steps check",
       .fields = {uses("socket", "socket", "the socket EndAccept is called on"),
                  nullable(uses("result", "result", "the result to end, or null")),
                  optional(defines("as", "socket", "the name under which a returned socket is kept")),
                  field("expect", FieldType::outcome, "run now: the outcome EndAccept must have"),
                  field("within_ms", FieldType::within_ms,
                        "run now: how long EndAccept may take; when_completed: how long IsCompleted may take to "
                        "turn true, and how long the implementation's other threads are held at most"),
                  optional(defines("in_background", "task", "run on a thread: the name of the task")),
                  field("parked", FieldType::boolean,
                        "in_background: the thread waits at a start line until a release step lets it and the "
                        "others go at the same instant"),
                  field("when_completed", FieldType::boolean,
                        "in_background: the thread reads IsCompleted until it is true, then calls EndAccept while "
                        "the implementation's other threads are held at their schedule points; await then also "
                        "checks that EndAccept did not need any of them")},
       .rule = end_accept_rule,
       .words = "EndAccept on {socket} with {result=null:a null result|*:{result}}[, on another thread as task "
                "{in_background}[ (stored as {as})][{parked=true:, parked at the start line}][{when_completed=true:, once IsCompleted is true[ (polled for at most {within_ms})]}]][ \u2192 {expect}{expect=Socket:[ ({as})]}[ within {within_ms}]]",
       .run = end_accept,
       .csharp = R"cs(var socket = Sockets[s.Str("socket")];
IAsyncResult result = s.Has("result") ? Results[s.Str("result")] : null;
string keepAs = s.Str("as", null);
if (s.Has("in_background"))
{
    Func<Socket> end = () => socket.EndAccept(result);
    if (s.Bool("when_completed", false))
    {
        int limit = s.Within();
        end = () =>
        {
            var deadline = Deadline.After(limit);
            while (!result.IsCompleted)
            {
                if (deadline.RemainingMs() == 0) throw new TimeoutException("IsCompleted stayed false for " + limit + " ms");
                Thread.Yield();
            }
            return socket.EndAccept(result);
        };
    }
    Tasks[s.Str("in_background")] = new Background(s.Bool("parked", false), end, keepAs);
    s.Saw("started on another thread", "started");
    return;
}
var call = Background.Now(() => socket.EndAccept(result), keepAs);
if (!call.Done.WaitOne(s.Within()))
{
    s.Saw(s.Str("expect"), "still blocked");
    Hang("EndAccept did not return within " + s.Within() + " ms (expected " + s.Str("expect") + ")");
}
Expect(s, s.Str("expect"), call.Outcome);)cs"},
      {.name = "make_foreign_result",
       .concern = "accept",
       .summary = "a result BeginAccept did not produce: another operation's (BeginConnect to a listener) or a "
                  "caller-made IAsyncResult",
       .fields = {defines("result", "result", "the name of the foreign result"),
                  required(one_of(field("kind", FieldType::choice, "which kind of foreign result"),
                                  {"other-operation", "caller-made"},
                                  {{"other-operation", "foreign-other-operation"}, {"caller-made", "foreign-caller-made"}})),
                  optional(uses("target", "listener", "other-operation: the listener BeginConnect connects to"))},
       .rule = make_foreign_result_rule,
       .words = "Make {result}: {kind=other-operation:the IAsyncResult of a different asynchronous operation[ "
                "(BeginConnect to {target})]|caller-made:an IAsyncResult the caller implemented itself}",
       .run = make_foreign_result,
       .csharp = R"cs(if (s.Str("kind") == "caller-made")
{
    Results[s.Str("result")] = new CallerMadeResult();
    s.Saw("a caller-made IAsyncResult", "made");
    return;
}
var target = Listeners[s.Str("target")];
var connector = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
Kept.Add(connector);
var connecting = connector.BeginConnect(target, null, null);
// Completed, and deliberately never ended.
connecting.AsyncWaitHandle.WaitOne(s.Within());
Results[s.Str("result")] = connecting;
s.Saw("the IAsyncResult of BeginConnect", "BeginConnect to " + target + (connecting.IsCompleted ? ", completed" : ", not completed"));)cs"},
      {.name = "close",
       .concern = "accept",
       .summary = "Close (Dispose) a socket",
       .fields = {uses("socket", "socket", "the socket to close"),
                  with_default(field("expect", FieldType::outcome, "the outcome of Close"), "Returned")},
       .words = "Close {socket}{expect=Returned:|*: \u2192 {expect}}",
       .run = close,
       .csharp = R"cs(Expect(s, s.Str("expect"), OutcomeOf(() => Sockets[s.Str("socket")].Close()));)cs"},
  };
}

}  // namespace ea::harness
