#include "endaccept/posix_impl/mutant.hpp"

#include <array>
#include <atomic>
#include <cstdlib>

namespace ea::posix_impl::mutant {
namespace {

constexpr std::array<host::MutantSpelling, 25> spellings{{
    {"no-callback-on-close", "callbacks"},
    {"no-callback-on-error", "callbacks"},
    {"callback-again-on-close", "callbacks"},
    {"end-runs-callback", "callbacks"},
    {"callback-under-lock", "reentrancy"},
    {"close-in-callback-joins", "reentrancy"},
    {"close-under-socket-lock", "reentrancy"},
    {"owner-checked-only-pending", "ownership"},
    {"claim-before-owner-check", "ownership"},
    {"foreign-rejected-after-wait", "ownership"},
    {"end-gives-up", "blocking"},
    {"end-gives-up-as-disposed", "blocking"},
    {"is-completed-when-stored", "iasyncresult"},
    {"completed-synchronously-queued", "iasyncresult"},
    {"async-state-weak", "async-state"},
    {"async-state-per-listener", "async-state"},
    {"end-once-check-wait-set", "end-once"},
    {"end-once-check-then-set", "end-once"},
    {"claim-after-wait", "end-once"},
    {"wake-before-queue", "descriptors"},
    {"wake-drained-before-poll", "descriptors"},
    {"accepted-non-blocking", "returned-socket"},
    {"close-reported-as-eintr", "socket-errors"},
    {"eintr-fails-accept", "socket-errors"},
    {"emfile-reserve-drops-connection", "socket-errors"},
}};
static_assert(spellings.size() == static_cast<std::size_t>(Mutant::emfile_reserve_drops_connection) + 1,
              "one spelling per mutant");

constexpr int none = -1;

const char* environment() noexcept {
  const char* text = std::getenv("EA_MUTANT");
  return text != nullptr && *text != '\0' ? text : nullptr;
}

int initial_selection() noexcept {
  const char* text = environment();
  if (text == nullptr) return none;
  const auto mutant = from_name(text);
  return mutant ? static_cast<int>(*mutant) : none;
}

std::atomic<int>& selected() noexcept {
  static std::atomic<int> value{initial_selection()};
  return value;
}

}  // namespace

bool active(Mutant mutant) noexcept {
  return selected().load(std::memory_order_relaxed) == static_cast<int>(mutant);
}

std::span<const host::MutantSpelling> names() noexcept { return spellings; }

std::optional<Mutant> from_name(std::string_view name) noexcept {
  for (std::size_t index = 0; index < spellings.size(); ++index) {
    if (spellings[index].name == name) return static_cast<Mutant>(index);
  }
  return std::nullopt;
}

bool environment_valid() noexcept {
  const char* text = environment();
  return text == nullptr || from_name(text).has_value();
}

void select(std::optional<Mutant> mutant) noexcept {
  selected().store(mutant ? static_cast<int>(*mutant) : none, std::memory_order_relaxed);
}

}  // namespace ea::posix_impl::mutant
