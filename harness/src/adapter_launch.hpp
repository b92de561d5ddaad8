#pragma once
// Reads adapters/<name>/adapter.json into the command and environment the
// harness starts the adapter with.
#include <filesystem>
#include <string>

#include "adapter_process.hpp"

namespace ea::harness {

struct AdapterDefinition {
  std::string name;
  LaunchSpec launch;
  std::string mutant_env;
};

// Throws InputError for a malformed adapter.json.
AdapterDefinition load_adapter_definition(const std::filesystem::path& adapter_dir, const std::filesystem::path& root,
                                          const std::filesystem::path& build_dir, const std::string& mutant);

}  // namespace ea::harness
