#pragma once
// The calls into BeginAccept's callback and EndAccept that the adapter makes
// on the harness's behalf.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "callback_recorder.hpp"
#include "endaccept/apm/socket.hpp"
#include "registry.hpp"

namespace ea::host {

enum class CallbackMode { none, record, end_in_callback };

CallbackMode parse_callback_mode(const std::string& text);  // throws bad_request

// Calls EndAccept and names the accepted socket `accept_as`. Returns the
// outcome; `accepted` receives the socket on success.
Json call_end_accept(Registry& registry, apm::Socket& listener,
                     const std::shared_ptr<apm::AsyncResult>& result,
                     const std::optional<std::string>& accept_as,
                     std::shared_ptr<apm::Socket>* accepted = nullptr);

struct EndInCallback {
  std::string accept_as;
  std::size_t receive = 0;  // bytes to start receiving on the accepted socket
};

// The AsyncCallback for `mode`; empty for CallbackMode::none. The registry is
// held weakly: results own their callbacks and the registry owns the results.
apm::AsyncCallback make_accept_callback(CallbackMode mode, std::shared_ptr<CallbackRecorder> recorder,
                                        std::weak_ptr<Registry> registry, EndInCallback end);

}  // namespace ea::host
