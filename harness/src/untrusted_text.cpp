#include "untrusted_text.hpp"

#include <cstdint>

namespace ea::harness {

namespace {

// The length of the well-formed UTF-8 sequence at `at`, 0 when there is none.
std::size_t utf8_sequence_length(std::string_view bytes, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(bytes[i]); };
  const std::uint8_t lead = byte(at);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  std::uint8_t low = 0x80, high = 0xBF;  // the allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (at + length > bytes.size()) return 0;
  if (byte(at + 1) < low || byte(at + 1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i)
    if (byte(at + i) < 0x80 || byte(at + i) > 0xBF) return 0;
  return length;
}

bool is_continuation(char c) { return (static_cast<std::uint8_t>(c) & 0xC0) == 0x80; }

void append_hex_escape(std::string& out, char c) {
  static constexpr char digits[] = "0123456789abcdef";
  const auto value = static_cast<std::uint8_t>(c);
  out += "\\x";
  out += digits[value >> 4];
  out += digits[value & 0xF];
}

std::string escape(std::string_view bytes, bool keep_line_breaks) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t at = 0; at < bytes.size();) {
    const std::size_t length = utf8_sequence_length(bytes, at);
    const char c = bytes[at];
    const bool control = length == 1 && (static_cast<std::uint8_t>(c) < 0x20 || c == 0x7F);
    const bool kept_control = keep_line_breaks && (c == '\n' || c == '\t');
    if (length == 0 || (control && !kept_control)) {
      append_hex_escape(out, c);
      ++at;
    } else {
      out.append(bytes.substr(at, length));
      at += length;
    }
  }
  return out;
}

}  // namespace

std::optional<std::size_t> first_invalid_utf8(std::string_view bytes) {
  for (std::size_t at = 0; at < bytes.size();) {
    const std::size_t length = utf8_sequence_length(bytes, at);
    if (length == 0) return at;
    at += length;
  }
  return std::nullopt;
}

bool json_nests_deeper_than(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  // Back off over continuation bytes to the lead byte of the cut character,
  // which is then left out; at most 3 steps for well-formed text.
  for (int step = 0; step < 4 && end > 0 && is_continuation(text[end]); ++step) --end;
  return text.substr(0, end);
}

std::string_view utf8_suffix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t start = text.size() - max_bytes;
  for (int step = 0; step < 4 && start < text.size() && is_continuation(text[start]); ++step) ++start;
  return text.substr(start);
}

std::string escaped_text(std::string_view bytes) { return escape(bytes, true); }

std::string one_line(std::string_view bytes, std::size_t max_bytes) {
  const std::string escaped = escape(bytes, false);
  if (escaped.size() <= max_bytes) return escaped;
  return std::string(utf8_prefix(escaped, max_bytes)) + "...";
}

}  // namespace ea::harness
