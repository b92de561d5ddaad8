#include "json_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <system_error>
#include <vector>

#include "input_error.hpp"
#include "untrusted_text.hpp"

namespace ea::harness {

namespace {

std::string pointer_token(const std::string& name) {
  std::string token;
  for (char c : name) token += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
  return token;
}

// Where the parser is, as a JSON pointer, and the member names seen in each
// open object: nlohmann's DOM parser keeps the last of two equal names, which
// once turned a MUST case into an INFO one without a word.
class Position {
 public:
  // Called before every value; an array's element gets the next index.
  void begin_value() {
    if (!frames_.empty() && !frames_.back().is_object) frames_.back().token = std::to_string(frames_.back().next++);
  }
  void open(bool is_object) {
    begin_value();
    frames_.push_back({is_object, 0, "", {}});
  }
  void close() {
    if (!frames_.empty()) frames_.pop_back();
  }
  // False when the open object already has a member of this name.
  bool key(const std::string& name) {
    if (frames_.empty() || !frames_.back().is_object) return true;
    frames_.back().token = pointer_token(name);
    return frames_.back().names.insert(name).second;
  }
  std::string pointer() const {
    std::string pointer;
    for (const auto& frame : frames_) pointer += "/" + frame.token;
    return pointer;
  }

 private:
  struct Frame {
    bool is_object;
    std::size_t next;
    std::string token;
    std::set<std::string> names;
  };
  std::vector<Frame> frames_;
};

std::size_t line_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

}  // namespace

Json parse_json_text(std::string_view text, const std::string& where) {
  // Checked in this order, each before anything deeper looks at the text.
  if (text.size() > kMaxInputFileBytes)
    throw InputError(where, "", "larger than " + std::to_string(kMaxInputFileBytes >> 20) + " MiB");
  if (text.starts_with("\xEF\xBB\xBF"))
    throw InputError(where, "", "starts with a UTF-8 byte order mark; save the file as UTF-8 without one");
  if (const auto bad = first_invalid_utf8(text))
    throw InputError(where, "", "not UTF-8 text (byte " + std::to_string(*bad) + ", line " +
                                    std::to_string(line_of(text, *bad)) + ")");
  if (json_nests_deeper_than(text, kMaxInputNesting))
    throw InputError(where, "", "arrays and objects nest deeper than " + std::to_string(kMaxInputNesting));

  Position position;
  std::optional<std::pair<std::string, std::string>> mistake;  // pointer, reason
  const Json::parser_callback_t check = [&](int, Json::parse_event_t event, Json& parsed) {
    if (mistake) return true;
    switch (event) {
      case Json::parse_event_t::object_start: position.open(true); break;
      case Json::parse_event_t::array_start: position.open(false); break;
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end: position.close(); break;
      case Json::parse_event_t::key: {
        const std::string& name = parsed.get_ref<const std::string&>();
        const bool first = position.key(name);
        if (!first) mistake = {position.pointer(), "the member name \"" + one_line(name, 200) + "\" appears twice in one object"};
        else if (name.size() > kMaxInputStringBytes)
          mistake = {position.pointer(), "a member name longer than " + std::to_string(kMaxInputStringBytes) + " bytes"};
        break;
      }
      case Json::parse_event_t::value:
        position.begin_value();
        if (parsed.is_string() && parsed.get_ref<const std::string&>().size() > kMaxInputStringBytes)
          mistake = {position.pointer(), "a string longer than " + std::to_string(kMaxInputStringBytes) + " bytes"};
        break;
    }
    return true;
  };
  Json document;
  try {
    // Strict: text after the value is an error, not ignored.
    document = Json::parse(text.begin(), text.end(), check, true, false);
  } catch (const Json::parse_error& e) {
    // nlohmann reports a byte offset; a line number is what an editor needs.
    const std::string what = e.what();
    const bool trailing = what.find("; expected end of input") != std::string::npos;
    throw InputError(where, "", std::string(trailing ? "text after the JSON value" : "malformed JSON") +
                                    " near line " + std::to_string(line_of(text, e.byte ? e.byte - 1 : 0)));
  } catch (const Json::exception& e) {
    // Well-formed text nlohmann cannot represent, e.g. the number 1e400.
    throw InputError(where, "", std::string("unusable JSON: ") + e.what());
  }
  if (mistake) throw InputError(where, mistake->first, mistake->second);
  return document;
}

Json read_json_file(const std::filesystem::path& path) {
  const std::string where = path.string();
  // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    throw InputError(where, "", errno == ENOENT ? std::string("no such file")
                                                : std::string("cannot be read: ") + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) throw InputError(where, "", std::string("cannot be read: ") + std::strerror(errno));
  if (!S_ISREG(info.st_mode))
    throw InputError(where, "", S_ISDIR(info.st_mode)    ? "a directory, not a JSON file"
                                : S_ISFIFO(info.st_mode) ? "a FIFO, not a regular file"
                                                         : "not a regular file (a device or socket)");
  if (static_cast<std::uintmax_t>(info.st_size) > kMaxInputFileBytes)
    throw InputError(where, "", "larger than " + std::to_string(kMaxInputFileBytes >> 20) + " MiB");
  std::string text;
  text.resize(static_cast<std::size_t>(info.st_size));
  std::size_t used = 0;
  // A file that grows while it is read is cut at the bound, and then refused.
  char chunk[65536];
  while (true) {
    const ssize_t got = ::read(fd, chunk, sizeof chunk);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw InputError(where, "", std::string("cannot be read: ") + std::strerror(errno));
    }
    if (got == 0) break;
    if (used + static_cast<std::size_t>(got) > kMaxInputFileBytes)
      throw InputError(where, "", "larger than " + std::to_string(kMaxInputFileBytes >> 20) + " MiB");
    if (used + static_cast<std::size_t>(got) > text.size()) text.resize(used + static_cast<std::size_t>(got));
    std::copy(chunk, chunk + got, text.begin() + static_cast<std::ptrdiff_t>(used));
    used += static_cast<std::size_t>(got);
  }
  text.resize(used);
  return parse_json_text(text, where);
}

void write_json_file_atomically(const std::filesystem::path& path, const Json& value) {
  // A bare file name ("--report r.json") has no parent to create.
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  const auto temp = path.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    // Reports carry candidate text; a byte that slipped through unescaped
    // must not make the whole report unreadable.
    out << value.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
    out.flush();
    if (!out) {
      std::filesystem::remove(temp);
      throw std::runtime_error("cannot write " + temp);
    }
  }
  std::filesystem::rename(temp, path);
}

}  // namespace ea::harness
