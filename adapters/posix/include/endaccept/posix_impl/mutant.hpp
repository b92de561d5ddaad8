#pragma once
// Plausibly wrong variants of this implementation, for the mutation gate
// (run_conformance.py --mutants). Each one is a single mistake of the kind an
// implementer of poll/eventfd/std::thread accepts makes, written as the
// implementer would have written it; adapters/posix/mutants.md says which
// clause each breaks and which cases kill it. EA_MUTANT selects one when the
// process starts; with EA_MUTANT unset (or empty) the implementation is the
// correct one.
#include <optional>
#include <span>
#include <string_view>

#include "endaccept/host/mutant_spelling.hpp"

namespace ea::posix_impl {

enum class Mutant {
  no_callback_on_close,             // accepts failed by Close never call back
  no_callback_on_error,             // accepts failed by accept4/poll errors never call back
  callback_again_on_close,          // Close calls back an untaken completed accept a second time
  end_runs_callback,                // EndAccept runs a callback that has not run yet, on its own thread
  callback_under_lock,              // callbacks run holding the acceptor's queue lock
  close_in_callback_joins,          // Close from the acceptor thread joins that very thread
  close_under_socket_lock,          // Close waits for the acceptor thread while holding the socket's lock
  owner_checked_only_pending,       // a completed result of another listener is ended here
  claim_before_owner_check,         // a foreign EndAccept claims the result, then rejects it
  foreign_rejected_after_wait,      // a foreign result is rejected only once it has completed
  end_gives_up,                     // EndAccept times out (WSAETIMEDOUT) after 2.5 s
  end_gives_up_as_disposed,         // EndAccept reports ObjectDisposed after 2 s without a connection
  is_completed_when_stored,         // IsCompleted true once the socket is stored, before completion
  completed_synchronously_queued,   // CompletedSynchronously true when a connection was already queued
  async_state_weak,                 // AsyncState held through a weak reference only
  async_state_per_listener,         // AsyncState is the latest BeginAccept's state on the listener
  end_once_check_wait_set,          // end-once: check, wait for completion, then set
  end_once_check_then_set,          // end-once: check and set under two separate lock acquisitions
  claim_after_wait,                 // EndAccept waits for completion before claiming the result
  wake_before_queue,                // BeginAccept signals the acceptor before queueing the accept
  wake_drained_before_poll,         // the acceptor drains its wake-up event just before poll()
  accepted_non_blocking,            // the accepted socket inherits the listener's O_NONBLOCK
  close_reported_as_eintr,          // an EndAccept woken by Close fails with WSAEINTR
  eintr_fails_accept,               // poll() interrupted by a signal fails the next accept
  emfile_reserve_drops_connection,  // EMFILE handled with a reserve descriptor, dropping the client
};

namespace mutant {

// The selected mutant, if any.
bool active(Mutant mutant) noexcept;

// Every mutant's EA_MUTANT spelling ("no-callback-on-close", ...) and family, in enum order.
std::span<const host::MutantSpelling> names() noexcept;
std::optional<Mutant> from_name(std::string_view name) noexcept;

// True when EA_MUTANT is unset, empty or names a mutant.
bool environment_valid() noexcept;

// Replaces the selection made by EA_MUTANT (tests); nullopt is the correct
// implementation.
void select(std::optional<Mutant> mutant) noexcept;

}  // namespace mutant
}  // namespace ea::posix_impl
