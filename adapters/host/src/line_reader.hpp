#pragma once
// Reads request lines without ever holding more than the protocol's limit,
// so a runaway line cannot exhaust memory and the stream stays in sync.
#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>

namespace ea::host {

struct Line {
  std::string text;  // at most the limit; the rest of a longer line is dropped
  bool too_long = false;
};

class LineReader {
 public:
  LineReader(std::istream& in, std::size_t max_bytes) : in_(in), max_bytes_(max_bytes) {}

  // Empty at end of input.
  std::optional<Line> next();

 private:
  std::istream& in_;
  std::size_t max_bytes_;
};

}  // namespace ea::host
