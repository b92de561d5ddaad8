#pragma once
// JSON Schema (draft 7) validation with valijson, reporting the most specific
// violation as a JSON pointer.
#include <filesystem>
#include <memory>

#include "json_file.hpp"

namespace ea::harness {

class SchemaValidator {
 public:
  explicit SchemaValidator(const std::filesystem::path& schema_file);
  // `name` says where the schema came from, for an unusable one.
  SchemaValidator(const Json& schema, const std::string& name);
  ~SchemaValidator();
  SchemaValidator(const SchemaValidator&) = delete;
  SchemaValidator& operator=(const SchemaValidator&) = delete;

  // Throws InputError(file, pointer, reason) for the first violation.
  void validate(const Json& document, const std::string& file) const;

 private:
  struct Compiled;
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace ea::harness
