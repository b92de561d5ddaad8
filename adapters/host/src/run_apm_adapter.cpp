#include "endaccept/host/apm_adapter.hpp"
#include "endaccept/host/implementation.hpp"
#include "endaccept/host/protocol_loop.hpp"

namespace ea::host {

int run_apm_adapter(const Implementation& implementation) {
  ApmAdapter adapter(implementation);
  run_adapter_on_stdio(adapter);
}

}  // namespace ea::host
