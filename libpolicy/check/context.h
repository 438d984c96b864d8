#pragma once
// Shared state of one compilation: the loaded files, the diagnostics, and the
// Program being built. Private to check/.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "libpolicy/diagnostic.h"
#include "libpolicy/diagnostic_codes.h"
#include "libpolicy/eval/program.h"
#include "libpolicy/source.h"
#include "libpolicy/syntax/ast.h"

namespace policy::check {

struct LoadedFile {
  std::unique_ptr<SourceFile> source;
  std::string root;  // the rule root it was loaded from
  std::string key;   // normalised path: identity for imports
  std::unique_ptr<syntax::Module> module;
  std::string package;  // "" when none
  std::vector<LoadedFile*> imports;
};

// A name visible at file level: a param (folded to a value), a def, a schema.
struct FileScope {
  std::map<std::string, const eval::ParamValue*> params;
  std::map<std::string, const eval::CompiledDef*> defs;
  std::map<std::string, std::pair<const LoadedFile*, const syntax::Def*>> def_sources;
};

class Context {
 public:
  explicit Context(Program& program) : program(program) {}

  void Error(const LoadedFile& f, syntax::Span span, DiagCode code, std::string message,
             std::string help = {});
  void Warning(const LoadedFile& f, syntax::Span span, DiagCode code, std::string message,
               std::string help = {});
  Diagnostic& Add(const LoadedFile& f, syntax::Span span, Severity sev, DiagCode code,
                  std::string message, std::string help);
  bool has_errors() const;
  size_t error_count() const;

  eval::Node* NewNode(eval::NodeOp op) {
    program.nodes.emplace_back();
    program.nodes.back().op = op;
    return &program.nodes.back();
  }

  Program& program;
  std::vector<Diagnostic> diagnostics;
  std::vector<std::unique_ptr<LoadedFile>> files;
};

// "did you mean 'x'?" for the closest candidate, or "" when none is close.
std::string DidYouMean(std::string_view name, const std::vector<std::string>& candidates);

// A copy of `v` whose storage lives in `arena` (strings, lists and maps deep-copied).
Value DeepCopy(const Value& v, Arena& arena);

// `n`, whose arguments are all constants, evaluated now into a constant node;
// `n` itself when that fails (a failing constant expression fails at run time,
// as a finding).
const eval::Node* FoldConstant(const eval::Node* n, Context& ctx);

}  // namespace policy::check
