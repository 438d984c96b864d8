#pragma once
// Checks, when rules compile, that member access on compose values and on
// builtin results names a key the value can hold (issue 13 A3): `svc.privilegd`
// would read null at run time and the rule would silently pass everything.
//
// A walk over the syntax tree beside ExprCompiler, tracking for each expression
// the ComposeShape it is known to have: `compose`, and what `for`, `let`,
// quantifiers and def parameters bind from it. Conservative: where the shape is
// not certain it is unknown, and nothing is checked.
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "libpolicy/check/compose_shapes.h"
#include "libpolicy/check/context.h"
#include "libpolicy/check/def_graph.h"

namespace policy::check {

class ComposeAccessChecker {
 public:
  ComposeAccessChecker(Context& ctx, const std::map<const LoadedFile*, FileScope>& scopes,
                       const DefOrigins& origins)
      : ctx_(ctx), scopes_(scopes), origins_(origins) {}

  // A rule's clauses, `at` and message; `compose` is the compose file `on compose`.
  void CheckRule(const LoadedFile& f, const syntax::Rule& r);
  // A def's body with parameters of unknown shape (a builtin result it reads).
  void CheckDef(const LoadedFile& f, const syntax::Def& d);

 private:
  struct Frame {
    const LoadedFile* file = nullptr;
    const FileScope* scope = nullptr;
    std::vector<std::pair<std::string, const ComposeShape*>> names;
  };

  const ComposeShape* Walk(const syntax::Expr& e, Frame& frame);
  const ComposeShape* Member(const ComposeShape* base, const std::string& key, syntax::Span where,
                             Frame& frame);
  const ComposeShape* Call(const syntax::Expr& e, Frame& frame);
  const ComposeShape* ListOf(const ComposeShape* items);
  const ComposeShape* DefResult(const eval::CompiledDef* def,
                                const std::vector<const ComposeShape*>& args);
  // What `for`/quantifier binders bind over a collection of `shape`.
  static void Bind(const std::vector<syntax::Ident>& names, const ComposeShape* shape,
                   Frame& frame);

  Context& ctx_;
  const std::map<const LoadedFile*, FileScope>& scopes_;
  const DefOrigins& origins_;
  // A def's result shape per argument shapes; present (null) while being walked,
  // so a recursive def (an error reported elsewhere) ends.
  std::map<std::pair<const eval::CompiledDef*, std::vector<const ComposeShape*>>,
           const ComposeShape*>
      def_results_;
  int def_depth_ = 0;
  // "A list of X" shapes made while walking (values(compose.services)), per X.
  std::map<const ComposeShape*, ComposeShape> lists_of_;
  // One report per place: a def walked for several argument shapes.
  std::set<std::pair<const LoadedFile*, uint32_t>> reported_;
};

}  // namespace policy::check
