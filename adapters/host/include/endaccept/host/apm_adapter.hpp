#pragma once
// An Adapter that drives any implementation of the ea::apm contract.
#include <memory>

#include "endaccept/host/adapter.hpp"
#include "endaccept/host/implementation.hpp"

namespace ea::host {

class Registry;
class TraceLog;

class ApmAdapter final : public Adapter {
 public:
  explicit ApmAdapter(Implementation implementation);
  ~ApmAdapter() override;

  Json hello(const Json& args) override;
  Json listen(const Json& args) override;
  Json begin_accept(const Json& args) override;
  Json end_accept(const Json& args) override;
  Json await_task(const Json& args) override;
  Json make_foreign_result(const Json& args) override;
  Json close(const Json& args) override;
  Json result_info(const Json& args) override;
  Json wait_handle(const Json& args) override;
  Json callback_info(const Json& args) override;
  Json collect_received(const Json& args) override;
  Json socket_info(const Json& args) override;
  Json send(const Json& args) override;
  Json receive(const Json& args) override;
  Json set_tracing(const Json& args) override;
  Json trace_events(const Json& args) override;
  Json forget_state(const Json& args) override;
  Json release_tasks(const Json& args) override;

 private:
  Implementation implementation_;
  // Shared with callbacks and background tasks, which may outlive a request.
  std::shared_ptr<Registry> registry_;
  std::shared_ptr<TraceLog> trace_log_;
};

}  // namespace ea::host
