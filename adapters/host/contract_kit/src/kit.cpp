#include "endaccept/contract_kit/kit.hpp"

#include "endaccept/contract_kit/helpers.hpp"
#include "suite_anchors.hpp"

namespace ea::contract_kit {

void PrintTo(const Kind& kind, std::ostream* out) { *out << kind.name; }

void KitTest::SetUp() { unbound()->close(); }

std::shared_ptr<apm::Socket> KitTest::unbound(apm::Family family) const {
  return GetParam().make_socket(family);
}

std::shared_ptr<apm::Socket> KitTest::listener(apm::Family family) const {
  return listening_socket(GetParam().make_socket, family);
}

bool KitTest::ipv6_usable() const { return GetParam().ipv6 && host_has_ipv6_loopback(); }

bool link_every_suite() {
  return anchor::accept_tests + anchor::refusal_tests + anchor::callback_tests + anchor::close_tests +
             anchor::accepted_socket_tests >
         0;
}

}  // namespace ea::contract_kit
