#pragma once
// Finding and ending every process an adapter left behind: its process
// group, and (with the runner as child subreaper) every orphan among its
// descendants, even one that left the group with setsid.
#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace ea::harness {

// Orphaned descendants are reparented to the runner instead of init, where
// the kernel allows it (Linux PR_SET_CHILD_SUBREAPER). False otherwise.
bool become_child_subreaper();

// The live children, grandchildren, ... of `pid`, from /proc/<pid>/task/*/children.
std::vector<pid_t> descendants_of(pid_t pid);

// Adapters of cases running at the same time (the scheduler's pool) are
// children of the runner too: registered while they run, they and their
// process groups are never taken for what another adapter left behind.
// `spawn` runs under the registry's lock, so no scan sees the new child
// before it is registered.
pid_t spawn_registered_adapter(const std::function<pid_t()>& spawn);
void unregister_adapter(pid_t pid);
// A stopped run ends every adapter, running or not.
void unregister_every_adapter();

// SIGKILLs and reaps every live process in process group `group` and every
// child of the runner (after an adapter was reaped, the runner's only
// children are what the adapter left), until none is found; reaps zombies
// left to the runner. Returns a description ("pid 123: cmdline") of each
// live process it ended.
std::vector<std::string> end_processes_left_behind(pid_t group);

}  // namespace ea::harness
