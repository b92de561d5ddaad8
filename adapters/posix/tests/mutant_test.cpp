// The mutants of the posix implementation: listed, selectable one at a time,
// off by default, and a misspelt EA_MUTANT is refused rather than ignored.
#include "endaccept/posix_impl/mutant.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <set>
#include <vector>
#include <string>

#include "endaccept/contract_kit/helpers.hpp"
#include "endaccept/posix_impl/socket.hpp"


namespace ea::posix_impl::testing {
namespace {

using contract_kit::outcome_of;

std::shared_ptr<apm::Socket> make_listener() { return contract_kit::listening_socket(&Socket::open); }

class Mutants : public ::testing::Test {
 protected:
  void TearDown() override {
    mutant::select(std::nullopt);
    ::unsetenv("EA_MUTANT");
  }
};

// Runs `command` through the shell; returns its exit status and standard output.
std::pair<int, std::string> run(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, output};
  char buffer[256];
  while (std::fgets(buffer, sizeof(buffer), pipe) != nullptr) output += buffer;
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

TEST_F(Mutants, NoneIsActiveByDefault) {
  for (const auto& [name, family] : mutant::names()) EXPECT_FALSE(mutant::active(*mutant::from_name(name))) << name;
}

TEST_F(Mutants, EveryNameIsListedOnceAndSelectsExactlyItsMutant) {
  std::vector<std::string_view> names;
  for (const auto& spelling : mutant::names()) names.push_back(spelling.name);
  EXPECT_GE(names.size(), 22u);
  EXPECT_EQ(std::set<std::string_view>(names.begin(), names.end()).size(), names.size());
  for (const auto name : names) {
    const auto selected = mutant::from_name(name);
    ASSERT_TRUE(selected) << name;
    mutant::select(selected);
    for (const auto other : names) {
      EXPECT_EQ(mutant::active(*mutant::from_name(other)), other == name) << name << " selected, " << other;
    }
  }
  mutant::select(std::nullopt);
  for (const auto name : names) EXPECT_FALSE(mutant::active(*mutant::from_name(name))) << name;
}

TEST_F(Mutants, EnvironmentMustNameAMutant) {
  ::unsetenv("EA_MUTANT");
  EXPECT_TRUE(mutant::environment_valid());
  ::setenv("EA_MUTANT", "", 1);
  EXPECT_TRUE(mutant::environment_valid());
  ::setenv("EA_MUTANT", "end-gives-up", 1);
  EXPECT_TRUE(mutant::environment_valid());
  ::setenv("EA_MUTANT", "no-such-mutant", 1);
  EXPECT_FALSE(mutant::environment_valid());
  EXPECT_FALSE(mutant::from_name("no-such-mutant"));
}

TEST_F(Mutants, AdapterListsEveryMutant) {
  const auto [status, output] = run(std::string("'") + EA_POSIX_ADAPTER + "' --list-mutants");
  ASSERT_EQ(status, 0);
  std::string expected;
  for (const auto& [name, family] : mutant::names()) {
    EXPECT_FALSE(family.empty()) << name;
    expected += std::string(name) + "\t" + std::string(family) + "\n";
  }
  EXPECT_EQ(output, expected);
}

TEST_F(Mutants, AdapterRefusesAnUnknownMutant) {
  const auto [status, output] =
      run(std::string("EA_MUTANT=no-such-mutant '") + EA_POSIX_ADAPTER + "' </dev/null 2>/dev/null");
  EXPECT_EQ(status, 2);
  EXPECT_EQ(output, "");
}

TEST_F(Mutants, AsyncStatePerListenerReplacesTheEarlierState) {
  mutant::select(Mutant::async_state_per_listener);
  const auto listener = make_listener();
  const auto first_state = std::make_shared<int>(1);
  const auto first = listener->begin_accept(nullptr, first_state);
  const auto second = listener->begin_accept(nullptr, std::make_shared<int>(2));
  EXPECT_NE(first->async_state(), first_state);
  EXPECT_EQ(first->async_state(), second->async_state());
  listener->close();
}

TEST_F(Mutants, ClaimBeforeOwnerCheckConsumesTheOwnersResult) {
  mutant::select(Mutant::claim_before_owner_check);
  const auto listener = make_listener();
  const auto other = make_listener();
  const auto result = listener->begin_accept(nullptr, nullptr);
  EXPECT_EQ(outcome_of([&] { other->end_accept(result); }), "Argument");
  EXPECT_EQ(outcome_of([&] { listener->end_accept(result); }), "InvalidOperation");
  listener->close();
  other->close();
}

}  // namespace
}  // namespace ea::posix_impl::testing
