#pragma once
// Performs the steps of cases/README.md against one adapter process,
// playing the remote host itself, and judges each step.
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "adapter_session.hpp"
#include "case_result.hpp"
#include "descriptors.hpp"
#include "outcome.hpp"
#include "test_client.hpp"
#include "timing.hpp"

namespace ea::harness {

// The implementation did something the case says it must not (FAIL).
struct StepFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class StepInterpreter {
 public:
  StepInterpreter(AdapterSession& session, AdapterProcess& process, const Timing& timing,
                  Clock::time_point case_deadline);

  // Fills record.observed / record.expected; throws StepFailed on a
  // mismatch, and lets protocol, crash and timeout exceptions through.
  void run(const Json& step, StepRecord& record);

 private:
  Json call(const std::string& op, const Json& args, Milliseconds adapter_wait = Milliseconds(0));
  Outcome check_outcome(const Json& result, const std::string& expected, StepRecord& record);
  Clock::time_point deadline_after(Milliseconds wait) const;
  TestClient& client(const std::string& name);
  Json socket_info(const std::string& socket);

  void listen(const Json& step, StepRecord& record);
  void begin_accept(const Json& step, StepRecord& record);
  void end_accept(const Json& step, StepRecord& record);
  void make_foreign_result(const Json& step, StepRecord& record);
  void close(const Json& step, StepRecord& record);
  void connect(const Json& step, StepRecord& record);
  void close_client(const Json& step, StepRecord& record);
  void expect_blocked(const Json& step, StepRecord& record);
  void await(const Json& step, StepRecord& record);
  void await_all(const Json& step, StepRecord& record);
  void expect_connected(const Json& step, StepRecord& record);
  void expect_pairing(const Json& step, StepRecord& record);
  void exchange(const Json& step, StepRecord& record);
  void send_from_client(const Json& step, StepRecord& record);
  void expect_received(const Json& step, StepRecord& record);
  void expect_result(const Json& step, StepRecord& record);
  void expect_wait_handle(const Json& step, StepRecord& record);
  void expect_callback(const Json& step, StepRecord& record);
  void limit_descriptors(const Json& step, StepRecord& record);
  void restore_descriptors(const Json& step, StepRecord& record);
  void snapshot_descriptors(const Json& step, StepRecord& record);
  void expect_descriptors(const Json& step, StepRecord& record);
  void set_tracing(const Json& step, StepRecord& record);
  void expect_trace(const Json& step, StepRecord& record);

  AdapterSession& session_;
  AdapterProcess& process_;
  const Timing& timing_;
  Clock::time_point case_deadline_;
  std::map<std::string, Address> listeners_;
  std::map<std::string, std::unique_ptr<TestClient>> clients_;
  std::map<std::string, int> snapshots_;
  DescriptorLimit descriptor_limit_;
};

}  // namespace ea::harness
