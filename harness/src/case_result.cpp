#include "case_result.hpp"

namespace ea::harness {

const char* to_string(Status status) {
  switch (status) {
    case Status::pass: return "PASS";
    case Status::fail: return "FAIL";
    case Status::timeout: return "TIMEOUT";
    case Status::crash: return "CRASH";
    case Status::error: return "ERROR";
    case Status::skip: return "SKIP";
  }
  return "?";
}

std::optional<Status> parse_status(const std::string& text) {
  for (Status s : {Status::pass, Status::fail, Status::timeout, Status::crash, Status::error, Status::skip})
    if (text == to_string(s)) return s;
  return std::nullopt;
}

Json to_json(const StepRecord& record) {
  return {{"index", record.index},
          {"op", record.step.value("op", "")},
          {"step", record.step},
          {"observed", record.observed},
          {"expected", record.expected},
          {"elapsed_ms", record.elapsed_ms},
          {"ok", record.ok}};
}

}  // namespace ea::harness
