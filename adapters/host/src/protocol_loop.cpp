#include "endaccept/host/protocol_loop.hpp"

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <unordered_map>

#include "endaccept/host/request_error.hpp"
#include "line_reader.hpp"

namespace ea::host {
namespace {

using Operation = Json (Adapter::*)(const Json&);

const std::unordered_map<std::string, Operation>& operations() {
  static const std::unordered_map<std::string, Operation> table{
      {"hello", &Adapter::hello},
      {"listen", &Adapter::listen},
      {"begin_accept", &Adapter::begin_accept},
      {"end_accept", &Adapter::end_accept},
      {"await_task", &Adapter::await_task},
      {"make_foreign_result", &Adapter::make_foreign_result},
      {"close", &Adapter::close},
      {"result_info", &Adapter::result_info},
      {"wait_handle", &Adapter::wait_handle},
      {"callback_info", &Adapter::callback_info},
      {"collect_received", &Adapter::collect_received},
      {"socket_info", &Adapter::socket_info},
      {"send", &Adapter::send},
      {"receive", &Adapter::receive},
      {"set_tracing", &Adapter::set_tracing},
      {"trace_events", &Adapter::trace_events},
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

// The id of a request that is not valid JSON (e.g. cut short), so that the
// harness can still match the error to what it sent.
std::int64_t readable_id(std::string_view line) {
  const auto key = line.find("\"id\"");
  if (key == std::string_view::npos) return 0;
  auto at = key + 4;
  auto skip_blanks = [&] {
    while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
  };
  skip_blanks();
  if (at >= line.size() || line[at] != ':') return 0;
  ++at;
  skip_blanks();
  std::int64_t id = 0;
  const auto first_digit = at;
  while (at < line.size() && line[at] >= '0' && line[at] <= '9' && at - first_digit < 18) {
    id = id * 10 + (line[at] - '0');
    ++at;
  }
  return at > first_digit ? id : 0;
}

std::int64_t request_id(const Json& request) {
  const auto id = request.find("id");
  if (id == request.end() || !id->is_number_integer()) return 0;
  const auto value = id->get<std::int64_t>();
  return value >= 1 ? value : 0;
}

}  // namespace

std::string handle_request_line(Adapter& adapter, std::string_view line) {
  const Json request = Json::parse(line.begin(), line.end(), nullptr, false);
  if (request.is_discarded()) {
    return error_reply(readable_id(line), ErrorCode::bad_request, "request is not valid JSON");
  }
  if (!request.is_object()) return error_reply(0, ErrorCode::bad_request, "request is not a JSON object");
  const auto id = request_id(request);
  if (id == 0) return error_reply(0, ErrorCode::bad_request, "request has no integer id >= 1");

  const auto op = request.find("op");
  if (op == request.end() || !op->is_string()) {
    return error_reply(id, ErrorCode::bad_request, "request has no string op");
  }
  const auto operation = operations().find(op->get<std::string>());
  if (operation == operations().end()) {
    return error_reply(id, ErrorCode::unsupported, "unknown operation " + op->get<std::string>());
  }
  const auto args = request.find("args");
  if (args != request.end() && !args->is_object()) {
    return error_reply(id, ErrorCode::bad_request, "args is not an object");
  }

  try {
    Json result = (adapter.*operation->second)(args == request.end() ? Json::object() : *args);
    return serialize({{"id", id}, {"ok", true}, {"result", std::move(result)}});
  } catch (const RequestError& e) {
    return error_reply(id, e.code(), e.what());
  } catch (const Json::exception& e) {
    return error_reply(id, ErrorCode::bad_request, e.what());
  } catch (const std::exception& e) {
    return error_reply(id, ErrorCode::internal, e.what());
  } catch (...) {
    return error_reply(id, ErrorCode::internal, "unknown exception in the adapter");
  }
}

int run_adapter(Adapter& adapter, std::istream& in, std::ostream& out) {
  LineReader reader(in, max_line_bytes);
  while (auto line = reader.next()) {
    if (line->too_long) {
      out << error_reply(readable_id(line->text), ErrorCode::bad_request,
                         "request line longer than 1 MiB")
          << '\n';
    } else if (line->text.find_first_not_of(" \t") == std::string::npos) {
      continue;  // a blank line is no request and gets no reply
    } else {
      out << handle_request_line(adapter, line->text) << '\n';
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
