#include "accept_calls.hpp"

#include <stdexcept>

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

// The documented pattern: the listener travels in AsyncState.
Json end_from_async_state(Registry& registry, const std::shared_ptr<apm::AsyncResult>& result,
                          const EndInCallback& end) {
  apm::State state;
  try {
    state = result->async_state();
  } catch (...) {
    return outcome_from_exception(std::current_exception());
  }
  const auto listener = registry.sockets.find_object(state.get());
  if (!listener) {
    return {{"kind", "Other"},
            {"type", "std::bad_cast"},
            {"message", "AsyncState is not a socket of this adapter"}};
  }
  std::shared_ptr<apm::Socket> accepted;
  Json outcome = call_end_accept(registry, *listener->second, result, end.accept_as, &accepted);
  if (accepted && end.receive > 0) registry.reader_for(accepted)->want(end.receive);
  return outcome;
}

}  // namespace

CallbackMode parse_callback_mode(const std::string& text) {
  if (text == "none") return CallbackMode::none;
  if (text == "record") return CallbackMode::record;
  if (text == "end_in_callback") return CallbackMode::end_in_callback;
  throw RequestError(ErrorCode::bad_request, "unknown callback " + text);
}

Json call_end_accept(Registry& registry, apm::Socket& listener,
                     const std::shared_ptr<apm::AsyncResult>& result,
                     const std::optional<std::string>& accept_as,
                     std::shared_ptr<apm::Socket>* accepted) {
  try {
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
                                        std::weak_ptr<Registry> registry, EndInCallback end) {
  if (mode == CallbackMode::none) return {};
  return [=](const std::shared_ptr<apm::AsyncResult>& result) {
    Invocation invocation = recorder->enter(result.get());
    const auto tables = registry.lock();
    if (tables && result) {
      invocation.async_state = describe_async_state(*tables, *result);
      if (mode == CallbackMode::end_in_callback) {
        invocation.end_outcome = end_from_async_state(*tables, result, end);
      }
    }
    recorder->record(std::move(invocation));
  };
}

}  // namespace ea::host
