#include "endaccept/host/outcome.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "endaccept/apm/exceptions.hpp"

namespace ea::test {
namespace {

using host::Json;

template <class Exception>
Json outcome_of_throwing(Exception exception) {
  return host::outcome_of([&] { throw exception; });
}

TEST(Outcome, NormalReturnIsReturned) {
  EXPECT_EQ(host::outcome_of([] {}), Json({{"kind", "Returned"}}));
}

TEST(Outcome, EachContractExceptionMapsToItsMostSpecificKind) {
  EXPECT_EQ(outcome_of_throwing(apm::ArgumentNullException("a"))["kind"], "ArgumentNull");
  EXPECT_EQ(outcome_of_throwing(apm::ArgumentException("a"))["kind"], "Argument");
  EXPECT_EQ(outcome_of_throwing(apm::ObjectDisposedException("a"))["kind"], "ObjectDisposed");
  EXPECT_EQ(outcome_of_throwing(apm::InvalidOperationException("a"))["kind"], "InvalidOperation");
  EXPECT_EQ(outcome_of_throwing(apm::NotSupportedException("a"))["kind"], "NotSupported");
}

TEST(Outcome, CarriesTypeAndMessage) {
  const auto outcome = outcome_of_throwing(apm::ArgumentNullException("asyncResult"));
  EXPECT_EQ(outcome["type"], "ea::apm::ArgumentNullException");
  EXPECT_EQ(outcome["message"], "asyncResult");
}

TEST(Outcome, SocketErrorCarriesTheWsaCodeAndName) {
  const auto outcome = outcome_of_throwing(apm::SocketException(10024, "Too many open files"));
  EXPECT_EQ(outcome["kind"], "SocketError");
  EXPECT_EQ(outcome["code"], 10024);
  EXPECT_EQ(outcome["message"], "WSAEMFILE: Too many open files");
}

TEST(Outcome, AnythingElseIsOtherWithItsTypeName) {
  const auto outcome = outcome_of_throwing(std::out_of_range("far"));
  EXPECT_EQ(outcome["kind"], "Other");
  EXPECT_EQ(outcome["type"], "std::out_of_range");

  const auto not_an_exception = host::outcome_of([] { throw 42; });
  EXPECT_EQ(not_an_exception["kind"], "Other");
  EXPECT_TRUE(not_an_exception["type"].is_string());
}

}  // namespace
}  // namespace ea::test
