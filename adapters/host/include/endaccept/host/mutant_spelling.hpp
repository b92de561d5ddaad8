// How an implementation that carries mutants names them: the EA_MUTANT
// spelling, and the family of behavior the mistake belongs to (one of
// `mutant_families` in spec/vocabulary.json), which the mutation gate uses
// to report kills per family.
#pragma once

#include <ostream>
#include <span>
#include <string_view>

namespace ea::host {

struct MutantSpelling {
  std::string_view name;
  std::string_view family;
};

// What `--list-mutants` prints: one mutant per line, name and family separated by a tab.
inline void list_mutants(std::span<const MutantSpelling> mutants, std::ostream& out) {
  for (const auto& mutant : mutants) out << mutant.name << '\t' << mutant.family << '\n';
}

}  // namespace ea::host
