#include "adapter_launch.hpp"

#include <cstdlib>

#include "input_error.hpp"
#include "json_file.hpp"

namespace ea::harness {

namespace {

std::string expand(std::string text, const std::filesystem::path& root, const std::filesystem::path& build_dir) {
  for (const auto& [token, value] : {std::pair<std::string, std::string>{"{build}", build_dir.string()},
                                     std::pair<std::string, std::string>{"{root}", root.string()}}) {
    for (auto at = text.find(token); at != std::string::npos; at = text.find(token, at + value.size()))
      text.replace(at, token.size(), value);
  }
  return text;
}

// Variables an adapter may legitimately need from the caller's environment:
// the basics, and the knobs of sanitizers and managed runtimes.
bool passed_through(const std::string& name) {
  for (const char* exact : {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER"})
    if (name == exact) return true;
  for (const char* prefix : {"ASAN_", "TSAN_", "UBSAN_", "LSAN_", "DOTNET_", "MONO_"})
    if (name.rfind(prefix, 0) == 0) return true;
  return false;
}

}  // namespace

extern "C" char** environ;

AdapterDefinition load_adapter_definition(const std::filesystem::path& adapter_dir, const std::filesystem::path& root,
                                          const std::filesystem::path& build_dir, const std::string& mutant) {
  const auto file = adapter_dir / "adapter.json";
  const auto where = file.string();
  const Json document = read_json_file(file);
  if (!document.is_object()) throw InputError(where, "", "must be a JSON object");
  if (!document.contains("name") || !document["name"].is_string()) throw InputError(where, "/name", "missing or not a string");
  if (!document.contains("command") || !document["command"].is_array() || document["command"].empty())
    throw InputError(where, "/command", "must be a non-empty array of strings");

  AdapterDefinition definition;
  definition.name = document["name"];
  for (std::size_t i = 0; i < document["command"].size(); ++i) {
    if (!document["command"][i].is_string()) throw InputError(where, "/command/" + std::to_string(i), "must be a string");
    definition.launch.argv.push_back(expand(document["command"][i], root, build_dir));
  }
  for (char** entry = environ; *entry; ++entry) {
    const std::string text = *entry;
    const auto equals = text.find('=');
    if (equals != std::string::npos && passed_through(text.substr(0, equals)))
      definition.launch.environment[text.substr(0, equals)] = text.substr(equals + 1);
  }
  if (document.contains("env")) {
    if (!document["env"].is_object()) throw InputError(where, "/env", "must be an object of strings");
    for (const auto& [key, value] : document["env"].items()) {
      if (!value.is_string()) throw InputError(where, "/env/" + key, "must be a string");
      definition.launch.environment[key] = expand(value, root, build_dir);
    }
  }
  definition.mutant_env = document.value("mutant_env", "");
  if (!mutant.empty()) {
    if (definition.mutant_env.empty())
      throw InputError(where, "/mutant_env", "this adapter has no mutants (no mutant_env), so --mutant cannot be used");
    definition.launch.environment[definition.mutant_env] = mutant;
  }
  return definition;
}

}  // namespace ea::harness
