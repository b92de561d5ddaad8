#include "endaccept/asio_ref/mutant.hpp"

#include <atomic>
#include <cstdlib>

namespace ea::asio_ref::mutant {
namespace {

constexpr std::string_view mutant_names[] = {
    "null-accepted",
    "no-owner-check",
    "other-operation-accepted",
    "foreign-wrong-exception",
    "no-end-once",
    "end-once-racy",
    "no-disposed-check-after-completion",
    "close-does-not-wake",
    "raw-errno",
    "end-returns-immediately",
    "returns-listener",
    "not-connected",
    "listener-stops",
    "callback-inline",
    "callback-twice",
    "async-state-replaced",
    "is-completed-early",
    "wait-handle-never-signalled",
    "completed-synchronously-lies",
    "leak-on-close",
    "crash-on-foreign",
    "end-in-callback-fails",
    "accept-error-swallowed",
};
static_assert(std::size(mutant_names) == static_cast<std::size_t>(Mutant::accept_error_swallowed) + 1);

constexpr int reference = -1;

int from_environment() noexcept {
  const char* name = std::getenv("EA_MUTANT");
  if (name == nullptr) return reference;
  const auto mutant = from_name(name);
  return mutant ? static_cast<int>(*mutant) : reference;
}

std::atomic<int>& selection() noexcept {
  static std::atomic<int> selected{from_environment()};
  return selected;
}

}  // namespace

bool active(Mutant mutant) noexcept { return selection().load(std::memory_order_relaxed) == static_cast<int>(mutant); }

std::span<const std::string_view> names() noexcept { return mutant_names; }

std::optional<Mutant> from_name(std::string_view name) noexcept {
  for (std::size_t i = 0; i < std::size(mutant_names); ++i) {
    if (mutant_names[i] == name) return static_cast<Mutant>(i);
  }
  return std::nullopt;
}

void select(std::optional<Mutant> mutant) noexcept {
  selection().store(mutant ? static_cast<int>(*mutant) : reference);
}

}  // namespace ea::asio_ref::mutant
