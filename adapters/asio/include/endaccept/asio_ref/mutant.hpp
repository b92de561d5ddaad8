#pragma once
// Deliberately broken variants of the reference, for the mutation-adequacy
// gate: each breaks exactly one behavior, and a suite that passes against a
// mutant misses the clause named beside it. Selected at run time by the
// EA_MUTANT environment variable; none is active by default.
#include <optional>
#include <span>
#include <string_view>

#include "endaccept/host/mutant_spelling.hpp"

namespace ea::asio_ref {

enum class Mutant {
  null_accepted,                       // EndAccept(null) accepts the next connection               EA-ARG-NULL
  no_owner_check,                      // another listener's result is ended here                   EA-ARG-FOREIGN
  other_operation_accepted,            // a BeginConnect result is awaited, then a non-contract error EA-ARG-FOREIGN
  foreign_wrong_exception,             // a foreign result throws InvalidOperationException          EA-ARG-FOREIGN
  no_end_once,                         // a second EndAccept returns the same socket again           EA-END-TWICE
  end_once_racy,                       // end-once is checked, then set 20 ms later                  EA-END-TWICE
  no_disposed_check_after_completion,  // a closed listener still hands out a completed accept       EA-DISPOSED
  close_does_not_wake,                 // Close leaves a blocked EndAccept waiting forever           EA-DISPOSED
  raw_errno,                           // SocketException carries errno (24), not WSAEMFILE (10024)  EA-SOCKET-ERROR
  end_returns_immediately,             // EndAccept throws InvalidOperation instead of blocking      EA-BLOCKS
  returns_listener,                    // EndAccept returns the listener itself                      EA-RETURNS-SOCKET
  not_connected,                       // EndAccept returns a fresh unconnected socket               EA-RETURNS-SOCKET
  listener_stops,                      // after the first EndAccept no accept ever completes         EA-LISTENER-CONTINUES
  callback_inline,                     // the callback runs inside BeginAccept, before completion    EA-CALLBACK-THREAD
  callback_twice,                      // the callback runs twice per completion                     EA-CALLBACK-ONCE
  async_state_replaced,                // AsyncState is null instead of the caller's state           EA-ASYNC-STATE
  is_completed_early,                  // IsCompleted is true before the accept completed            EA-IASYNCRESULT
  wait_handle_never_signalled,         // AsyncWaitHandle never becomes signalled                    EA-IASYNCRESULT
  completed_synchronously_lies,        // CompletedSynchronously is true for an asynchronous accept  EA-IASYNCRESULT
  leak_on_close,                       // closing the listener leaves an unclaimed connection open   EA-NO-LEAK
  crash_on_foreign,                    // a foreign result kills the process with SIGSEGV            EA-ARG-FOREIGN
  end_in_callback_fails,               // EndAccept inside the callback throws InvalidOperation      EA-END-IN-CALLBACK
  accept_error_swallowed,              // an accept error is retried forever, EndAccept never returns EA-SOCKET-ERROR
};

namespace mutant {

bool active(Mutant mutant) noexcept;

// In enum order, spelled as EA_MUTANT takes them ("null-accepted", ...), each with its family.
std::span<const host::MutantSpelling> names() noexcept;

std::optional<Mutant> from_name(std::string_view name) noexcept;

// Overrides EA_MUTANT, for tests; empty selects the reference.
void select(std::optional<Mutant> mutant) noexcept;

}  // namespace mutant
}  // namespace ea::asio_ref
