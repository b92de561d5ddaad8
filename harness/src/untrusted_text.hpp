#pragma once
// Bytes that come from an adapter (reply lines, stderr, messages inside
// replies, bytes read from its sockets) may be anything. These helpers make
// them safe to judge, to print on one progress line and to store in a report
// that must stay valid UTF-8.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ea::harness {

// The offset of the first byte that is not part of well-formed UTF-8
// (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF), if any.
std::optional<std::size_t> first_invalid_utf8(std::string_view bytes);

// Whether the JSON text nests arrays and objects deeper than `limit` (the
// outermost value is depth 1). One pass, no recursion, brackets inside
// strings ignored, so it is safe on any input, well-formed or not.
bool json_nests_deeper_than(std::string_view text, int limit);

// At most `max_bytes` of the start of `text`, never ending inside a UTF-8
// character.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);
// At most `max_bytes` of the end of `text`, never starting inside a UTF-8
// character.
std::string_view utf8_suffix(std::string_view text, std::size_t max_bytes);

// Valid UTF-8 with NUL and every byte that is not UTF-8 written as \xNN;
// line breaks and tabs kept (for a stderr tail).
std::string escaped_text(std::string_view bytes);
// The same on one line: every control character written as \xNN too, so
// candidate text can never start a progress line of its own; then cut to
// `max_bytes` at a character boundary, "..." marking the cut.
std::string one_line(std::string_view bytes, std::size_t max_bytes = 2000);

}  // namespace ea::harness
