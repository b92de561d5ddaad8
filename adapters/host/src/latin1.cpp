#include "latin1.hpp"

#include "endaccept/host/request_error.hpp"

namespace ea::host {

std::string latin1_to_utf8(std::string_view bytes) {
  std::string text;
  text.reserve(bytes.size());
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      text.push_back(c);
    } else {
      text.push_back(static_cast<char>(0xC0 | (byte >> 6)));
      text.push_back(static_cast<char>(0x80 | (byte & 0x3F)));
    }
  }
  return text;
}

std::string utf8_to_latin1(std::string_view text) {
  std::string bytes;
  bytes.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      bytes.push_back(text[i]);
    } else if ((lead == 0xC2 || lead == 0xC3) && i + 1 < text.size()) {
      const auto trail = static_cast<unsigned char>(text[++i]);
      bytes.push_back(static_cast<char>(((lead & 0x03) << 6) | (trail & 0x3F)));
    } else {
      throw RequestError(ErrorCode::bad_request, "data holds a character above U+00FF");
    }
  }
  return bytes;
}

}  // namespace ea::host
