#include "case_runner.hpp"

#include <thread>

#include "descriptors.hpp"
#include "exploration.hpp"
#include "protocol_violation.hpp"
#include "step_interpreter.hpp"
#include "steps/failure_scope.hpp"
#include "steps/step_table.hpp"
#include "verdict.hpp"
#include "untrusted_text.hpp"

namespace ea::harness {

namespace {

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::optional<std::string> skip_reason(const ConformanceCase& c, const AdapterIdentity& identity, const HostFacts& host) {
  for (const auto& capability : c.requires_capabilities) {
    if (identity.has(capability)) continue;
    if (capability == "platform-supported") return "the adapter declares this platform unsupported";
    return "the adapter does not declare the capability '" + capability + "'";
  }
  if (c.uses_ipv6() && !host.ipv6) return "this host has no IPv6 loopback (::1)";
  return std::nullopt;
}

// Ends the process the way the protocol asks (stdin closed, prompt exit)
// and reports how it went.
void finish(AdapterProcess& process, const Timing& timing, CaseRun& run) {
  process.close_stdin();
  const bool exited = process.wait_for_exit(Clock::now() + timing.exit_grace());
  if (!exited) {
    process.kill();
    process.wait_for_exit(Clock::now() + timing.exit_grace());
    if (run.status == Status::pass) {
      run.status = Status::error;
      run.message = "the adapter did not exit within " + std::to_string(timing.exit_grace().count()) +
                    " ms after its stdin was closed";
    }
  } else if (!process.exited_cleanly() && run.status == Status::pass) {
    run.status = Status::crash;
    run.message = "the adapter ended with " + process.describe_exit() + " after the case's steps" +
                  (run.message.empty() ? "" : " (" + run.message + ")");
  }
  run.adapter_exit = process.describe_exit();
  // The protocol allows no second process; one still running after the
  // adapter ended would outlive the case and interfere with the next.
  const auto left = process.end_leftovers();
  if (!left.empty() && run.status == Status::pass) {
    run.status = Status::error;
    run.message = "the adapter left " + std::to_string(left.size()) +
                  " process(es) running after it ended (killed by the harness): " + left.front() +
                  (left.size() > 1 ? "; ..." : "");
  }
}

}  // namespace

AdapterIdentity probe_adapter(const LaunchSpec& launch, const Timing& timing) {
  AdapterProcess process(launch);
  AdapterSession session(process);
  const auto identity = session.hello(Clock::now() + timing.scaled(timing.default_within_ms) + timing.reply_grace());
  process.close_stdin();
  if (!process.wait_for_exit(Clock::now() + timing.exit_grace())) process.kill();
  return identity;
}

CaseRun run_case(const ConformanceCase& conformance_case, const LaunchSpec& given_launch, const Timing& timing,
                 const HostFacts& host, Observe observe, std::optional<std::uint64_t> seed,
                 SpareAdapters* spares, HeadStart* head_start) {
  CaseRun run;
  run.seed = seed;
  LaunchSpec launch = given_launch;
  if (seed) launch.environment[kJitterSeedVariable] = std::to_string(*seed);
  StepSpacing spacing(seed);
  const auto started = Clock::now();
  const auto case_deadline = started + timing.case_limit();
  std::unique_ptr<AdapterProcess> process;
  std::size_t step_index = 0;
  bool said_hello = false;
  // Where it went wrong: a failure before the first step is the hello's, not step 0's.
  const auto where = [&] { return said_hello ? "step " + std::to_string(step_index) : std::string("hello"); };
  std::vector<Deviation> deviations;
  const auto deviate = [&](Status status, const std::string& message) {
    deviations.push_back({said_hello ? std::optional<std::size_t>(step_index) : std::nullopt, status, message});
  };
  try {
    process = spares && !seed ? spares->take() : std::make_unique<AdapterProcess>(launch);
    AdapterSession session(*process);
    const auto identity =
        session.hello(std::min(case_deadline, Clock::now() + timing.scaled(timing.default_within_ms) + timing.reply_grace()));
    said_hello = true;
    if (const auto reason = skip_reason(conformance_case, identity, host)) {
      run.status = Status::skip;
      run.message = *reason;
    } else {
      run.descriptors_at_start = count_open_descriptors(process->pid());
      StepInterpreter interpreter(session, *process, timing, case_deadline);
      FailureScope scope;
      bool stopped = false;
      for (; step_index < conformance_case.steps.size() && !stopped; ++step_index) {
        StepRecord record;
        record.index = step_index;
        record.step = conformance_case.steps[step_index];
        const StepOp& op = *find_step_op(record.step.at("op"));
        if (const auto missing = scope.missing_name(op, record.step)) {
          record.ran = false;
          record.not_run_because = "it uses " + *missing + ", which an earlier step that failed did not make";
          scope.not_run(op, record.step);
          run.steps.push_back(record);
          continue;
        }
        std::this_thread::sleep_for(spacing.next());
        const auto step_started = Clock::now();
        try {
          interpreter.run(record.step, record);
          record.ok = true;
        } catch (const StepFailed& e) {
          // A mismatch leaves the adapter answering: record it and observe on.
          record.failure = e.what();
          deviate(Status::fail, where() + ": " + e.what());
          scope.failed(op, record.step);
          stopped = observe == Observe::first_deviation || FailureScope::stops_case(op, record.step);
        } catch (...) {
          record.elapsed_ms = ms_since(step_started);
          run.steps.push_back(record);
          throw;
        }
        record.elapsed_ms = ms_since(step_started);
        run.steps.push_back(record);
        if (head_start && step_index == 0) head_start->begun();
      }
      run.descriptors_at_end = count_open_descriptors(process->pid());
    }
  } catch (const AdapterTimedOut& e) {
    deviate(Status::timeout, where() + ": " + e.what());
    if (process) process->kill();
  } catch (const AdapterCrashed& e) {
    std::string message = e.what();
    if (process) {
      process->wait_for_exit(Clock::now() + timing.exit_grace());
      process->kill();
      message += " at " + where() + "; the adapter ended with " +
                 (process->describe_exit().empty() ? "no exit status" : process->describe_exit());
    }
    deviate(Status::crash, message);
  } catch (const ProtocolViolation& e) {
    deviate(Status::error, where() + ": protocol violation: " + e.what());
    if (process) process->kill();
  } catch (const std::exception& e) {
    // Failures on the harness's side (prlimit refused, /proc unreadable) are
    // not the candidate's fault, but they do mean the case proved nothing.
    deviate(Status::error, where() + ": harness could not perform the step: " + e.what());
    if (process) process->kill();
  }
  conclude(run, std::move(deviations));
  if (process) {
    finish(*process, timing, run);
    if (run.status != Status::pass && run.status != Status::skip)
      run.stderr_tail = escaped_text(process->stderr_tail());
  }
  // Messages quote the candidate; they go on one progress line and into the report.
  run.message = one_line(run.message);
  for (auto& later : run.later_deviations) later.message = one_line(later.message);
  run.duration_ms = ms_since(started);
  return run;
}

}  // namespace ea::harness
