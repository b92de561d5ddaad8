#pragma once
// The line-delimited JSON loop between harness and adapter.
#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

#include "endaccept/host/adapter.hpp"

namespace ea::host {

inline constexpr std::size_t max_line_bytes = 1024 * 1024;

// Answers one request line with one reply line (no newline).
std::string handle_request_line(Adapter& adapter, std::string_view line);

// Serves requests from `in` until EOF, writing and flushing one reply line
// per request. Returns the exit status.
int run_adapter(Adapter& adapter, std::istream& in, std::ostream& out);

// Serves stdin/stdout, then ends the process without unwinding: threads
// still blocked inside the implementation must not keep it alive.
[[noreturn]] void run_adapter_on_stdio(Adapter& adapter);

}  // namespace ea::host
