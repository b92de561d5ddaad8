#include "json_file.hpp"

#include <fstream>
#include <sstream>
#include <system_error>
#include <unistd.h>

#include "input_error.hpp"

namespace ea::harness {

Json read_json_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "", "cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  try {
    return Json::parse(text.str());
  } catch (const Json::parse_error& e) {
    // nlohmann reports a byte offset; a line number is what an editor needs.
    const std::string s = text.str();
    const auto offset = std::min<std::size_t>(e.byte, s.size());
    const auto line = 1 + std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
    throw InputError(path.string(), "", "malformed JSON near line " + std::to_string(line));
  } catch (const Json::exception& e) {
    // Well-formed text nlohmann cannot represent, e.g. the number 1e400.
    throw InputError(path.string(), "", std::string("unusable JSON: ") + e.what());
  }
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
