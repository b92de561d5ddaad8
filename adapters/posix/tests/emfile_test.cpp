// EndAccept when the process has run out of descriptors, as the harness
// arranges it: a connection waits in the queue while RLIMIT_NOFILE is lowered.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "endaccept/contract_kit/helpers.hpp"
#include "endaccept/contract_kit/loopback_client.hpp"
#include "endaccept/posix_impl/socket.hpp"
#include "endaccept/posix_impl/unique_fd.hpp"

namespace ea::posix_impl::testing {
namespace {

using contract_kit::outcome_of;

// The lowest free descriptor number: every number below it is in use, so a
// limit equal to it leaves no descriptor to allocate.
int lowest_free_descriptor() {
  UniqueFd probe(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  return probe.get();
}

// Runs in a child process (the limit is process-wide); exits 0 on success.
void accept_with_descriptors_exhausted_then_restored() {
  auto fail = [](const std::string& why) {
    std::fprintf(stderr, "%s\n", why.c_str());
    std::exit(1);
  };
  auto listener = contract_kit::listening_socket(&Socket::open);
  contract_kit::LoopbackClient client(listener->local_endpoint());

  rlimit original{};
  ::getrlimit(RLIMIT_NOFILE, &original);
  rlimit lowered = original;
  lowered.rlim_cur = static_cast<rlim_t>(lowest_free_descriptor());
  if (::setrlimit(RLIMIT_NOFILE, &lowered) != 0) fail("setrlimit failed");

  auto exhausted = listener->begin_accept(nullptr, nullptr);
  const auto outcome = outcome_of([&] { listener->end_accept(exhausted); });
  ::setrlimit(RLIMIT_NOFILE, &original);
  if (outcome != "SocketError:10024") fail("with descriptors exhausted: " + outcome);

  // The connection stayed queued, and the next accept takes it.
  auto restored = listener->begin_accept(nullptr, nullptr);
  if (!restored->wait(contract_kit::deadline)) fail("the next accept did not complete");
  auto accepted = listener->end_accept(restored);
  if (accepted->remote_endpoint()->port != client.local_port()) {
    fail("the next accept did not take the queued connection");
  }
  listener->close();
  std::exit(0);
}

TEST(DescriptorLimit, ExhaustedLimitIsSocketError10024AndLaterAcceptsWork) {
#ifdef EA_UBSAN_VPTR_CHECK
  GTEST_SKIP() << "UBSan's vptr check probes memory through a pipe, which cannot be "
                  "created with the descriptor table full; build with -fno-sanitize=vptr";
#endif
  // "threadsafe" re-runs the test binary for the child, so the child starts
  // with no thread but its own.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(accept_with_descriptors_exhausted_then_restored(), ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace ea::posix_impl::testing
