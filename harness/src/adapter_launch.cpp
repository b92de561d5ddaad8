#include "adapter_launch.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <sstream>

#include "input_error.hpp"
#include "vocabulary.hpp"

namespace ea::harness {

namespace {

namespace fs = std::filesystem;

struct Tokens {
  fs::path root, build_dir, adapter_dir;

  std::string expand(std::string text) const {
    for (const auto& [token, value] : {std::pair<std::string, std::string>{"{build}", build_dir.string()},
                                       std::pair<std::string, std::string>{"{root}", root.string()},
                                       std::pair<std::string, std::string>{"{adapter_dir}", adapter_dir.string()}}) {
      for (auto at = text.find(token); at != std::string::npos; at = text.find(token, at + value.size()))
        text.replace(at, token.size(), value);
    }
    return text;
  }

  // A relative path means "next to adapter.json", not "wherever the runner
  // happens to be started": adapters live in their own repositories.
  fs::path path(const std::string& text) const {
    const fs::path expanded = expand(text);
    return (expanded.is_absolute() ? expanded : adapter_dir / expanded).lexically_normal();
  }
};

// Variables an adapter may legitimately need from the caller's environment:
// the basics, and the knobs of sanitizers and managed runtimes.
bool passed_through(const std::string& name) {
  for (const char* exact : {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER"})
    if (name == exact) return true;
  for (const char* prefix : {"ASAN_", "TSAN_", "UBSAN_", "LSAN_", "DOTNET_", "MONO_"})
    if (name.rfind(prefix, 0) == 0) return true;
  return false;
}

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream directories(path ? path : "");
  for (std::string directory; std::getline(directories, directory, ':');) {
    const fs::path candidate = fs::path(directory.empty() ? "." : directory) / program;
    if (::access(candidate.c_str(), X_OK) == 0 && !fs::is_directory(candidate)) return true;
  }
  return false;
}

std::vector<std::string> string_array(const std::string& where, const std::string& pointer, const Json& value) {
  if (!value.is_array()) throw InputError(where, pointer, "must be an array of strings");
  std::vector<std::string> strings;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_string()) throw InputError(where, pointer + "/" + std::to_string(i), "must be a string");
    strings.push_back(value[i]);
  }
  return strings;
}

}  // namespace

extern "C" char** environ;

AdapterDefinition load_adapter_definition(const fs::path& location, const fs::path& root, const fs::path& build_dir,
                                          const std::string& mutant) {
  AdapterDefinition definition;
  const fs::path absolute = fs::absolute(location).lexically_normal();
  definition.file = fs::is_regular_file(absolute) ? absolute : absolute / "adapter.json";
  definition.directory = definition.file.parent_path();
  const std::string where = definition.file.string();
  if (!fs::exists(definition.file))
    throw InputError(where, "", "no such file (an adapter is a directory holding adapter.json, or that file)");
  const Tokens tokens{fs::absolute(root).lexically_normal(), fs::absolute(build_dir).lexically_normal(),
                      definition.directory};

  const Json document = read_json_file(definition.file);
  if (!document.is_object()) throw InputError(where, "", "must be a JSON object");
  if (!document.contains("name") || !document["name"].is_string()) throw InputError(where, "/name", "missing or not a string");
  definition.name = document["name"];
  if (!std::regex_match(definition.name, std::regex(std::string(vocabulary::kPattern_adapter_name))))
    throw InputError(where, "/name", "'" + definition.name + "' is not an adapter name (lower case letters, digits, "
                     "'.', '_' and '-', at most 64; pattern " + std::string(vocabulary::kPattern_adapter_name) + ")");
  definition.description = document.value("description", "");
  if (!document.contains("command") || !document["command"].is_array() || document["command"].empty())
    throw InputError(where, "/command", "must be a non-empty array of strings");

  const auto command = string_array(where, "/command", document["command"]);
  for (std::size_t i = 0; i < command.size(); ++i) {
    // The program resolves against the adapter's directory when it names a
    // path; a bare name ("python3", "dotnet") is looked up on PATH. Later
    // words are paths only when they say so ("./", "../").
    const std::string& word = command[i];
    const bool is_path = i == 0 ? word.find('/') != std::string::npos : word.rfind("./", 0) == 0 || word.rfind("../", 0) == 0;
    definition.launch.argv.push_back(is_path ? tokens.path(word).string() : tokens.expand(word));
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
      definition.launch.environment[key] = tokens.expand(value);
      definition.declared_env[key] = tokens.expand(value);
    }
  }
  if (document.contains("requires")) {
    const Json& requires_block = document["requires"];
    if (!requires_block.is_object()) throw InputError(where, "/requires", "must be an object");
    if (requires_block.contains("files"))
      for (const auto& file : string_array(where, "/requires/files", requires_block["files"]))
        definition.required_files.push_back(tokens.path(file));
    if (requires_block.contains("programs"))
      definition.required_programs = string_array(where, "/requires/programs", requires_block["programs"]);
    if (requires_block.contains("hint")) {
      if (!requires_block["hint"].is_string()) throw InputError(where, "/requires/hint", "must be a string");
      definition.build_hint = requires_block["hint"];
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

std::vector<Unavailability> unavailability(const AdapterDefinition& definition) {
  std::vector<Unavailability> missing;
  for (std::size_t i = 0; i < definition.required_programs.size(); ++i)
    if (!on_path(definition.required_programs[i]))
      missing.push_back({"/requires/programs/" + std::to_string(i),
                         "program '" + definition.required_programs[i] + "' is not on PATH"});
  for (std::size_t i = 0; i < definition.required_files.size(); ++i)
    if (!fs::exists(definition.required_files[i]))
      missing.push_back({"/requires/files/" + std::to_string(i),
                         definition.required_files[i].string() + " has not been built" +
                             (definition.build_hint.empty() ? "" : " (" + definition.build_hint + ")")});
  // Said once, here, rather than by every case as a CRASH of a process that
  // could not start; not twice when the command is also a required file or program.
  const std::string& program = definition.launch.argv.front();
  const bool required = std::find(definition.required_files.begin(), definition.required_files.end(),
                                  fs::path(program)) != definition.required_files.end() ||
                        std::find(definition.required_programs.begin(), definition.required_programs.end(),
                                  program) != definition.required_programs.end();
  if (!required) {
    if (program.find('/') == std::string::npos) {
      if (!on_path(program)) missing.push_back({"/command/0", "program '" + program + "' is not on PATH"});
    } else if (!fs::exists(program)) {
      missing.push_back({"/command/0", program + " does not exist"});
    } else if (fs::is_directory(program) || ::access(program.c_str(), X_OK) != 0) {
      missing.push_back({"/command/0", program + " is not an executable file"});
    }
  }
  return missing;
}

void require_available(const AdapterDefinition& definition) {
  const auto missing = unavailability(definition);
  if (missing.empty()) return;
  std::string reasons;
  for (const auto& entry : missing) reasons += (reasons.empty() ? "" : "; ") + entry.reason;
  throw InputError(definition.file.string(), missing.front().pointer,
                   "adapter '" + definition.name + "' cannot run here: " + reasons);
}

Json describe(const AdapterDefinition& definition) {
  Json missing = Json::array();
  for (const auto& entry : unavailability(definition)) missing.push_back(entry.reason);
  Json files = Json::array();
  for (const auto& file : definition.required_files) files.push_back(file.string());
  return {{"name", definition.name},
          {"description", definition.description},
          {"file", definition.file.string()},
          {"directory", definition.directory.string()},
          {"command", definition.launch.argv},
          {"env", definition.declared_env},
          {"required_files", files},
          {"required_programs", definition.required_programs},
          {"mutant_env", definition.mutant_env},
          {"expectations", (definition.directory / "expectations.json").string()},
          {"missing", missing}};
}

}  // namespace ea::harness
