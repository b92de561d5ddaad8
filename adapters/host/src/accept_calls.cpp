#include "accept_calls.hpp"

#include "endaccept/host/jitter.hpp"

#include <stdexcept>
#include <utility>

#include "endaccept/host/outcome.hpp"
#include "endaccept/host/request_error.hpp"

namespace ea::host {
namespace {

Json describe_async_state(const Registry& registry, const apm::AsyncResult& result) {
  try {
    return registry.describe(result.async_state());
  } catch (const std::exception& e) {
    return {{"unknown", std::string("AsyncState threw: ") + e.what()}};
  }
}

// The documented pattern: the listener travels in AsyncState. Either the
// listener or the outcome that stands for every call the callback could not
// make without it.
std::pair<std::shared_ptr<apm::Socket>, Json> listener_from_async_state(const Registry& registry,
                                                                        const apm::AsyncResult& result) {
  apm::State state;
  try {
    state = result.async_state();
  } catch (...) {
    return {nullptr, outcome_from_exception(std::current_exception())};
  }
  if (const auto listener = registry.sockets.find_object(state.get())) return {listener->second, nullptr};
  return {nullptr,
          {{"kind", "Other"}, {"type", "std::bad_cast"}, {"message", "AsyncState is not a socket of this adapter"}}};
}

// Everything a callback does after recording how it was called; each nested
// call's outcome goes into `invocation`, no exception leaves.
void run_callback_body(CallbackMode mode, const std::shared_ptr<Registry>& registry,
                       const std::shared_ptr<apm::AsyncResult>& result, const CallbackPlan& plan,
                       Invocation& invocation) {
  if (mode == CallbackMode::none || mode == CallbackMode::record) return;
  auto [listener, failure] = listener_from_async_state(*registry, *result);
  if (!listener) {
    invocation.end_outcome = failure;
    if (mode == CallbackMode::begin_again) invocation.begin_outcome = failure;
    if (mode == CallbackMode::close_listener) invocation.close_outcome = failure;
    return;
  }
  std::shared_ptr<apm::Socket> accepted;
  invocation.end_outcome = call_end_accept(*registry, *listener, result, plan.accept_as, &accepted);
  switch (mode) {
    case CallbackMode::end_in_callback:
      if (accepted && plan.receive > 0) registry->reader_for(accepted)->want(plan.receive);
      break;
    case CallbackMode::begin_again:
      // The canonical server loop: the same listener, the same AsyncState
      // (the listener itself), from this thread before the callback returns.
      invocation.begin_outcome =
          start_accept(registry, *listener, listener, CallbackMode::record, {}, plan.next_result);
      break;
    case CallbackMode::close_listener:
      invocation.close_outcome = outcome_of([&] {
        jitter_point();
        listener->close();
      });
      break;
    default:
      break;
  }
}

}  // namespace

CallbackMode parse_callback_mode(const std::string& text) {
  if (text == "none") return CallbackMode::none;
  if (text == "record") return CallbackMode::record;
  if (text == "end_in_callback") return CallbackMode::end_in_callback;
  if (text == "begin_again") return CallbackMode::begin_again;
  if (text == "close_listener") return CallbackMode::close_listener;
  throw RequestError(ErrorCode::bad_request, "unknown callback " + text);
}

Json call_end_accept(Registry& registry, apm::Socket& listener,
                     const std::shared_ptr<apm::AsyncResult>& result,
                     const std::optional<std::string>& accept_as,
                     std::shared_ptr<apm::Socket>* accepted) {
  try {
    jitter_point();
    auto socket = listener.end_accept(result);
    if (!socket) throw std::logic_error("EndAccept returned a null socket");
    if (accept_as) registry.sockets.put(*accept_as, socket);
    if (accepted) *accepted = std::move(socket);
    return socket_outcome();
  } catch (...) {
    return outcome_from_exception(std::current_exception());
  }
}

apm::AsyncCallback make_accept_callback(CallbackMode mode, std::shared_ptr<CallbackRecorder> recorder,
                                        std::weak_ptr<Registry> registry, CallbackPlan plan) {
  if (mode == CallbackMode::none) return {};
  return [=](const std::shared_ptr<apm::AsyncResult>& result) {
    Invocation invocation = recorder->enter(result.get());
    const auto tables = registry.lock();
    if (tables && result) {
      invocation.async_state = describe_async_state(*tables, *result);
      try {
        run_callback_body(mode, tables, result, plan, invocation);
      } catch (const std::exception& e) {
        // Only the adapter's own bookkeeping can get here (e.g. out of memory).
        invocation.end_outcome = {{"kind", "Other"}, {"type", "adapter"}, {"message", e.what()}};
      }
    }
    recorder->record(std::move(invocation));
  };
}

Json start_accept(const std::shared_ptr<Registry>& registry, apm::Socket& socket, const apm::State& state,
                  CallbackMode mode, const CallbackPlan& plan, const std::string& result_name) {
  auto recorder = std::make_shared<CallbackRecorder>();
  const auto callback = make_accept_callback(mode, recorder, registry, plan);
  std::shared_ptr<apm::AsyncResult> result;
  Json outcome = outcome_of([&] {
    jitter_point();
    result = recorder->call_begin([&] { return socket.begin_accept(callback, state); });
    if (!result) throw std::logic_error("BeginAccept returned a null result");
  });
  if (outcome.at("kind") == "Returned") {
    registry->results.put(result_name, result);
    registry->recorders.put(result_name, recorder);
  }
  return outcome;
}

}  // namespace ea::host
