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

enum class CallbackMode { none, record, end_in_callback, begin_again, close_listener };

CallbackMode parse_callback_mode(const std::string& text);  // throws bad_request

// Calls EndAccept and names the accepted socket `accept_as`. Returns the
// outcome; `accepted` receives the socket on success.
Json call_end_accept(Registry& registry, apm::Socket& listener,
                     const std::shared_ptr<apm::AsyncResult>& result,
                     const std::optional<std::string>& accept_as,
                     std::shared_ptr<apm::Socket>* accepted = nullptr);

// What a callback does besides recording (begin_accept's arguments).
struct CallbackPlan {
  std::optional<std::string> accept_as;  // name of the socket EndAccept returns
  std::size_t receive = 0;               // end_in_callback: bytes to start receiving
  std::string next_result;               // begin_again: name of the nested BeginAccept's result
};

// The AsyncCallback for `mode`; empty for CallbackMode::none. The registry is
// held weakly: results own their callbacks and the registry owns the results.
// The callback never holds the AsyncState: it reads it from the result.
apm::AsyncCallback make_accept_callback(CallbackMode mode, std::shared_ptr<CallbackRecorder> recorder,
                                        std::weak_ptr<Registry> registry, CallbackPlan plan);

// BeginAccept(callback of `mode`, state) on `socket` under a fresh recorder;
// on success the result and its recorder are named `result_name`. Returns
// the outcome of BeginAccept.
Json start_accept(const std::shared_ptr<Registry>& registry, apm::Socket& socket, const apm::State& state,
                  CallbackMode mode, const CallbackPlan& plan, const std::string& result_name);

}  // namespace ea::host
