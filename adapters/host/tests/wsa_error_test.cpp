#include "endaccept/apm/wsa_error.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>

namespace ea::test {
namespace {

TEST(WsaError, MapsTheErrnoValuesOfAcceptAndStreams) {
  EXPECT_EQ(apm::wsa_error_from_errno(EMFILE), 10024);
  EXPECT_EQ(apm::wsa_error_from_errno(ENFILE), 10024);
  EXPECT_EQ(apm::wsa_error_from_errno(ECONNABORTED), 10053);
  EXPECT_EQ(apm::wsa_error_from_errno(ECONNRESET), 10054);
  EXPECT_EQ(apm::wsa_error_from_errno(EBADF), 10009);
  EXPECT_EQ(apm::wsa_error_from_errno(ENOBUFS), 10055);
  EXPECT_EQ(apm::wsa_error_from_errno(ENOMEM), 10055);
  EXPECT_EQ(apm::wsa_error_from_errno(EAGAIN), 10035);
  EXPECT_EQ(apm::wsa_error_from_errno(ECONNREFUSED), 10061);
  EXPECT_EQ(apm::wsa_error_from_errno(EAFNOSUPPORT), 10047);
}

TEST(WsaError, ErrnoWithoutCounterpartIsInvalidArgument) {
  EXPECT_EQ(apm::wsa_error_from_errno(EDOM), 10022);
}

TEST(WsaError, NamesTheCodes) {
  EXPECT_EQ(std::string(apm::wsa_error_name(10024)), "WSAEMFILE");
  EXPECT_EQ(std::string(apm::wsa_error_name(10054)), "WSAECONNRESET");
  EXPECT_EQ(std::string(apm::wsa_error_name(4242)), "WSA_UNKNOWN");
}

}  // namespace
}  // namespace ea::test
