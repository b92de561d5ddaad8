#include "descriptors.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>

namespace ea::harness {

namespace {

std::optional<std::set<int>> open_descriptors(pid_t pid) {
  std::error_code error;
  std::filesystem::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", error);
  if (error) return std::nullopt;
  std::set<int> fds;
  for (const auto& entry : it) {
    try {
      fds.insert(std::stoi(entry.path().filename().string()));
    } catch (const std::exception&) {
    }
  }
  return fds;
}

}  // namespace

std::optional<int> count_open_descriptors(pid_t pid) {
  const auto fds = open_descriptors(pid);
  if (!fds) return std::nullopt;
  return static_cast<int>(fds->size());
}

void DescriptorLimit::exhaust() {
  const auto fds = open_descriptors(pid_);
  if (!fds) throw std::runtime_error("cannot read the adapter's descriptor table");
  // The kernel hands out the lowest free number and refuses numbers at or
  // above the soft limit, so a limit equal to the lowest free number leaves
  // no descriptor to give.
  int lowest_free = 0;
  while (fds->count(lowest_free)) ++lowest_free;
  rlimit current{};
  if (::prlimit(pid_, RLIMIT_NOFILE, nullptr, &current) != 0)
    throw std::runtime_error(std::string("prlimit: ") + std::strerror(errno));
  rlimit lowered = current;
  lowered.rlim_cur = static_cast<rlim_t>(lowest_free);
  if (::prlimit(pid_, RLIMIT_NOFILE, &lowered, nullptr) != 0)
    throw std::runtime_error(std::string("prlimit: ") + std::strerror(errno));
  if (!saved_) saved_ = current;
}

void DescriptorLimit::restore() {
  if (!saved_) return;
  if (::prlimit(pid_, RLIMIT_NOFILE, &*saved_, nullptr) != 0)
    throw std::runtime_error(std::string("prlimit: ") + std::strerror(errno));
  saved_.reset();
}

}  // namespace ea::harness
