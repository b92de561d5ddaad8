#include "step_table.hpp"

#include <algorithm>
#include <stdexcept>

#include "outcome.hpp"
#include "vocabulary.hpp"

namespace ea::harness {

const std::vector<StepOp>& step_table() {
  static const std::vector<StepOp> table = [] {
    std::vector<StepOp> all;
    for (auto concern : {accept_steps, task_steps, client_steps, result_steps, callback_steps, descriptor_steps,
                         trace_steps}) {
      auto ops = concern();
      all.insert(all.end(), std::make_move_iterator(ops.begin()), std::make_move_iterator(ops.end()));
    }
    for (std::size_t i = 0; i < all.size(); ++i)
      for (std::size_t j = i + 1; j < all.size(); ++j)
        if (all[i].name == all[j].name) throw std::logic_error("step op declared twice: " + all[i].name);
    return all;
  }();
  return table;
}

const StepOp* find_step_op(const std::string& name) {
  for (const auto& op : step_table())
    if (op.name == name) return &op;
  return nullptr;
}

namespace {

std::string str(std::string_view view) { return std::string(view); }

Json ref(const char* definition) { return {{"$ref", std::string("#/definitions/") + definition}}; }

Json outcome_pattern() {
  std::string kinds;
  for (const auto& kind : vocabulary::kOutcomeKinds) {
    if (kind.observed_only) continue;
    kinds += (kinds.empty() ? "" : "|") + str(kind.name);
    if (kind.takes_code) kinds += "|" + str(kind.name) + "\\([0-9]+\\)";
  }
  return "^(" + kinds + ")$";
}

Json field_schema(const StepField& f) {
  Json schema;
  switch (f.type) {
    case FieldType::name: schema = ref("name"); break;
    case FieldType::nullable_name: schema = {{"oneOf", {ref("name"), {{"type", "null"}}}}}; break;
    case FieldType::names:
      schema = {{"type", "array"}, {"items", ref("name")}, {"minItems", std::max(1, f.minimum)}, {"uniqueItems", true}};
      break;
    case FieldType::outcome: schema = ref("outcome"); break;
    case FieldType::outcomes:
      schema = {{"type", "array"}, {"items", ref("outcome")}, {"minItems", std::max(1, f.minimum)}};
      break;
    case FieldType::state: schema = ref("state"); break;
    case FieldType::data: schema = ref("data"); break;
    case FieldType::hold_ms: schema = ref("hold_ms"); break;
    case FieldType::within_ms: schema = ref("within_ms"); break;
    case FieldType::byte_count:
    case FieldType::count:
      schema = {{"type", "integer"}, {"minimum", f.minimum}, {"maximum", f.maximum}};
      break;
    case FieldType::boolean: schema = {{"type", "boolean"}}; break;
    case FieldType::choice: schema = {{"enum", f.choices}}; break;
    case FieldType::text: schema = {{"type", "string"}, {"minLength", 1}, {"maxLength", 200}}; break;
  }
  if (schema.contains("$ref")) schema = {{"allOf", {schema}}};
  schema["description"] = f.description;
  if (!f.default_value.is_null()) schema["default"] = f.default_value;
  return schema;
}

const char* type_word(FieldType type) {
  switch (type) {
    case FieldType::name: return "name";
    case FieldType::nullable_name: return "name-or-null";
    case FieldType::names: return "names";
    case FieldType::outcome: return "outcome";
    case FieldType::outcomes: return "outcomes";
    case FieldType::state: return "state";
    case FieldType::data: return "data";
    case FieldType::byte_count: return "byte-count";
    case FieldType::hold_ms: return "hold";
    case FieldType::within_ms: return "deadline";
    case FieldType::count: return "count";
    case FieldType::boolean: return "boolean";
    case FieldType::choice: return "choice";
    case FieldType::text: return "text";
  }
  return "?";
}

Json op_schema(const StepOp& op, std::size_t position) {
  Json properties = {{"op", {{"const", op.name}}},
                     {"note", {{"type", "string"}, {"minLength", 1}, {"description", "a sentence for the reader"}}},
                     {"then",
                      {{"enum", {"stop"}},
                       {"description",
                        "stop: when this step fails, the case ends there instead of observing the later steps that do "
                        "not depend on it"}}}};
  Json required = {"op"};
  Json fields = Json::array();
  for (const auto& f : op.fields) {
    properties[f.name] = field_schema(f);
    if (f.required) required.push_back(f.name);
    Json described = {{"name", f.name}, {"type", type_word(f.type)}, {"required", f.required}};
    if (f.role != NameRole::none) described[f.role == NameRole::uses ? "uses" : "defines"] = f.kind;
    fields.push_back(described);
  }
  Json schema = {{"type", "object"},
                 {"description", op.summary},
                 {"required", required},
                 {"properties", properties},
                 {"additionalProperties", false},
                 {"x-concern", op.concern},
                 {"x-position", position},
                 {"x-fields", fields},
                 {"x-words", op.words},
                 {"x-after-failure", op.after_failure == AfterFailure::stop ? "stop" : "go on"}};
  if (op.capability) schema["x-capability"] = *op.capability;
  if (!op.csharp.empty()) schema["x-csharp"] = op.csharp;
  return schema;
}

}  // namespace

Json case_schema() {
  Json levels = Json::array();
  for (const auto& level : vocabulary::kLevels) levels.push_back(str(level.name));
  Json capabilities = Json::array();
  for (const auto& capability : vocabulary::kCapabilities) capabilities.push_back(str(capability));
  Json ops = Json::array();
  Json by_op = Json::array();
  Json definitions = {
      {"name", {{"type", "string"}, {"pattern", str(vocabulary::kPattern_name)}}},
      {"hold_ms",
       {{"type", "integer"},
        {"minimum", vocabulary::kMinimum_hold_ms},
        {"maximum", vocabulary::kMaximum_hold_ms},
        {"default", vocabulary::kDefault_hold_ms},
        {"description", "How long the harness watches for something NOT to happen (one-sided; scaled by --timeout-scale)."}}},
      {"within_ms",
       {{"type", "integer"},
        {"minimum", vocabulary::kMinimum_within_ms},
        {"maximum", vocabulary::kMaximum_within_ms},
        {"default", vocabulary::kDefault_within_ms},
        {"description", "Deadline for something to happen (generous; scaled by --timeout-scale)."}}},
      {"data",
       {{"type", "string"}, {"minLength", 1}, {"maxLength", 4096}, {"pattern", str(vocabulary::kPattern_data)}}},
      {"outcome",
       {{"type", "string"},
        {"pattern", outcome_pattern()},
        {"description",
         "An expected outcome (spec/vocabulary.json); SocketError(N) also fixes the Windows Sockets code, bare "
         "SocketError accepts any Windows Sockets code."}}},
  };
  const Json socket_state = {{"type", "object"}, {"required", {"socket"}}, {"properties", {{"socket", ref("name")}}},
                             {"additionalProperties", false}};
  const Json object_state = {{"type", "object"}, {"required", {"object"}}, {"properties", {{"object", ref("name")}}},
                             {"additionalProperties", false}};
  definitions["state"] = {{"oneOf", Json::array({{{"type", "null"}}, socket_state, object_state})}};
  Json case_properties = {
      {"id", {{"type", "string"}, {"pattern", str(vocabulary::kPattern_case_id)}}},
      {"clauses",
       {{"type", "array"},
        {"minItems", 1},
        {"uniqueItems", true},
        {"items", {{"type", "string"}, {"pattern", str(vocabulary::kPattern_clause_id)}}}}},
      {"level", {{"enum", levels}}},
      {"title", {{"type", "string"}, {"minLength", 8}, {"maxLength", 120}}},
      {"explanation", {{"type", "string"}, {"minLength", 20}}},
      {"requires", {{"type", "array"}, {"uniqueItems", true}, {"items", {{"enum", capabilities}}}}},
      {"race",
       {{"type", "boolean"},
        {"description",
         "The case decides a race (two threads, or a thread and a completion): --explore runs it many times with "
         "seeded pauses between the harness's steps and before the adapter's calls, until one run fails."}}},
      {"steps", {{"type", "array"}, {"minItems", 1}, {"items", ref("step")}}}};
  definitions["case"] = {{"type", "object"},
                         {"required", {"id", "clauses", "level", "title", "explanation", "steps"}},
                         {"additionalProperties", false},
                         {"properties", case_properties}};
  for (std::size_t position = 0; position < step_table().size(); ++position) {
    const StepOp& op = step_table()[position];
    ops.push_back(op.name);
    const std::string definition = "step_" + op.name;
    definitions[definition] = op_schema(op, position);
    by_op.push_back({{"if", {{"properties", {{"op", {{"const", op.name}}}}}}}, {"then", ref(definition.c_str())}});
  }
  definitions["step"] = {{"type", "object"}, {"required", {"op"}}, {"properties", {{"op", {{"enum", ops}}}}}, {"allOf", by_op}};
  return {{"$schema", "http://json-schema.org/draft-07/schema#"},
          {"$id", "https://endaccept-conformance.example/cases/case.schema.json"},
          {"$comment",
           "Generated from the step declarations in harness/src/steps/ and spec/vocabulary.json by "
           "`python3 run_conformance.py --generate`; do not edit. A test fails when it is stale."},
          {"title", "endaccept-conformance case table"},
          {"description",
           "A file of cases. Each case is one documented behavior of EndAccept, told as a list of steps the harness "
           "performs against an adapter. See cases/README.md and cases/STEPS.md."},
          {"type", "object"},
          {"required", {"cases"}},
          {"additionalProperties", false},
          {"properties",
           {{"$schema", {{"type", "string"}}},
            {"description", {{"type", "string"}}},
            {"cases", {{"type", "array"}, {"minItems", 1}, {"items", ref("case")}}}}},
          {"definitions", definitions}};
}

namespace {

void check_outcome_text(const StepCheck& check, const std::string& where, const std::string& text) {
  try {
    ExpectedOutcome::parse(text);
  } catch (const std::invalid_argument& e) {
    check.fail(where, e.what());
  }
}

void require_known(const StepCheck& check, const StepField& f) {
  const Json& value = check.step[f.name];
  const auto known = [&](const Json& name, const std::string& where) {
    if (!check.names.has(f.kind, name))
      check.fail(where, "refers to " + f.kind + " '" + name.get<std::string>() + "', which no earlier step defines");
  };
  if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) known(value[i], f.name + "/" + std::to_string(i));
  } else if (value.is_string()) {
    known(value, f.name);
  }
}

}  // namespace

void check_step(const StepOp& op, StepCheck& check) {
  const Json& step = check.step;
  if (step.contains("hold_ms") && step.contains("within_ms") && step["hold_ms"].get<int>() >= step["within_ms"].get<int>())
    check.fail("hold_ms", "a hold period must be shorter than the step's deadline");
  if (op.capability) check.need_capability(*op.capability);
  for (const auto& f : op.fields) {
    if (!step.contains(f.name)) continue;
    const Json& value = step[f.name];
    if (f.role == NameRole::uses) require_known(check, f);
    if (f.type == FieldType::state) check.state_names_known_socket(f.name.c_str());
    if (f.type == FieldType::outcome) check_outcome_text(check, f.name, value);
    if (f.type == FieldType::outcomes)
      for (std::size_t i = 0; i < value.size(); ++i) check_outcome_text(check, f.name + "/" + std::to_string(i), value[i]);
    if (f.type == FieldType::choice) {
      const auto capability = f.capability_for_choice.find(value.get<std::string>());
      if (capability != f.capability_for_choice.end()) check.need_capability(capability->second);
    }
  }
  for (const auto& f : op.fields)
    if (f.role == NameRole::defines && step.contains(f.name) && step[f.name].is_string())
      check.names.define(f.kind, step[f.name]);
  // Last, so that a rule may refine what the step defined (e.g. tag it).
  if (op.rule) op.rule(check);
}

}  // namespace ea::harness
