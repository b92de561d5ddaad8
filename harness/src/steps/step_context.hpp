#pragma once
// What a step's execution works with: the adapter session and process, the
// harness's own clients, the case's timing, and the objects earlier steps
// left behind. One per case run.
#include <map>
#include <set>
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

class StepContext {
 public:
  StepContext(AdapterSession& session, AdapterProcess& process, const Timing& timing, Clock::time_point case_deadline)
      : session(session), process(process), timing(timing), case_deadline(case_deadline), descriptor_limit(process.pid()) {}

  // A request whose reply may take the adapter `adapter_wait` (plus grace).
  Json call(const std::string& op, const Json& args, Milliseconds adapter_wait = Milliseconds(0));
  // Records expected/observed and throws StepFailed on a mismatch.
  Outcome check_outcome(const Json& result, const std::string& expected, StepRecord& record);
  Clock::time_point deadline_after(Milliseconds wait) const;
  TestClient& client(const std::string& name) { return *clients.at(name); }
  // socket_info, with every field of the reply checked.
  Json socket_info(const std::string& socket);

  AdapterSession& session;
  AdapterProcess& process;
  const Timing& timing;
  const Clock::time_point case_deadline;
  std::map<std::string, Address> listeners;
  std::map<std::string, std::unique_ptr<TestClient>> clients;
  std::map<std::string, int> snapshots;
  // Background EndAccepts started with when_completed: their await checks the probe.
  std::set<std::string> completion_probes;
  DescriptorLimit descriptor_limit;
};

std::string with_detail(const Outcome& outcome);
std::string describe_identity(const Json& identity);
long long count_ms(Milliseconds ms);
std::string ms_text(Milliseconds ms);  // "100 ms"

}  // namespace ea::harness
