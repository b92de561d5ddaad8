#include "endaccept/asio_ref/trace.hpp"

#include <atomic>
#include <mutex>

namespace ea::asio_ref::trace {
namespace {

std::mutex sink_mutex;
apm::TraceSink installed_sink;  // guarded by sink_mutex
std::atomic<bool> tracing{false};

}  // namespace

void set_sink(apm::TraceSink sink) {
  std::lock_guard lock(sink_mutex);
  tracing = static_cast<bool>(sink);
  installed_sink = std::move(sink);
}

bool enabled() noexcept { return tracing; }

void emit(const std::string& line) {
  std::lock_guard lock(sink_mutex);
  if (installed_sink) installed_sink(line);
}

}  // namespace ea::asio_ref::trace
