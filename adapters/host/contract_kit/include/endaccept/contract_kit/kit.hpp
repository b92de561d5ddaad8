#pragma once
// The contract test kit: GoogleTest tests of the ea::apm accept contract that
// hold for every implementation, written once and run against each kind of
// implementation a test binary registers with ENDACCEPT_CONTRACT_KIT.
#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "endaccept/apm/socket.hpp"

namespace ea::contract_kit {

// One implementation under test, in the style of gVisor's socket pair kinds.
// The flags say what the implementation claims; a test that needs a missing
// capability is skipped and says so, instead of being deleted.
// How a receive that blocks when its own socket is closed ends. The
// contract leaves it open, but each implementation must be consistent.
enum class ReceiveWokenByClose {
  end_of_stream,    // returns "", as if the peer had closed
  object_disposed,  // throws ObjectDisposedException
};

struct Kind {
  // Ends every test name ("Contract/Accept.WorksOnIpv6Loopback/posix"):
  // letters, digits and '_' only.
  std::string name;
  // A new, unbound TCP socket of the family; the same shape as
  // host::Implementation::make_socket, so an adapter's factory fits.
  apm::SocketFactory make_socket;
  // Listens and accepts on ::1. Tests that need it are skipped where the
  // host itself has no IPv6 loopback.
  bool ipv6 = true;
  ReceiveWokenByClose receive_woken_by_close = ReceiveWokenByClose::end_of_stream;
  // Close completes a pending accept before it wakes the EndAccept blocked
  // on it, so the woken call sees its result completed. Without this, the
  // result must still complete by the deadline.
  bool close_completes_before_waking_end_accept = true;
};

void PrintTo(const Kind& kind, std::ostream* out);

struct NameOfKind {
  std::string operator()(const ::testing::TestParamInfo<Kind>& info) const { return info.param.name; }
};

class KitTest : public ::testing::TestWithParam<Kind> {
 protected:
  // Makes and closes one socket first, so that whatever an implementation
  // starts lazily (a worker pool, a reactor's descriptors) exists before a
  // test takes its descriptor or thread baseline.
  void SetUp() override;

  std::shared_ptr<apm::Socket> unbound(apm::Family family = apm::Family::ipv4) const;
  // Listening on the family's loopback address with a backlog of 16.
  std::shared_ptr<apm::Socket> listener(apm::Family family = apm::Family::ipv4) const;
  bool ipv6_usable() const;
};

// One fixture per concern; ENDACCEPT_CONTRACT_KIT instantiates each.
class Accept : public KitTest {};
class EndAcceptChecks : public KitTest {};
class BeginAccept : public KitTest {};
class Callback : public KitTest {};
class Close : public KitTest {};
class AcceptedSocket : public KitTest {};
class BeginConnect : public KitTest {};

// Referenced by ENDACCEPT_CONTRACT_KIT so that the linker keeps the kit's
// test objects, which nothing else in a test binary refers to.
bool link_every_suite();

}  // namespace ea::contract_kit

// Runs the kit against the kinds given, e.g.
//   ENDACCEPT_CONTRACT_KIT(ea::contract_kit::Kind{.name = "mine", .make_socket = &Mine::open});
// Use it once per test binary, at global scope, listing every kind there.
#define ENDACCEPT_CONTRACT_KIT(...)                                                                  \
  namespace ea::contract_kit {                                                                       \
  static std::vector<Kind> registered_kinds() { return {__VA_ARGS__}; }                              \
  INSTANTIATE_TEST_SUITE_P(Contract, Accept, ::testing::ValuesIn(registered_kinds()), NameOfKind{});  \
  INSTANTIATE_TEST_SUITE_P(Contract, EndAcceptChecks, ::testing::ValuesIn(registered_kinds()),        \
                           NameOfKind{});                                                            \
  INSTANTIATE_TEST_SUITE_P(Contract, BeginAccept, ::testing::ValuesIn(registered_kinds()),            \
                           NameOfKind{});                                                            \
  INSTANTIATE_TEST_SUITE_P(Contract, Callback, ::testing::ValuesIn(registered_kinds()), NameOfKind{}); \
  INSTANTIATE_TEST_SUITE_P(Contract, Close, ::testing::ValuesIn(registered_kinds()), NameOfKind{});    \
  INSTANTIATE_TEST_SUITE_P(Contract, AcceptedSocket, ::testing::ValuesIn(registered_kinds()),         \
                           NameOfKind{});                                                            \
  INSTANTIATE_TEST_SUITE_P(Contract, BeginConnect, ::testing::ValuesIn(registered_kinds()),           \
                           NameOfKind{});                                                            \
  [[maybe_unused]] static const bool every_suite_linked = link_every_suite();                        \
  }                                                                                                  \
  static_assert(true, "ENDACCEPT_CONTRACT_KIT is used with a trailing semicolon")
