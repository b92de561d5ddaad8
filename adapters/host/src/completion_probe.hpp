#pragma once
// end_accept with when_completed_ms: the body of that background task.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "endaccept/apm/socket.hpp"
#include "registry.hpp"

namespace ea::host {

// Reads IsCompleted, spinning, for at most `limit`; once it is true, holds
// the implementation's other threads (HeldThreads, for at most `limit`)
// and calls EndAccept. Returns the await_task reply fields: the outcome,
// and "probe" saying how many threads were held, whether EndAccept
// returned only after the limit let them go, and whether it reached a
// completion_wait_point (started waiting for the accept to complete).
Json end_accept_once_completed(Registry& registry, apm::Socket& listener,
                               const std::shared_ptr<apm::AsyncResult>& result,
                               const std::optional<std::string>& accept_as, std::chrono::milliseconds limit);

}  // namespace ea::host
