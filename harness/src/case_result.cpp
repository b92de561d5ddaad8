#include "case_result.hpp"

#include "untrusted_text.hpp"

namespace ea::harness {

const vocabulary::StatusInfo& info(Status status) { return vocabulary::kStatuses.at(static_cast<std::size_t>(status)); }

std::string to_string(Status status) { return std::string(info(status).name); }

std::optional<Status> parse_status(const std::string& text) {
  for (std::size_t i = 0; i < vocabulary::kStatuses.size(); ++i)
    if (text == vocabulary::kStatuses[i].name) return static_cast<Status>(i);
  return std::nullopt;
}

Json to_json(const StepRecord& record) {
  Json json = {{"index", record.index},
          {"op", record.step.value("op", "")},
          {"step", record.step},
          // What was observed may hold bytes the candidate sent on a socket.
          {"observed", escaped_text(record.observed)},
          {"expected", escaped_text(record.expected)},
          {"elapsed_ms", record.elapsed_ms},
          {"ok", record.ok}};
  if (!record.ok && !record.failure.empty()) json["failure"] = one_line(record.failure);
  if (!record.ran) {
    json["ran"] = false;
    json["not_run_because"] = record.not_run_because;
  }
  return json;
}

Json to_json(const Deviation& deviation) {
  return {{"step", deviation.step ? Json(*deviation.step) : Json()},
          {"status", to_string(deviation.status)},
          {"message", one_line(deviation.message)}};
}

}  // namespace ea::harness
