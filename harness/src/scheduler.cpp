#include "scheduler.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <thread>

#include "json_file.hpp"

namespace ea::harness {

double mandated_wait_ms(const ConformanceCase& conformance_case, const Timing& timing) {
  double total = 0;
  for (const auto& step : conformance_case.steps) {
    const std::string op = step.value("op", "");
    const bool holds = op == "expect_blocked" || op == "expect_callback" ||
                       (op == "expect_wait_handle" && !step.value("signalled", true)) ||
                       (op == "exchange" && step.value("receive_first", false));
    if (holds) total += static_cast<double>(timing.hold(step).count());
  }
  return total;
}

DurationHistory::DurationHistory(std::filesystem::path file) : file_(std::move(file)) {
  std::error_code missing;
  if (!std::filesystem::exists(file_, missing)) return;
  try {
    const Json document = read_json_file(file_);
    for (const auto& [case_id, ms] : document.at("last_ms").items())
      if (ms.is_number()) last_ms_[case_id] = ms.get<double>();
    // A history written before least_ms was kept starts its least from the last.
    least_ms_ = last_ms_;
    if (document.contains("least_ms") && document["least_ms"].is_object())
      for (const auto& [case_id, ms] : document["least_ms"].items())
        if (ms.is_number() && last_ms_.count(case_id)) least_ms_[case_id] = std::min(ms.get<double>(), last_ms_[case_id]);
    if (document.contains("cpu_ms_per_run") && document["cpu_ms_per_run"].is_number())
      cpu_ms_per_run_ = document["cpu_ms_per_run"].get<double>();
  } catch (const std::exception&) {
    last_ms_.clear();  // written by another version, or torn: start again
    least_ms_.clear();
  }
}

std::optional<double> DurationHistory::last_ms(const std::string& case_id) const {
  const auto found = last_ms_.find(case_id);
  if (found == last_ms_.end()) return std::nullopt;
  return found->second;
}

void DurationHistory::record(const std::string& case_id, double ms) {
  last_ms_[case_id] = ms;
  const auto least = least_ms_.find(case_id);
  least_ms_[case_id] = least == least_ms_.end() ? ms : std::min(least->second, ms);
}

void DurationHistory::save() const {
  if (file_.empty()) return;
  try {
    std::filesystem::create_directories(file_.parent_path());
    Json document = {{"last_ms", Json::object()}, {"least_ms", Json::object()}};
    for (const auto& [case_id, ms] : last_ms_) document["last_ms"][case_id] = std::round(ms);
    for (const auto& [case_id, ms] : least_ms_) document["least_ms"][case_id] = std::round(ms);
    if (cpu_ms_per_run_) document["cpu_ms_per_run"] = std::round(*cpu_ms_per_run_ * 100) / 100;
    write_json_file_atomically(file_, document);
  } catch (const std::exception&) {
  }
}

std::filesystem::path duration_history_file(const std::filesystem::path& build_dir, const std::string& adapter,
                                            const std::string& mutant) {
  return build_dir / "case-durations" / (mutant.empty() ? adapter + ".json" : adapter + "." + mutant + ".json");
}

void HeadStart::begun() {
  {
    const std::lock_guard<std::mutex> hold(lock_);
    begun_ = true;
  }
  changed_.notify_all();
}

bool HeadStart::has_begun() const {
  const std::lock_guard<std::mutex> hold(lock_);
  return begun_;
}

void HeadStart::wait() const {
  std::unique_lock<std::mutex> hold(lock_);
  changed_.wait_for(hold, most_, [this] { return begun_; });
}

void run_longest_first(std::vector<ScheduledRun> runs, int workers,
                       const std::function<void(const ScheduledRun&)>& body, HeadStart* head_start) {
  // Alone, a runner keeps GoogleTest's order (what a person running it by
  // hand reads); in parallel, the longest runs go first.
  if (workers > 1)
    std::stable_sort(runs.begin(), runs.end(),
                     [](const ScheduledRun& a, const ScheduledRun& b) { return a.expected_ms > b.expected_ms; });
  // The queue is fixed once sorted, so taking the next run is one atomic step.
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next++; i < runs.size(); i = next++) body(runs[i]);
  };
  const int threads = std::max(1, std::min<int>(workers, static_cast<int>(runs.size())));
  std::vector<std::thread> pool;
  if (!runs.empty()) {
    // Taken before any other worker exists: the longest run is this thread's.
    const std::size_t longest = next++;
    for (int t = 1; t < threads; ++t)
      pool.emplace_back([&] {
        if (head_start) head_start->wait();
        work();
      });
    body(runs[longest]);
    if (head_start) head_start->begun();  // it ended before it began: nothing left to give way to
  }
  work();
  for (auto& thread : pool) thread.join();
}

}  // namespace ea::harness
