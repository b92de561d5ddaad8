#include "line_reader.hpp"

#include <istream>
#include <string>

namespace ea::host {

std::optional<Line> LineReader::next() {
  using traits = std::istream::traits_type;
  std::streambuf* buffer = in_.rdbuf();
  Line line;
  bool read_any = false;
  for (;;) {
    const auto c = buffer->sbumpc();
    if (traits::eq_int_type(c, traits::eof())) {
      if (!read_any) return std::nullopt;
      break;
    }
    read_any = true;
    if (traits::to_char_type(c) == '\n') break;
    if (line.text.size() < max_bytes_) {
      line.text.push_back(traits::to_char_type(c));
    } else {
      line.too_long = true;
    }
  }
  if (!line.too_long && !line.text.empty() && line.text.back() == '\r') line.text.pop_back();
  return line;
}

}  // namespace ea::host
