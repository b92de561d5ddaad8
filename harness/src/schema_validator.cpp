#include "schema_validator.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "input_error.hpp"

namespace ea::harness {

struct SchemaValidator::Compiled {
  valijson::Schema schema;
};

SchemaValidator::SchemaValidator(const std::filesystem::path& schema_file)
    : SchemaValidator(read_json_file(schema_file), schema_file.string()) {}

SchemaValidator::SchemaValidator(const Json& schema, const std::string& name) : compiled_(std::make_unique<Compiled>()) {
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter adapter(schema);
  try {
    parser.populateSchema(adapter, compiled_->schema);
  } catch (const std::exception& e) {
    throw InputError(name, "", std::string("not a usable JSON Schema: ") + e.what());
  }
}

SchemaValidator::~SchemaValidator() = default;

namespace {

// valijson names each level "[key]" or "[index]" under "<root>".
std::string pointer_from_context(const std::vector<std::string>& context) {
  std::string pointer;
  for (const auto& level : context) {
    if (level == "<root>") continue;
    std::string token = level;
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']') token = token.substr(1, token.size() - 2);
    std::string escaped;
    for (char c : token) {
      if (c == '~') escaped += "~0";
      else if (c == '/') escaped += "~1";
      else escaped += c;
    }
    pointer += "/" + escaped;
  }
  return pointer;
}

}  // namespace

void SchemaValidator::validate(const Json& document, const std::string& file) const {
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter adapter(document);
  if (validator.validate(compiled_->schema, adapter, &results)) return;

  // Combinators (allOf, if/then, oneOf) report at every level they pass
  // through; the deepest error is the one that names the actual mistake.
  valijson::ValidationResults::Error error;
  valijson::ValidationResults::Error deepest;
  while (results.popError(error)) {
    if (error.context.size() > deepest.context.size()) deepest = error;
  }
  throw InputError(file, pointer_from_context(deepest.context), deepest.description);
}

}  // namespace ea::harness
