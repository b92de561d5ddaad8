#include "schema_validator.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <pthread.h>

#include <exception>
#include <functional>

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

// valijson matches "pattern" with std::regex, which recurses about once per
// character of the string (a few hundred bytes of stack each): a 30 000
// character title overflowed the 8 MiB main stack. The reader bounds strings
// (kMaxInputStringBytes); this stack holds the deepest match of that bound
// with a wide margin, and costs only the pages a validation touches.
constexpr std::size_t kValidationStackBytes = 512u << 20;

void on_large_stack(const std::function<void()>& work) {
  struct Job {
    const std::function<void()>* work;
    std::exception_ptr failure;
  } job{&work, nullptr};
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, kValidationStackBytes);
  pthread_t thread;
  const auto body = [](void* argument) -> void* {
    auto* running = static_cast<Job*>(argument);
    try {
      (*running->work)();
    } catch (...) {
      running->failure = std::current_exception();
    }
    return nullptr;
  };
  const int started = pthread_create(&thread, &attributes, body, &job);
  pthread_attr_destroy(&attributes);
  if (started != 0) {
    work();  // no thread to be had: the bounded strings still fit most stacks
    return;
  }
  pthread_join(thread, nullptr);
  if (job.failure) std::rethrow_exception(job.failure);
}

}  // namespace

void SchemaValidator::validate(const Json& document, const std::string& file) const {
  valijson::ValidationResults results;
  bool valid = false;
  on_large_stack([&] {
    valijson::Validator validator;
    valijson::adapters::NlohmannJsonAdapter adapter(document);
    valid = validator.validate(compiled_->schema, adapter, &results);
  });
  if (valid) return;

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
