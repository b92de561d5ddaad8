#pragma once
// Payload bytes travel in JSON as Latin-1 text: byte b is code point U+00bb.
#include <string>
#include <string_view>

namespace ea::host {

std::string latin1_to_utf8(std::string_view bytes);

// Throws RequestError (bad_request) for a code point above U+00FF.
std::string utf8_to_latin1(std::string_view text);

}  // namespace ea::host
