#include "names.hpp"

namespace ea::host {
namespace {

bool is_letter(char c) noexcept { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

}  // namespace

bool is_valid_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 32 || !is_letter(name.front())) return false;
  for (const char c : name.substr(1)) {
    if (!is_letter(c) && !is_digit(c) && c != '_' && c != '-') return false;
  }
  return true;
}

}  // namespace ea::host
