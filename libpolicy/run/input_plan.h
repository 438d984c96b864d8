#pragma once
// How one input is read: the one place that decides an input's kind, how its
// text is split (a record stream, a record list, one or more documents), its
// record format and delimiter, the schema it binds to, and the name findings
// show for it. Everything after reads the plan; nothing guesses again.
#include <string>
#include <string_view>

#include "libpolicy/engine.h"
#include "libpolicy/load/loaders.h"

namespace policy::eval {
struct Schema;
}

namespace policy::run {

enum class ReadAs : uint8_t {
  kUnknown,       // the kind could not be told: a problem, nothing is checked
  kCompose,       // one YAML/JSON document, normalised (and merged) as compose
  kDocuments,     // every document of a YAML stream or a JSON file
  kRecordStream,  // CSV, TSV or JSON Lines, streamed in chunks
  kRecordList,    // a JSON/YAML array of objects held in memory
  kDotenv,        // a .env file: one map document (load::LoadDotenv)
};

struct InputPlan {
  std::string display;  // Finding::file: the path as named, without leading "./"
  InputKind kind = InputKind::kAuto;
  ReadAs read_as = ReadAs::kUnknown;
  bool json = false;                                     // document text is JSON, not YAML
  load::RecordFormat format = load::RecordFormat::kCsv;  // kRecordStream
  char delimiter = ',';                                  // kRecordStream, CSV
  const eval::Schema* schema = nullptr;                  // record inputs; null when none binds
  std::string problem;                                   // kUnknown: why nothing is checked
  // The kind came from a document's name (.yaml/.yml/.json), not from the
  // caller: its content may still make it compose (ComposeByContent).
  bool by_content = false;
  // The input's id in kept values (eval/kept_value.h): kForeignFileBase + its
  // position among the run's inputs. Set by Check().
  uint16_t foreign_id = 0;
  // Its position among the run's inputs (Settings::foreign_files names it).
  uint32_t position = 0;
};

// The plan of `input` for `program` (schemas bind by Input::schema, else by
// the file's stem, singular or plural: invoices.csv -> invoice).
InputPlan PlanInput(const Program& program, const Input& input);

// The kind the file name says (CLI.md "Inputs"); kAuto when it says nothing.
InputKind KindFromName(const std::string& path);

// Whether a parsed document is a compose file by content: its top level has a
// `services` mapping and no `apiVersion` or `kind` (those are Kubernetes-like).
bool ComposeByContent(const Value& root);

// A cheap look at the text, before parsing: a line `services:` at column 0 and
// no `apiVersion:` or `kind:` there. Walks use it to pick candidate YAML files;
// ComposeByContent decides after parsing.
bool MayBeComposeText(std::string_view text);

// `plan`, a by-content document plan, turned into a compose plan.
void PlanAsCompose(InputPlan& plan);

// `path` without leading "./": how findings name a file.
std::string DisplayPath(const std::string& path);

// The schema `input` binds to, or null.
const eval::Schema* BindSchema(const Program& program, const Input& input);

// The name of a kind as rule targets spell it: "compose", "records", "document", "dotenv".
const char* KindName(InputKind kind);

}  // namespace policy::run
