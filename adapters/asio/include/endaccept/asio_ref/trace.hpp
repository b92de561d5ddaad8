#pragma once
// Network tracing in the manner of System.Net tracing: while a sink is
// installed, the implementation hands it one line per traced event. The
// switch is process-wide, like the .NET one.
#include <string>

#include "endaccept/apm/socket.hpp"

namespace ea::asio_ref::trace {

void set_sink(apm::TraceSink sink);  // an empty sink turns tracing off

bool enabled() noexcept;

void emit(const std::string& line);

}  // namespace ea::asio_ref::trace
