// Socket life cycle and the accept calls themselves.
#include "endaccept/host/apm_adapter.hpp"

#include <stdexcept>

#include "accept_calls.hpp"
#include "completion_probe.hpp"
#include "endaccept/host/jitter.hpp"
#include "interruptions.hpp"
#include "args.hpp"
#include "endaccept/host/outcome.hpp"
#include "endaccept/host/request_error.hpp"
#include "registry.hpp"
#include "trace_log.hpp"

namespace ea::host {
namespace {

const char* operating_system() {
#if defined(__linux__)
  return "linux";
#elif defined(__APPLE__)
  return "macos";
#else
  return "unknown";
#endif
}

bool is_returned(const Json& outcome) { return outcome.at("kind") == "Returned"; }

apm::State resolve_state(Registry& registry, const Json& state) {
  if (state.is_null()) return nullptr;
  const Args described(state);
  if (state.contains("socket")) return registry.sockets.get(described.name("socket"));
  if (state.contains("object")) return registry.make_state_object(described.name("object"));
  throw RequestError(ErrorCode::bad_request, "state must be null, {\"socket\":...} or {\"object\":...}");
}

}  // namespace

ApmAdapter::ApmAdapter(Implementation implementation)
    : implementation_(std::move(implementation)),
      registry_(std::make_shared<Registry>()),
      trace_log_(std::make_shared<TraceLog>()) {}

ApmAdapter::~ApmAdapter() {
  if (implementation_.tracing) implementation_.tracing({});
}

Json ApmAdapter::hello(const Json& json) {
  const Json& protocol = Args(json).value("protocol");
  if (protocol != 1) {
    throw RequestError(ErrorCode::unsupported, "protocol " + protocol.dump() + " is not supported; this adapter speaks 1");
  }
  Json capabilities = Json::array();
  if (implementation_.ipv6) capabilities.push_back("ipv6");
  capabilities.push_back("foreign-other-operation");
  capabilities.push_back("foreign-caller-made");
  if (implementation_.tracing) capabilities.push_back("tracing");
  if (interruption_handler_installed) capabilities.push_back("signals");
  return {{"protocol", 1},
          {"adapter",
           {{"name", implementation_.adapter_name},
            {"version", implementation_.adapter_version},
            {"implementation", implementation_.description}}},
          {"capabilities", std::move(capabilities)},
          {"platform", {{"os", operating_system()}, {"supported", implementation_.platform_supported}}}};
}

Json ApmAdapter::listen(const Json& json) {
  const Args args(json);
  const auto name = args.name("socket");
  const auto family_text = args.text("family");
  if (family_text != "ipv4" && family_text != "ipv6") {
    throw RequestError(ErrorCode::bad_request, "family must be ipv4 or ipv6");
  }
  const auto family = family_text == "ipv6" ? apm::Family::ipv6 : apm::Family::ipv4;
  if (family == apm::Family::ipv6 && !implementation_.ipv6) {
    throw RequestError(ErrorCode::unsupported, "this implementation has no IPv6");
  }
  const auto backlog = static_cast<int>(args.count_or("backlog", 16));

  apm::Endpoint local;
  Json reply{{"outcome", outcome_of([&] {
               auto socket = implementation_.make_socket(family);
               if (!socket) throw std::logic_error("the socket factory returned null");
               registry_->sockets.put(name, socket);
               socket->listen_on_loopback(backlog);
               local = socket->local_endpoint();
             })}};
  if (is_returned(reply["outcome"])) {
    reply["address"] = local.address;
    reply["port"] = local.port;
  }
  return reply;
}

Json ApmAdapter::begin_accept(const Json& json) {
  const Args args(json);
  const auto socket = registry_->sockets.get(args.name("socket"));
  const auto result_name = args.name("result");
  const auto mode = parse_callback_mode(args.text_or("callback", "none"));
  CallbackPlan plan;
  plan.accept_as = args.optional_name("accept_as");
  plan.receive = static_cast<std::size_t>(args.count_or("receive", 0));
  if (mode == CallbackMode::begin_again) plan.next_result = args.name("next_result");
  // Held only for the call: the adapter's one lasting reference to a state
  // object is its name table's.
  const auto state = resolve_state(*registry_, args.value("state"));
  return {{"outcome", start_accept(registry_, *socket, state, mode, plan, result_name)}};
}

Json ApmAdapter::end_accept(const Json& json) {
  const Args args(json);
  const auto listener = registry_->sockets.get(args.name("socket"));
  std::shared_ptr<apm::AsyncResult> result;
  if (!args.value("result").is_null()) result = registry_->results.get(args.name("result"));
  const auto accept_as = args.optional_name("as");

  if (const auto task = args.optional_name("task")) {
    if (!args.value("when_completed_ms").is_null()) {
      const auto limit = args.timeout("when_completed_ms");
      registry_->tasks.put(*task, Task::start([registry = registry_, listener, result, accept_as, limit] {
        return end_accept_once_completed(*registry, *listener, result, accept_as, limit);
      }));
      return {{"started", true}};
    }
    auto call = [registry = registry_, listener, result, accept_as] {
      return Json{{"outcome", call_end_accept(*registry, *listener, result, accept_as)}};
    };
    if (args.value("park").is_boolean() && args.flag("park")) {
      auto gate = std::make_shared<StartGate>();
      registry_->gates.put(*task, gate);
      registry_->tasks.put(*task, Task::start_parked(std::move(call), std::move(gate)));
    } else {
      registry_->tasks.put(*task, Task::start(std::move(call)));
    }
    return {{"started", true}};
  }
  return {{"outcome", call_end_accept(*registry_, *listener, result, accept_as)}};
}

Json ApmAdapter::await_task(const Json& json) {
  const Args args(json);
  const auto task = registry_->tasks.get(args.name("task"));
  if (auto reply = task->wait_for(args.timeout())) {
    (*reply)["done"] = true;
    return std::move(*reply);
  }
  return {{"done", false}};
}

Json ApmAdapter::close(const Json& json) {
  const auto socket = registry_->sockets.get(Args(json).name("socket"));
  return {{"outcome", outcome_of([&] {
             jitter_point();
             socket->close();
           })}};
}

Json ApmAdapter::forget_state(const Json& json) {
  const auto label = Args(json).name("object");
  // Without a garbage collector there is nothing more to do: dropping the
  // last reference the adapter holds frees the object unless the
  // implementation still holds one.
  if (!registry_->state_objects.erase(label)) {
    throw RequestError(ErrorCode::unknown_name, "no state object labelled " + label);
  }
  return Json::object();
}

Json ApmAdapter::release_tasks(const Json& json) {
  // Every gate is found before any opens, so a wrong name releases nothing.
  std::vector<std::shared_ptr<StartGate>> gates;
  for (const auto& name : json.at("tasks")) gates.push_back(registry_->gates.get(name.get<std::string>()));
  const auto arrivals = std::make_shared<std::atomic<int>>(0);
  for (const auto& gate : gates) gate->open_with(arrivals, static_cast<int>(gates.size()));
  for (const auto& name : json.at("tasks")) registry_->gates.erase(name.get<std::string>());
  return Json::object();
}

Json ApmAdapter::set_tracing(const Json& json) {
  if (!implementation_.tracing) throw RequestError(ErrorCode::unsupported, "this implementation has no tracing");
  if (Args(json).flag("enabled")) {
    trace_log_->clear();
    implementation_.tracing(trace_log_->sink());
  } else {
    implementation_.tracing({});
  }
  return Json::object();
}

Json ApmAdapter::trace_events(const Json&) {
  if (!implementation_.tracing) throw RequestError(ErrorCode::unsupported, "this implementation has no tracing");
  return {{"events", trace_log_->events()}};
}

}  // namespace ea::host
