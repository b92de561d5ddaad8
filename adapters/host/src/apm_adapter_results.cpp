// Questions about asynchronous results, and results BeginAccept never made.
#include <chrono>
#include <cstdint>
#include <stdexcept>

#include "args.hpp"
#include "endaccept/apm/caller_made_result.hpp"
#include "endaccept/host/apm_adapter.hpp"
#include "endaccept/host/outcome.hpp"
#include "endaccept/host/request_error.hpp"
#include "registry.hpp"

namespace ea::host {

Json ApmAdapter::make_foreign_result(const Json& json) {
  using namespace std::chrono_literals;
  const Args args(json);
  const auto name = args.name("result");
  const auto kind = args.text("kind");
  if (kind == "caller-made") {
    registry_->results.put(name, std::make_shared<apm::CallerMadeResult>());
    return {{"outcome", returned_outcome()}};
  }
  if (kind != "other-operation") throw RequestError(ErrorCode::bad_request, "unknown kind " + kind);

  const auto port = args.count("port");
  if (port < 1 || port > 65535) throw RequestError(ErrorCode::bad_request, "port out of range");
  std::shared_ptr<apm::AsyncResult> result;
  Json outcome = outcome_of([&] {
    auto connector = implementation_.make_socket(apm::Family::ipv4);
    if (!connector) throw std::logic_error("the socket factory returned null");
    // Destroying the connecting socket would abort the operation behind the result.
    registry_->keep_alive(connector);
    result = connector->begin_connect({"127.0.0.1", static_cast<std::uint16_t>(port)}, {}, nullptr);
    if (!result) throw std::logic_error("BeginConnect returned a null result");
    result->wait(5s);
  });
  if (outcome.at("kind") == "Returned") registry_->results.put(name, result);
  return {{"outcome", std::move(outcome)}};
}

Json ApmAdapter::result_info(const Json& json) {
  const auto result = registry_->results.get(Args(json).name("result"));
  return {{"is_completed", result->is_completed()},
          {"completed_synchronously", result->completed_synchronously()},
          {"async_state", registry_->describe(result->async_state())}};
}

Json ApmAdapter::wait_handle(const Json& json) {
  const Args args(json);
  const auto result = registry_->results.get(args.name("result"));
  return {{"signalled", result->wait(args.timeout())}};
}

Json ApmAdapter::callback_info(const Json& json) {
  const Args args(json);
  const auto name = args.name("result");
  registry_->results.get(name);
  const auto min_calls = static_cast<std::size_t>(args.count("min_calls"));
  const auto timeout = args.timeout();
  if (const auto recorder = registry_->recorders.find(name)) return (*recorder)->report(min_calls, timeout);
  // A foreign result: no BeginAccept, so no callback ever runs.
  return {{"calls", 0}, {"invocations", Json::array()}};
}

}  // namespace ea::host
