#pragma once
// Typed access to a request's arguments; anything malformed is bad_request.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "endaccept/host/adapter.hpp"

namespace ea::host {

class Args {
 public:
  explicit Args(const Json& args) : args_(args) {}

  // Null when absent.
  const Json& value(const char* key) const;

  std::string name(const char* key) const;
  std::optional<std::string> optional_name(const char* key) const;  // absent or null: empty
  std::string text(const char* key) const;
  std::string text_or(const char* key, const std::string& fallback) const;
  std::int64_t count(const char* key) const;  // a non-negative integer
  std::int64_t count_or(const char* key, std::int64_t fallback) const;
  std::chrono::milliseconds timeout(const char* key = "timeout_ms") const;
  bool flag(const char* key) const;

 private:
  const Json& args_;
};

}  // namespace ea::host
