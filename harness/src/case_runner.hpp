#pragma once
// Runs one case in a fresh adapter process and turns whatever happens —
// a mismatch, a crash, a hang, garbage on the channel — into a status.
#include <cstdint>
#include <optional>

#include "adapter_process.hpp"
#include "adapter_session.hpp"
#include "case_result.hpp"
#include "conformance_case.hpp"
#include "scheduler.hpp"
#include "spare_adapters.hpp"
#include "timing.hpp"

namespace ea::harness {

struct HostFacts {
  bool ipv6 = true;
};

// How far a case runs after something went wrong: on to its end, so that
// every deviation is reported, or no further than the first one. The status
// and message are the first deviation's either way (verdict.hpp).
enum class Observe { every_deviation, first_deviation };

// With a seed, the adapter gets it as EA_JITTER_SEED and the harness spaces its
// steps by pauses drawn from it (exploration.hpp). With `spares` (and no
// seed, which a spare could not have), the case's adapter is a spare that
// was started ahead. With a `head_start`, the case calls its begun() once its
// adapter has answered the first step (scheduler.hpp).
CaseRun run_case(const ConformanceCase& conformance_case, const LaunchSpec& launch, const Timing& timing,
                 const HostFacts& host, Observe observe, std::optional<std::uint64_t> seed = std::nullopt,
                 SpareAdapters* spares = nullptr, HeadStart* head_start = nullptr);

// Starts the adapter once to read its hello (for the report's adapter block).
// Throws the adapter's failure.
AdapterIdentity probe_adapter(const LaunchSpec& launch, const Timing& timing);

}  // namespace ea::harness
