// Endpoints and data of accepted sockets.
#include "args.hpp"
#include "endaccept/host/apm_adapter.hpp"
#include "endaccept/host/outcome.hpp"
#include "endaccept/host/request_error.hpp"
#include "latin1.hpp"
#include "registry.hpp"

namespace ea::host {
namespace {

Json endpoint_json(const apm::Endpoint& endpoint) {
  return {{"address", endpoint.address}, {"port", endpoint.port}};
}

}  // namespace

Json ApmAdapter::socket_info(const Json& json) {
  const auto socket = registry_->sockets.get(Args(json).name("socket"));
  const auto remote = socket->remote_endpoint();
  return {{"local", endpoint_json(socket->local_endpoint())},
          {"remote", remote ? endpoint_json(*remote) : Json(nullptr)},
          {"connected", socket->connected()},
          {"identity", socket->identity()}};
}

Json ApmAdapter::send(const Json& json) {
  const Args args(json);
  const auto socket = registry_->sockets.get(args.name("socket"));
  const auto data = utf8_to_latin1(args.text("data"));
  std::size_t sent = 0;
  Json outcome = outcome_of([&] { sent = socket->send(data); });
  return {{"outcome", std::move(outcome)}, {"sent", sent}};
}

Json ApmAdapter::receive(const Json& json) {
  const Args args(json);
  const auto socket = registry_->sockets.get(args.name("socket"));
  const auto count = static_cast<std::size_t>(args.count("count"));
  auto taken = registry_->reader_for(socket)->take(count, args.timeout());
  return {{"outcome", std::move(taken.outcome)}, {"data", latin1_to_utf8(taken.data)}};
}

Json ApmAdapter::collect_received(const Json& json) {
  const Args args(json);
  const auto name = args.name("socket");
  const auto socket = registry_->sockets.get(name);
  const auto reader = registry_->existing_reader(*socket);
  if (!reader) throw RequestError(ErrorCode::bad_request, "no receive was started on " + name);
  const auto count = static_cast<std::size_t>(args.count("count"));
  return {{"data", latin1_to_utf8(reader->gathered(count, args.timeout()))}};
}

}  // namespace ea::host
