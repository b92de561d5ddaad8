#include "leftover_processes.hpp"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "untrusted_text.hpp"

namespace ea::harness {

namespace {

struct ProcessFacts {
  pid_t pid = 0;
  char state = '?';
  pid_t parent = 0;
  pid_t group = 0;
};

bool read_facts(pid_t pid, ProcessFacts& facts) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return false;
  // The command name in parentheses may hold spaces and parentheses itself.
  const auto name_end = stat.rfind(')');
  if (name_end == std::string::npos) return false;
  std::istringstream rest(stat.substr(name_end + 1));
  facts.pid = pid;
  return static_cast<bool>(rest >> facts.state >> facts.parent >> facts.group);
}

std::string describe(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (auto& c : cmdline)
    if (c == '\0') c = ' ';
  while (!cmdline.empty() && cmdline.back() == ' ') cmdline.pop_back();
  return "pid " + std::to_string(pid) + ": " + one_line(cmdline, 300);
}

std::vector<ProcessFacts> all_processes() {
  std::vector<ProcessFacts> found;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    ProcessFacts facts;
    if (read_facts(static_cast<pid_t>(std::stol(name)), facts)) found.push_back(facts);
  }
  return found;
}

void collect_descendants(pid_t pid, std::set<pid_t>& seen, std::vector<pid_t>& out) {
  std::error_code error;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks, error)) {
    std::ifstream in(task.path() / "children");
    pid_t child = 0;
    while (in >> child) {
      if (!seen.insert(child).second) continue;
      out.push_back(child);
      collect_descendants(child, seen, out);
    }
  }
}

std::mutex live_adapters_lock;
std::set<pid_t> live_adapters;
bool subreaper = false;

std::vector<pid_t> collect_descendants_of(pid_t pid);

// The runner's own children, from every one of its threads' children files
// (a child belongs to the thread that started it; an orphan to the first
// live thread). Not recursive.
std::vector<pid_t> children_of(pid_t pid) {
  std::vector<pid_t> out;
  std::error_code error;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks, error)) {
    std::ifstream in(task.path() / "children");
    pid_t child = 0;
    while (in >> child) out.push_back(child);
  }
  return out;
}

// Whether process group `group` still has a member (a zombie one too).
bool group_has_members(pid_t group) { return group > 0 && (::kill(-group, 0) == 0 || errno == EPERM); }

// Where a process the adapter left can be. As child subreaper, every one of
// them is a descendant of the runner (orphans are reparented to it), so the
// runner's own tree is enough; that keeps the cost per case independent of
// how many processes the machine runs (a wide gate runs hundreds). Without
// it, an orphan may be anywhere: every process is looked at.
//
// Cheaper still when the group is empty (the adapter reaped, nothing left
// in its group, which the kernel answers without /proc): then only the
// runner's own children can be left behind, and those that are running
// adapters of other cases are not looked into (their trees are theirs).
// A group with a member anywhere means the whole tree, as before.
// Called under live_adapters_lock.
std::vector<ProcessFacts> candidate_processes(pid_t group) {
  if (!subreaper) return all_processes();
  std::vector<ProcessFacts> found;
  if (group_has_members(group)) {
    for (const pid_t pid : collect_descendants_of(::getpid())) {
      ProcessFacts facts;
      if (read_facts(pid, facts)) found.push_back(facts);
    }
    return found;
  }
  for (const pid_t pid : children_of(::getpid())) {
    if (live_adapters.count(pid)) continue;
    ProcessFacts facts;
    if (read_facts(pid, facts)) found.push_back(facts);
  }
  return found;
}

}  // namespace

pid_t spawn_registered_adapter(const std::function<pid_t()>& spawn) {
  const std::lock_guard<std::mutex> hold(live_adapters_lock);
  const pid_t pid = spawn();
  if (pid > 0) live_adapters.insert(pid);
  return pid;
}

void unregister_adapter(pid_t pid) {
  const std::lock_guard<std::mutex> hold(live_adapters_lock);
  live_adapters.erase(pid);
}

void unregister_every_adapter() {
  const std::lock_guard<std::mutex> hold(live_adapters_lock);
  live_adapters.clear();
}

bool become_child_subreaper() {
  subreaper = ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
  return subreaper;
}

std::vector<pid_t> descendants_of(pid_t pid) { return collect_descendants_of(pid); }

namespace {

std::vector<pid_t> collect_descendants_of(pid_t pid) {
  std::set<pid_t> seen{pid};
  std::vector<pid_t> out;
  collect_descendants(pid, seen, out);
  return out;
}

}  // namespace

std::vector<std::string> end_processes_left_behind(pid_t group) {
  const std::lock_guard<std::mutex> hold(live_adapters_lock);
  const pid_t self = ::getpid();
  std::set<pid_t> ended;
  std::vector<std::string> descriptions;
  // Each round may orphan the children of what it killed, who then become
  // the runner's; a fork bomb is cut off by the bound, not followed forever.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (int round = 0; round < 100 && std::chrono::steady_clock::now() < give_up; ++round) {
    bool found_live = false;
    for (const auto& process : candidate_processes(group)) {
      if (process.pid == self) continue;
      // Another running case's adapter, or one of its group: not ours to end.
      if (live_adapters.count(process.pid) || (process.group != group && live_adapters.count(process.group))) continue;
      const bool ours = process.parent == self;
      if (!ours && (group <= 0 || process.group != group)) continue;
      if (process.state == 'Z') {
        if (ours) ::waitpid(process.pid, nullptr, WNOHANG);
        continue;
      }
      found_live = true;
      std::vector<pid_t> targets = descendants_of(process.pid);
      targets.push_back(process.pid);
      for (const pid_t target : targets) {
        if (ended.insert(target).second) descriptions.push_back(describe(target));
        ::kill(target, SIGKILL);
      }
    }
    if (group > 0) ::kill(-group, SIGKILL);
    if (!found_live) break;
    // SIGKILL is not instant; give the kernel a moment before looking again.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return descriptions;
}

}  // namespace ea::harness
