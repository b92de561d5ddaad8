#pragma once
// The one reader of adapter.json: expands {build}, {root} and {adapter_dir},
// resolves relative paths against the directory that holds the file, and
// says whether the adapter can run here. The Python driver asks it through
// the runner's --describe-adapter instead of reading the file itself.
#include <filesystem>
#include <string>
#include <vector>

#include "adapter_process.hpp"
#include "json_file.hpp"

namespace ea::harness {

struct AdapterDefinition {
  std::string name;
  std::string description;
  std::filesystem::path file;       // the adapter.json, absolute
  std::filesystem::path directory;  // the directory holding it: {adapter_dir}
  LaunchSpec launch;
  Json declared_env = Json::object();  // adapter.json's "env", expanded
  std::vector<std::filesystem::path> required_files;
  std::vector<std::string> required_programs;
  // How to get a required file that is not there (adapter.json /requires/hint).
  std::string build_hint;
  std::string mutant_env;
};

// One thing that stops an adapter from running here, with the JSON pointer
// into adapter.json it comes from.
struct Unavailability {
  std::string pointer;
  std::string reason;
};

// `location`: a directory holding adapter.json, or the adapter.json itself.
// Throws InputError for a malformed or missing adapter.json.
AdapterDefinition load_adapter_definition(const std::filesystem::path& location, const std::filesystem::path& root,
                                          const std::filesystem::path& build_dir, const std::string& mutant);

// Empty when the adapter can run: every required file exists, every required
// program is on PATH, and the command itself exists.
std::vector<Unavailability> unavailability(const AdapterDefinition& definition);

// Throws InputError naming adapter.json and every reason when the adapter
// cannot run: one error up front instead of one CRASH per case.
void require_available(const AdapterDefinition& definition);

// What --describe-adapter prints: the definition as resolved, and why it
// cannot run ("missing", empty when it can).
Json describe(const AdapterDefinition& definition);

}  // namespace ea::harness
