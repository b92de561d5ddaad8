#include "endaccept/asio_ref/mutant.hpp"

#include <atomic>
#include <cstdlib>

namespace ea::asio_ref::mutant {
namespace {

constexpr host::MutantSpelling mutant_names[] = {
    {"null-accepted", "arguments"},
    {"no-owner-check", "arguments"},
    {"other-operation-accepted", "arguments"},
    {"foreign-wrong-exception", "arguments"},
    {"no-end-once", "end-once"},
    {"end-once-racy", "end-once"},
    {"no-disposed-check-after-completion", "close"},
    {"close-does-not-wake", "close"},
    {"raw-errno", "socket-errors"},
    {"end-returns-immediately", "blocking"},
    {"returns-listener", "returned-socket"},
    {"not-connected", "returned-socket"},
    {"listener-stops", "returned-socket"},
    {"callback-inline", "callbacks"},
    {"callback-twice", "callbacks"},
    {"async-state-replaced", "async-state"},
    {"is-completed-early", "iasyncresult"},
    {"wait-handle-never-signalled", "iasyncresult"},
    {"completed-synchronously-lies", "iasyncresult"},
    {"leak-on-close", "descriptors"},
    {"crash-on-foreign", "arguments"},
    {"end-in-callback-fails", "reentrancy"},
    {"accept-error-swallowed", "socket-errors"},
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

std::span<const host::MutantSpelling> names() noexcept { return mutant_names; }

std::optional<Mutant> from_name(std::string_view name) noexcept {
  for (std::size_t i = 0; i < std::size(mutant_names); ++i) {
    if (mutant_names[i].name == name) return static_cast<Mutant>(i);
  }
  return std::nullopt;
}

void select(std::optional<Mutant> mutant) noexcept {
  selection().store(mutant ? static_cast<int>(*mutant) : reference);
}

}  // namespace ea::asio_ref::mutant
