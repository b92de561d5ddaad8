#include "endaccept/posix_impl/mutant.hpp"

#include <array>
#include <atomic>
#include <cstdlib>

namespace ea::posix_impl::mutant {
namespace {

constexpr std::array<std::string_view, 25> spellings{
    "no-callback-on-close",
    "no-callback-on-error",
    "callback-again-on-close",
    "end-runs-callback",
    "callback-under-lock",
    "close-in-callback-joins",
    "close-under-socket-lock",
    "owner-checked-only-pending",
    "claim-before-owner-check",
    "foreign-rejected-after-wait",
    "end-gives-up",
    "end-gives-up-as-disposed",
    "is-completed-when-stored",
    "completed-synchronously-queued",
    "async-state-weak",
    "async-state-per-listener",
    "end-once-check-wait-set",
    "end-once-check-then-set",
    "claim-after-wait",
    "wake-before-queue",
    "wake-drained-before-poll",
    "accepted-non-blocking",
    "close-reported-as-eintr",
    "eintr-fails-accept",
    "emfile-reserve-drops-connection",
};
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

std::span<const std::string_view> names() noexcept { return spellings; }

std::optional<Mutant> from_name(std::string_view name) noexcept {
  for (std::size_t index = 0; index < spellings.size(); ++index) {
    if (spellings[index] == name) return static_cast<Mutant>(index);
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
