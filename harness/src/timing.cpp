#include "timing.hpp"

namespace ea::harness {

Json Timing::to_json() const {
  return {{"scale", scale},
          {"hold_ms", default_hold_ms},
          {"within_ms", default_within_ms},
          {"reply_grace_ms", reply_grace_ms},
          {"case_limit_ms", case_limit_ms},
          {"exit_grace_ms", exit_grace_ms}};
}

}  // namespace ea::harness
