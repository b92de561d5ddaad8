#include "endaccept/host/protocol_loop.hpp"

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "endaccept/host/request_error.hpp"
#include "line_reader.hpp"
#include "request_rules.hpp"

namespace ea::host {
namespace {

// The id of a reply to a request whose own id cannot be read; no request uses it.
constexpr std::int64_t unreadable_id = 0;

struct Operation {
  Json (Adapter::*handler)(const Json&);
  ArgumentRules arguments;
};

const std::unordered_map<std::string, Operation>& operations() {
  using K = ArgumentKind;
  constexpr auto nullable = Presence::required_nullable;
  constexpr auto optional = Presence::optional;
  static const std::unordered_map<std::string, Operation> table{
      {"hello", {&Adapter::hello, {{{"protocol", K::integer}}}}},
      {"listen", {&Adapter::listen, {{{"socket", K::name}, {"family", K::family}, {"backlog", K::count}}}}},
      {"begin_accept",
       {&Adapter::begin_accept,
        {{{"socket", K::name},
          {"result", K::name},
          {"state", K::state, nullable},
          {"callback", K::callback},
          {"accept_as", K::name, optional},
          {"receive", K::byte_count, optional},
          {"next_result", K::name, optional}},
         &begin_accept_across_fields}}},
      {"end_accept",
       {&Adapter::end_accept,
        {{{"socket", K::name},
          {"result", K::name, nullable},
          {"as", K::name, optional},
          {"task", K::name, optional},
          {"park", K::flag, optional},
          {"when_completed_ms", K::count, optional}},
         &end_accept_across_fields}}},
      {"await_task", {&Adapter::await_task, {{{"task", K::name}, {"timeout_ms", K::count}}}}},
      {"make_foreign_result",
       {&Adapter::make_foreign_result,
        {{{"result", K::name}, {"kind", K::foreign_kind}, {"port", K::port, optional}},
         &make_foreign_result_across_fields}}},
      {"close", {&Adapter::close, {{{"socket", K::name}}}}},
      {"result_info", {&Adapter::result_info, {{{"result", K::name}}}}},
      {"wait_handle", {&Adapter::wait_handle, {{{"result", K::name}, {"timeout_ms", K::count}}}}},
      {"callback_info",
       {&Adapter::callback_info, {{{"result", K::name}, {"min_calls", K::count}, {"timeout_ms", K::count}}}}},
      {"collect_received",
       {&Adapter::collect_received, {{{"socket", K::name}, {"count", K::byte_count}, {"timeout_ms", K::count}}}}},
      {"socket_info", {&Adapter::socket_info, {{{"socket", K::name}}}}},
      {"send", {&Adapter::send, {{{"socket", K::name}, {"data", K::text}}}}},
      {"receive", {&Adapter::receive, {{{"socket", K::name}, {"count", K::byte_count}, {"timeout_ms", K::count}}}}},
      {"set_tracing", {&Adapter::set_tracing, {{{"enabled", K::flag}}}}},
      {"trace_events", {&Adapter::trace_events, {}}},
      {"forget_state", {&Adapter::forget_state, {{{"object", K::name}}}}},
      {"release_tasks", {&Adapter::release_tasks, {{{"tasks", K::names}}}}},
  };
  return table;
}

std::string serialize(const Json& reply) {
  // Messages of the implementation may hold bytes that are not UTF-8; a
  // replacement character is better than a reply that cannot be written.
  return reply.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string error_reply(std::int64_t id, ErrorCode code, const std::string& message) {
  return serialize({{"id", id},
                    {"ok", false},
                    {"error", {{"code", to_string(code)}, {"message", message}}}});
}

// Strict JSON: besides RFC 8259 (which nlohmann checks, UTF-8 included), no
// object repeats a member name and nesting stays within the limit, so no two
// readers of one line can disagree about what it says.
std::optional<Json> parse_strictly(std::string_view line) {
  bool acceptable = true;
  // Indexed by nesting depth: the member names seen in the object open there.
  std::vector<std::set<std::string>> names_at_depth;
  const Json::parser_callback_t check = [&](int depth, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start:
        if (depth >= max_json_nesting) acceptable = false;
        names_at_depth.resize(static_cast<std::size_t>(depth) + 1);
        names_at_depth.back().clear();
        break;
      case Json::parse_event_t::key:
        // A key's depth counts the object it belongs to.
        if (depth < 1 || !names_at_depth[static_cast<std::size_t>(depth) - 1].insert(parsed.get<std::string>()).second) {
          acceptable = false;
        }
        break;
      default:
        break;
    }
    // Once the line is refused, building the rest of it is wasted work.
    return acceptable;
  };
  Json request = Json::parse(line.begin(), line.end(), check, false);
  if (!acceptable || request.is_discarded()) return std::nullopt;
  return request;
}

// What the loop knows about a request before the session rules apply.
struct Envelope {
  std::int64_t id = unreadable_id;
  std::optional<std::string> refusal;  // the whole reply when the request is refused already
  const Operation* operation = nullptr;
  std::string op;
  Json args;
};

Envelope open_envelope(std::string_view line) {
  Envelope envelope;
  const auto request = parse_strictly(line);
  if (!request) {
    envelope.refusal = error_reply(unreadable_id, ErrorCode::bad_request, "request is not valid JSON");
    return envelope;
  }
  if (!request->is_object()) {
    envelope.refusal = error_reply(unreadable_id, ErrorCode::bad_request, "request is not a JSON object");
    return envelope;
  }
  const auto id = request->find("id");
  const auto id_value = id == request->end() ? std::nullopt : as_int64(*id);
  if (!id_value || *id_value < 1) {
    envelope.refusal = error_reply(unreadable_id, ErrorCode::bad_request, "request has no integer id >= 1");
    return envelope;
  }
  envelope.id = *id_value;
  for (const auto& [key, value] : request->items()) {
    if (key != "id" && key != "op" && key != "args") {
      envelope.refusal = error_reply(envelope.id, ErrorCode::bad_request, "unknown request member " + key);
      return envelope;
    }
  }
  const auto op = request->find("op");
  if (op == request->end() || !op->is_string()) {
    envelope.refusal = error_reply(envelope.id, ErrorCode::bad_request, "request has no string op");
    return envelope;
  }
  const auto args = request->find("args");
  if (args == request->end() || !args->is_object()) {
    envelope.refusal = error_reply(envelope.id, ErrorCode::bad_request, "request has no args object");
    return envelope;
  }
  envelope.op = op->get<std::string>();
  envelope.args = *args;
  const auto operation = operations().find(envelope.op);
  if (operation != operations().end()) envelope.operation = &operation->second;
  return envelope;
}

struct Reply {
  std::string line;
  bool ok = false;
};

Reply perform(Adapter& adapter, const Envelope& envelope, bool check_argument_rules) {
  if (!envelope.operation) {
    return {error_reply(envelope.id, ErrorCode::unsupported, "unknown operation " + envelope.op)};
  }
  try {
    if (check_argument_rules) check_arguments(envelope.operation->arguments, envelope.args);
    Json result = (adapter.*envelope.operation->handler)(envelope.args);
    return {serialize({{"id", envelope.id}, {"ok", true}, {"result", std::move(result)}}), true};
  } catch (const RequestError& e) {
    return {error_reply(envelope.id, e.code(), e.what())};
  } catch (const Json::exception& e) {
    return {error_reply(envelope.id, ErrorCode::bad_request, e.what())};
  } catch (const std::exception& e) {
    return {error_reply(envelope.id, ErrorCode::internal, e.what())};
  } catch (...) {
    return {error_reply(envelope.id, ErrorCode::internal, "unknown exception in the adapter")};
  }
}

}  // namespace

std::string handle_request_line(Adapter& adapter, std::string_view line) {
  const Envelope envelope = open_envelope(line);
  if (envelope.refusal) return *envelope.refusal;
  return perform(adapter, envelope, false).line;
}

std::string ProtocolSession::answer(std::string_view line) {
  const Envelope envelope = open_envelope(line);
  if (envelope.id != unreadable_id) {
    if (envelope.id <= last_id_) {
      return error_reply(envelope.id, ErrorCode::bad_request,
                         "id " + std::to_string(envelope.id) + " is not greater than the last id " +
                             std::to_string(last_id_));
    }
    last_id_ = envelope.id;
  }
  if (envelope.refusal) return *envelope.refusal;
  if (envelope.operation) {
    const bool is_hello = envelope.op == "hello";
    if (is_hello && greeted_) return error_reply(envelope.id, ErrorCode::bad_request, "hello was already answered");
    if (!is_hello && !greeted_) {
      return error_reply(envelope.id, ErrorCode::bad_request, "the first request must be hello");
    }
  }
  Reply reply = perform(adapter_, envelope, true);
  // A refused hello (e.g. an unsupported version) may be retried.
  if (envelope.op == "hello" && reply.ok) greeted_ = true;
  return reply.line;
}

int run_adapter(Adapter& adapter, std::istream& in, std::ostream& out) {
  ProtocolSession session(adapter);
  LineReader reader(in, max_line_bytes);
  while (auto line = reader.next()) {
    if (line->too_long) {
      out << error_reply(unreadable_id, ErrorCode::bad_request, "request line longer than 1 MiB") << '\n';
    } else if (line->text.find_first_not_of(" \t") == std::string::npos) {
      continue;  // a blank line is no request and gets no reply
    } else {
      out << session.answer(line->text) << '\n';
    }
    out.flush();
  }
  out.flush();
  return 0;
}

void run_adapter_on_stdio(Adapter& adapter) {
  // A peer that went away must surface as a write error, not kill the adapter.
  std::signal(SIGPIPE, SIG_IGN);
  const int status = run_adapter(adapter, std::cin, std::cout);
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  std::_Exit(status);
}

}  // namespace ea::host
