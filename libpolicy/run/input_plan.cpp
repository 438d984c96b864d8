#include "libpolicy/run/input_plan.h"

#include <filesystem>
#include <string_view>

#include "libpolicy/eval/program.h"

namespace policy::run {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string DisplayPath(const std::string& path) {
  std::string_view p = path;
  while (p.rfind("./", 0) == 0) p.remove_prefix(2);
  return std::string(p);
}

InputKind KindFromName(const std::string& path) {
  std::string name = Lower(std::filesystem::path(path).filename().string());
  bool yaml = EndsWith(name, ".yaml") || EndsWith(name, ".yml");
  if (yaml && (name == "compose.yaml" || name == "compose.yml" || name.rfind("compose.", 0) == 0 ||
               name.rfind("docker-compose", 0) == 0))
    return InputKind::kCompose;
  // .env, app.env, .env.production; also .env.example and other templates: their
  // placeholders are not secrets (RDY-SEC-008 tells them apart). .env.yaml is YAML.
  if ((EndsWith(name, ".env") || name.rfind(".env.", 0) == 0) && !yaml && !EndsWith(name, ".json"))
    return InputKind::kDotenv;
  if (EndsWith(name, ".csv") || EndsWith(name, ".tsv") || EndsWith(name, ".jsonl") ||
      EndsWith(name, ".ndjson"))
    return InputKind::kRecords;
  if (yaml || EndsWith(name, ".json")) return InputKind::kDocument;
  return InputKind::kAuto;
}

bool ComposeByContent(const Value& root) {
  if (!root.is(Type::kMap)) return false;
  const Value* services = root.Find("services");
  return services != nullptr && services->is(Type::kMap) && root.Find("apiVersion") == nullptr &&
         root.Find("kind") == nullptr;
}

bool MayBeComposeText(std::string_view text) {
  bool services = false;
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find_first_of("\r\n", at);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(at, end - at);
    auto key = [&](std::string_view name) {
      if (line.rfind(name, 0) != 0) return false;
      std::string_view rest = line.substr(name.size());
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      return !rest.empty() && rest.front() == ':' &&
             (rest.size() == 1 || rest[1] == ' ' || rest[1] == '\t');
    };
    if (key("services") || key("\"services\"") || key("'services'")) services = true;
    if (key("apiVersion") || key("kind")) return false;
    at = end + 1;
  }
  return services;
}

void PlanAsCompose(InputPlan& plan) {
  plan.kind = InputKind::kCompose;
  plan.read_as = ReadAs::kCompose;
  plan.by_content = false;
}

const char* KindName(InputKind kind) {
  switch (kind) {
    case InputKind::kCompose:
      return "compose";
    case InputKind::kRecords:
      return "records";
    case InputKind::kDocument:
      return "document";
    case InputKind::kDotenv:
      return "dotenv";
    case InputKind::kAuto:
      break;
  }
  return "unknown";
}

namespace {

// The schema `name` names, singular or plural (invoices -> invoice, parties -> party).
const eval::Schema* SchemaNamed(const Program& program, const std::string& name) {
  if (const eval::Schema* s = program.FindSchema(name)) return s;
  if (name.size() > 1 && name.back() == 's') {
    if (const eval::Schema* s = program.FindSchema(name.substr(0, name.size() - 1))) return s;
    if (EndsWith(name, "ies"))
      if (const eval::Schema* s = program.FindSchema(name.substr(0, name.size() - 3) + "y"))
        return s;
  }
  return nullptr;
}

}  // namespace

const eval::Schema* BindSchema(const Program& program, const Input& input) {
  if (!input.schema.empty()) return program.FindSchema(input.schema);
  std::string stem = Lower(std::filesystem::path(input.path).stem().string());
  if (const eval::Schema* s = SchemaNamed(program, stem)) return s;
  // One file of a data set: the stem's first word (invoices-2024-h1,
  // credit_notes_2025, returns.fy2024): LANGUAGE.md section 11.1.
  for (size_t cut = stem.find_first_of("-_. "); cut != std::string::npos && cut > 0;
       cut = stem.find_first_of("-_. ", cut + 1))
    if (const eval::Schema* s = SchemaNamed(program, stem.substr(0, cut))) return s;
  return nullptr;
}

InputPlan PlanInput(const Program& program, const Input& input) {
  InputPlan plan;
  plan.display = DisplayPath(input.path);
  plan.kind = input.kind == InputKind::kAuto ? KindFromName(input.path) : input.kind;
  const std::string lower = Lower(input.path);
  plan.json = EndsWith(lower, ".json");
  const bool yaml = EndsWith(lower, ".yaml") || EndsWith(lower, ".yml");
  const bool record_name = EndsWith(lower, ".csv") || EndsWith(lower, ".tsv") ||
                           EndsWith(lower, ".jsonl") || EndsWith(lower, ".ndjson");
  switch (plan.kind) {
    case InputKind::kAuto:
      plan.read_as = ReadAs::kUnknown;
      plan.problem = "cannot tell what kind of input this is; use --kind";
      return plan;
    case InputKind::kCompose:
      plan.read_as = ReadAs::kCompose;
      return plan;
    case InputKind::kDocument:
      plan.read_as = ReadAs::kDocuments;
      plan.by_content = input.kind == InputKind::kAuto;
      return plan;
    case InputKind::kDotenv:
      plan.read_as = ReadAs::kDotenv;
      return plan;
    case InputKind::kRecords:
      break;
  }
  plan.schema = BindSchema(program, input);
  if (plan.schema == nullptr && !input.schema.empty()) {
    // A schema named but unknown would type nothing and bind no rule of it.
    plan.read_as = ReadAs::kUnknown;
    plan.problem = "unknown schema '" + input.schema + "'";
    std::string names;
    for (const eval::Schema& s : program.schemas) names += (names.empty() ? "" : ", ") + s.name;
    plan.problem += names.empty() ? "; the rules declare no schema" : " (known: " + names + ")";
    return plan;
  }
  // A record input streams unless it is a JSON or YAML document holding an array.
  const bool stream = input.format != RecordFormat::kAuto || record_name || (!plan.json && !yaml);
  if (!stream) {
    plan.read_as = ReadAs::kRecordList;
    return plan;
  }
  plan.read_as = ReadAs::kRecordStream;
  RecordFormat format = input.format;
  if (format == RecordFormat::kAuto)
    format = EndsWith(lower, ".jsonl") || EndsWith(lower, ".ndjson") ? RecordFormat::kJsonLines
             : EndsWith(lower, ".tsv")                               ? RecordFormat::kTsv
                                                                     : RecordFormat::kCsv;
  plan.format = format == RecordFormat::kJsonLines ? load::RecordFormat::kJsonLines
                                                   : load::RecordFormat::kCsv;
  plan.delimiter = input.delimiter ? input.delimiter : format == RecordFormat::kTsv ? '\t' : ',';
  return plan;
}

}  // namespace policy::run
