// An accept that fails with EMFILE reports WSAEMFILE, and the listener
// accepts the same connection once descriptors are available again.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "endaccept/asio_ref/socket.hpp"
#include "endaccept/asio_ref/worker_pool.hpp"
#include "endaccept/contract_kit/helpers.hpp"
#include "endaccept/contract_kit/loopback_client.hpp"

namespace ea::test {
namespace {

using contract_kit::deadline;
using contract_kit::EndAcceptCall;
using contract_kit::LoopbackClient;

// Leaves the process without a free descriptor until destroyed, as the
// harness does with prlimit.
class DescriptorsExhausted {
 public:
  DescriptorsExhausted() {
    ::getrlimit(RLIMIT_NOFILE, &original_);
    int highest = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
      highest = std::max(highest, std::stoi(entry.path().filename().string()));
    }
    rlimit lowered = original_;
    lowered.rlim_cur = static_cast<rlim_t>(highest) + 1;
    ::setrlimit(RLIMIT_NOFILE, &lowered);
    // Fill the gaps below the limit.
    for (int fd; (fd = ::dup(STDERR_FILENO)) >= 0;) fillers_.push_back(fd);
  }

  ~DescriptorsExhausted() {
    for (const int fd : fillers_) ::close(fd);
    ::setrlimit(RLIMIT_NOFILE, &original_);
  }

 private:
  rlimit original_{};
  std::vector<int> fillers_;
};

TEST(SocketError, EmfileIsWsaEmfileAndTheListenerRecovers) {
  asio_ref::WorkerPool::shared();
  const auto listener = contract_kit::listening_socket(&asio_ref::make_socket);
  LoopbackClient client;
  const auto failing = listener->begin_accept({}, nullptr);
  {
    const DescriptorsExhausted exhausted;
    client.connect(listener->local_endpoint());
    const EndAcceptCall end(listener, failing);
    ASSERT_TRUE(end.finished_within(deadline));
    try {
      end.socket();
      FAIL() << "EndAccept returned a socket without a free descriptor";
    } catch (const apm::SocketException& e) {
      EXPECT_EQ(e.error_code(), 10024);
    }
  }

  const auto retry = listener->begin_accept({}, nullptr);
  const EndAcceptCall end(listener, retry);
  ASSERT_TRUE(end.finished_within(deadline));
  EXPECT_EQ(end.socket()->remote_endpoint()->port, client.local_port());
}

}  // namespace
}  // namespace ea::test
