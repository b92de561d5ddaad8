// The remote host: the harness's own clients, and what the accepted socket
// must look like from them.
#include <algorithm>
#include <thread>

#include "step_check.hpp"
#include "step_context.hpp"
#include "step_op.hpp"

namespace ea::harness {
namespace {

Address address_of(const Json& endpoint) {
  return {reply_string(endpoint, "address"), reply_port(endpoint, "port")};
}

void connect(StepContext& context, const Json& step, StepRecord& record) {
  auto fresh = std::make_unique<TestClient>();
  const Address& server = context.listeners.at(step["to"]);
  record.expected = "connected to " + server.to_string();
  try {
    fresh->connect(server, Clock::now() + context.timing.within(step));
  } catch (const std::runtime_error& e) {
    record.observed = e.what();
    throw StepFailed(std::string("the client could not connect: ") + e.what());
  }
  record.observed = "connected from " + fresh->local().to_string();
  context.clients[step["client"]] = std::move(fresh);
}

void close_client(StepContext& context, const Json& step, StepRecord& record) {
  context.client(step["client"]).close();
  record.expected = record.observed = "closed";
}

void send_from_client(StepContext& context, const Json& step, StepRecord& record) {
  context.client(step["client"]).send(step["data"], Clock::now() + context.timing.within(step));
  record.expected = record.observed = "sent \"" + step["data"].get<std::string>() + "\"";
}

void expect_connected(StepContext& context, const Json& step, StepRecord& record) {
  const TestClient& peer = context.client(step["client"]);
  const Json accepted = context.socket_info(step["socket"]);
  const Json listener = context.socket_info(step["listener"]);
  const Address local = address_of(accepted["local"]);
  record.expected = "a new connected socket, local " + peer.remote().to_string() + ", remote " + peer.local().to_string();
  std::string observed = std::string(reply_bool(accepted, "connected") ? "connected" : "not connected") + ", local " +
                         local.to_string();
  std::optional<Address> remote;
  if (accepted["remote"].is_object()) {
    remote = address_of(accepted["remote"]);
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

void expect_pairing(StepContext& context, const Json& step, StepRecord& record) {
  const Json listener = context.socket_info(step["listener"]);
  std::vector<std::string> unmatched;
  for (const auto& name : step["clients"]) unmatched.push_back(name);
  record.expected = "each socket connected to a different one of the clients";
  std::string observed;
  for (const auto& socket : step["sockets"]) {
    const Json info = context.socket_info(socket);
    if (info["identity"] == listener["identity"]) throw StepFailed(socket.get<std::string>() + " is the listener itself");
    if (!info["remote"].is_object()) throw StepFailed(socket.get<std::string>() + " has no remote endpoint");
    const Address remote = address_of(info["remote"]);
    const auto match = std::find_if(unmatched.begin(), unmatched.end(),
                                    [&](const std::string& name) { return context.client(name).local() == remote; });
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

void exchange(StepContext& context, const Json& step, StepRecord& record) {
  const std::string to_server = step.value("data", "ping from the remote host");
  const std::string to_client(to_server.rbegin(), to_server.rend());
  TestClient& peer = context.client(step["client"]);
  const auto within = context.timing.within(step);
  record.expected = "\"" + to_server + "\" arrives on the socket; \"" + to_client + "\" arrives at the client";

  const Json receive_args = {{"socket", step["socket"]}, {"count", to_server.size()}, {"timeout_ms", count_ms(within)}};
  Json received;
  if (step.value("receive_first", false)) {
    // The socket is already receiving when the bytes leave the client: a
    // socket left non-blocking fails here instead of waiting. The hold only
    // gives the adapter time to start; a correct socket passes either way.
    const auto deadline = context.deadline_after(within);
    const long long id = context.session.send("receive", receive_args, deadline);
    std::this_thread::sleep_for(context.timing.hold(step));
    peer.send(to_server, Clock::now() + within);
    received = context.session.reply(id, "receive", deadline);
  } else {
    peer.send(to_server, Clock::now() + within);
    received = context.call("receive", receive_args, within);
  }
  const Outcome receive_outcome = Outcome::from_adapter(reply_object(received, "outcome"));
  const std::string got = reply_string(received, "data");
  record.observed = "socket received \"" + got + "\" (" + receive_outcome.to_string() + ")";
  if (got != to_server) throw StepFailed("the socket received \"" + got + "\" instead of \"" + to_server + "\"");

  const Json sent = context.call("send", {{"socket", step["socket"]}, {"data", to_client}}, within);
  const Outcome send_outcome = Outcome::from_adapter(reply_object(sent, "outcome"));
  if (send_outcome.kind != "Returned") throw StepFailed("sending on the socket failed: " + with_detail(send_outcome));
  const std::string back = peer.receive(to_client.size(), Clock::now() + within);
  record.observed += "; client received \"" + back + "\"";
  if (back != to_client) throw StepFailed("the client received \"" + back + "\" instead of \"" + to_client + "\"");
}

}  // namespace

std::vector<StepOp> client_steps() {
  return {
      {.name = "connect",
       .concern = "client",
       .summary = "the harness connects a client to a listener",
       .fields = {defines("client", "client", "the name of the harness's client"),
                  uses("to", "listener", "the listener to connect to")},
       .words = "Client {client} connects to {to}",
       .run = connect,
       .csharp = R"cs(var server = Listeners[s.Str("to")];
var client = RemoteHostSocket(server.AddressFamily);
var connecting = client.BeginConnect(server, null, null);
if (!connecting.AsyncWaitHandle.WaitOne(s.Within()))
{
    s.Saw("connected to " + server, "not connected");
    Fail("the client could not connect within " + s.Within() + " ms");
}
Outcome connected = OutcomeOf(() => client.EndConnect(connecting));
s.Saw("connected to " + server, connected.Kind == "Returned" ? "connected from " + client.LocalEndPoint : connected.WithDetail());
if (connected.Kind != "Returned") Fail("the client could not connect: " + connected.WithDetail());
Clients[s.Str("client")] = client;)cs"},
      {.name = "close_client",
       .concern = "client",
       .summary = "the harness closes its client",
       .fields = {uses("client", "client", "the client to close")},
       .words = "Client {client} closes its connection",
       .run = close_client,
       .csharp = R"cs(Clients[s.Str("client")].Close();
s.Saw("closed", "closed");)cs"},
      {.name = "send_from_client",
       .concern = "client",
       .summary = "the client sends bytes",
       .fields = {uses("client", "client", "the sending client"),
                  required(field("data", FieldType::data, "the bytes to send"))},
       .words = "Client {client} sends {data}",
       .run = send_from_client,
       .csharp = R"cs(var client = Clients[s.Str("client")];
client.SendTimeout = s.Within();
client.Send(Encoding.ASCII.GetBytes(s.Str("data")));
s.Saw("sent \"" + s.Str("data") + "\"", "sent \"" + s.Str("data") + "\"");)cs"},
      {.name = "expect_connected",
       .concern = "client",
       .summary = "the socket is not the listener, is connected, and its endpoints mirror the client's",
       .fields = {uses("socket", "socket", "the accepted socket"), uses("client", "client", "its peer"),
                  uses("listener", "listener", "the listener it came from")},
       .words = "{socket} is a new socket (not {listener}), connected to client {client} with mirrored endpoints",
       .run = expect_connected,
       .csharp = R"cs(var accepted = Sockets[s.Str("socket")];
var peer = Clients[s.Str("client")];
EndPoint remote = null;
try { remote = accepted.RemoteEndPoint; } catch (SocketException) { }
s.Saw("a new connected socket, local " + peer.RemoteEndPoint + ", remote " + peer.LocalEndPoint,
      (accepted.Connected ? "connected" : "not connected") + ", local " + accepted.LocalEndPoint + ", remote " + (remote == null ? "none" : remote.ToString()));
if (ReferenceEquals(accepted, Sockets[s.Str("listener")])) Fail("the returned socket is the listener itself");
if (!accepted.Connected) Fail("the returned socket is not connected");
if (!peer.LocalEndPoint.Equals(remote)) Fail("the returned socket's remote endpoint is not the client (" + s.Observed + ")");
if (!peer.RemoteEndPoint.Equals(accepted.LocalEndPoint)) Fail("the returned socket's local endpoint is not the address the client connected to");)cs"},
      {.name = "expect_pairing",
       .concern = "client",
       .summary = "each socket is connected to a different one of the clients",
       .fields = {at_most(many(uses("sockets", "socket", "the accepted sockets")), 2, 0),
                  at_most(many(uses("clients", "client", "their peers, in any order")), 2, 0),
                  uses("listener", "listener", "the listener they came from")},
       .rule =
           [](StepCheck& check) {
             if (check.step["sockets"].size() != check.step["clients"].size())
               check.fail("clients", "needs as many clients as sockets");
           },
       .words = "{sockets} are each connected to a different one of clients {clients} (not {listener})",
       .run = expect_pairing,
       .csharp = R"cs(var unmatched = new List<string>(s.List("clients"));
var observed = new List<string>();
s.Saw("each socket connected to a different one of the clients", "");
foreach (string name in s.List("sockets"))
{
    var socket = Sockets[name];
    if (ReferenceEquals(socket, Sockets[s.Str("listener")])) Fail(name + " is the listener itself");
    EndPoint remote = null;
    try { remote = socket.RemoteEndPoint; } catch (SocketException) { }
    if (remote == null) Fail(name + " has no remote endpoint");
    observed.Add(name + " <- " + remote);
    s.Observed = string.Join(", ", observed.ToArray());
    string match = unmatched.Find(client => Clients[client].LocalEndPoint.Equals(remote));
    if (match == null) Fail(name + " is connected to " + remote + ", which is none of the remaining clients");
    unmatched.Remove(match);
})cs"},
      {.name = "exchange",
       .concern = "client",
       .summary = "bytes go from the client to the socket, and back (reversed) from the socket to the client",
       .fields = {uses("socket", "socket", "the accepted socket"), uses("client", "client", "its peer"),
                  field("data", FieldType::data, "the bytes the client sends"),
                  field("receive_first", FieldType::boolean,
                        "the socket starts receiving before the client sends (for the hold), so it must wait for the bytes"),
                  field("hold_ms", FieldType::hold_ms, "receive_first: how long the receive runs before the bytes are sent"),
                  field("within_ms", FieldType::within_ms, "how long each direction may take")},
       .words = "[{data}|Bytes] go from client {client} to {socket}[{receive_first=true: (which is already receiving)}], "
                "and back[ within {within_ms}]",
       .run = exchange,
       .csharp = R"cs(string toServer = s.Str("data", "ping from the remote host");
var reversed = toServer.ToCharArray();
Array.Reverse(reversed);
string toClient = new string(reversed);
var socket = Sockets[s.Str("socket")];
var peer = Clients[s.Str("client")];
s.Saw("\"" + toServer + "\" arrives on the socket; \"" + toClient + "\" arrives at the client", "");
peer.SendTimeout = s.Within();
peer.Send(Encoding.ASCII.GetBytes(toServer));
string got = Received(socket, toServer.Length, s.Within());
s.Observed = "socket received \"" + got + "\"";
if (got != toServer) Fail("the socket received \"" + got + "\" instead of \"" + toServer + "\"");
Outcome sent = OutcomeOf(() => socket.Send(Encoding.ASCII.GetBytes(toClient)));
if (sent.Kind != "Returned") Fail("sending on the socket failed: " + sent.WithDetail());
string back = Received(peer, toClient.Length, s.Within());
s.Observed += "; client received \"" + back + "\"";
if (back != toClient) Fail("the client received \"" + back + "\" instead of \"" + toClient + "\"");)cs"},
  };
}

}  // namespace ea::harness
