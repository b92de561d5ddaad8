#pragma once
// One virtual per operation of spec/adapter-protocol.md. Arguments and
// results are the protocol's JSON objects. A request the adapter cannot
// perform at all throws RequestError; an exception of the implementation
// under test is not an error but an outcome inside the result.
#include <nlohmann/json.hpp>

namespace ea::host {

using Json = nlohmann::json;

class Adapter {
 public:
  virtual ~Adapter() = default;

  virtual Json hello(const Json& args) = 0;
  virtual Json listen(const Json& args) = 0;
  virtual Json begin_accept(const Json& args) = 0;
  virtual Json end_accept(const Json& args) = 0;
  virtual Json await_task(const Json& args) = 0;
  virtual Json make_foreign_result(const Json& args) = 0;
  virtual Json close(const Json& args) = 0;
  virtual Json result_info(const Json& args) = 0;
  virtual Json wait_handle(const Json& args) = 0;
  virtual Json callback_info(const Json& args) = 0;
  virtual Json collect_received(const Json& args) = 0;
  virtual Json socket_info(const Json& args) = 0;
  virtual Json send(const Json& args) = 0;
  virtual Json receive(const Json& args) = 0;
  virtual Json set_tracing(const Json& args) = 0;
  virtual Json trace_events(const Json& args) = 0;
  virtual Json forget_state(const Json& args) = 0;
  virtual Json release_tasks(const Json& args) = 0;
};

}  // namespace ea::host
