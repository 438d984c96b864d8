#pragma once
// Compiles AST expressions to eval::Nodes within one scope, with the static
// checks of LANGUAGE.md section 4: names, functions and arity, schema fields,
// regexes (compiled here), shadowing, operand types that can never be valid.
// Constant sub-expressions are folded.
#include <optional>
#include <string>
#include <vector>

#include "libpolicy/check/context.h"

namespace policy::check {

class ExprCompiler {
 public:
  // `schema`: the rule's record schema, for `row.x` (null otherwise).
  ExprCompiler(Context& ctx, const LoadedFile& file, const FileScope& scope,
               const eval::Schema* schema);

  // A name the target provides (compose, row, doc, file, line) or a def parameter.
  void AddFixedName(const std::string& name, int slot);
  // Declares a local from `for`, `let` or a quantifier; reports shadowing. Returns its slot.
  int Declare(const syntax::Ident& id, bool is_let);
  // Removes the most recent `count` locals (quantifier binders going out of scope).
  void Pop(size_t count);

  // nullptr after a diagnostic.
  const eval::Node* Compile(const syntax::Expr& e);
  // A `require`/`where` condition: also checks that it can be a bool.
  const eval::Node* CompileCondition(const syntax::Expr& e, const char* clause);

  int num_slots() const { return next_slot_; }

  // Version 2. Index reads (`has`, `[]`) are refused where `allow` is false
  // (an index's own key and `for`: an index reads no other index).
  void AllowIndexes(bool allow) { allow_indexes_ = allow; }
  // The indexes read so far (Program::indexes positions, sorted, unique).
  const std::vector<uint32_t>& indexes_read() const { return indexes_read_; }
  // Makes this the group phase of a grouped rule: aggregate calls compile
  // their argument with `binding` (the per-binding scope, LANGUAGE.md 11.3)
  // and append to `aggregates`.
  void SetGroupPhase(ExprCompiler* binding, std::vector<eval::Aggregate>* aggregates) {
    binding_phase_ = binding;
    aggregates_ = aggregates;
  }
  // Declares a name that reads the group key at `position`.
  const eval::Node* GroupKeyNode(int position);
  // Unused `let` names, for the warning.
  std::vector<syntax::Ident> UnusedLets() const;

  // The static type of a compiled node when it is known (null included).
  std::optional<Type> StaticType(const eval::Node* n) const;
  bool NeverBool(const eval::Node* n) const;

 private:
  struct Binding {
    syntax::Ident id;
    int slot = -1;
    bool is_let = false;
    bool fixed = false;
    mutable bool used = false;
  };

  const eval::Node* CompileName(const syntax::Expr& e);
  const eval::Node* CompileMember(const syntax::Expr& e);
  const eval::Node* CompileIndex(const syntax::Expr& e);
  const eval::Node* CompileCall(const syntax::Expr& e);
  const eval::Node* CompileBinary(const syntax::Expr& e, bool keep);
  const eval::Node* CompileQuantifier(const syntax::Expr& e);
  // A regex operand: a literal, or a string param (compiled after overrides).
  // With `allow_string`, any other expression is compiled as a plain operand.
  const eval::Node* CompileRegexOperand(const syntax::Expr& e, bool allow_string);
  const eval::Node* MakeRegex(const std::string& pattern, const syntax::Expr& where);
  const eval::Node* Fold(eval::Node* n);
  void CheckOperandTypes(const syntax::Expr& e, const eval::Node* n);
  const Binding* Lookup(const std::string& name) const;
  // The index `e` names (a bare name that no binding or param hides), or null.
  eval::CompiledIndex* IndexNamed(const syntax::Expr& e);
  const eval::Node* IndexRead(eval::NodeOp op, eval::CompiledIndex& index, const syntax::Expr& key,
                              const syntax::Expr& where);
  const eval::Node* CompileAggregate(const syntax::Expr& e, eval::AggregateKind kind);
  bool IsRowName(const syntax::Expr& e) const;
  std::vector<std::string> VisibleNames() const;

  Context& ctx_;
  const LoadedFile& file_;
  const FileScope& scope_;
  const eval::Schema* schema_;
  std::vector<Binding> bindings_;
  int next_slot_ = 0;
  bool allow_indexes_ = true;
  std::vector<uint32_t> indexes_read_;
  ExprCompiler* binding_phase_ = nullptr;
  std::vector<eval::Aggregate>* aggregates_ = nullptr;
};

}  // namespace policy::check
