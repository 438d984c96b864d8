#include "libpolicy/run/rule_selection.h"

#include "libpolicy/glob.h"

namespace policy::run {
namespace {

bool Named(const eval::CompiledRule& r, const std::set<std::string>& set) {
  if (set.count(r.info.id)) return true;
  for (const std::string& t : r.info.tags)
    if (set.count(t)) return true;
  return false;
}

bool Selected(const eval::CompiledRule& r, const CheckOptions& o) {
  if (Named(r, o.skip)) return false;
  if (!o.only.empty()) return Named(r, o.only) && (r.info.enabled || r.opt_in);
  return r.info.enabled;
}

}  // namespace

ActiveRules SelectRules(const Program& program, const CheckOptions& options) {
  ActiveRules rules;
  for (const eval::CompiledRule& r : program.rules) {
    if (!Selected(r, options)) continue;
    ++rules.count;
    switch (r.target) {
      case syntax::TargetKind::kCompose:
        rules.compose.push_back(&r);
        break;
      case syntax::TargetKind::kDocument:
        rules.document.push_back(&r);
        break;
      case syntax::TargetKind::kRecords:
        rules.records.push_back(&r);
        break;
      case syntax::TargetKind::kDotenv:
        rules.dotenv.push_back(&r);
        break;
    }
  }
  return rules;
}

std::vector<const eval::CompiledRule*> ActiveRules::For(const InputPlan& plan) const {
  switch (plan.kind) {
    case InputKind::kCompose:
      return compose;
    case InputKind::kDocument: {
      // `on document("GLOB")` runs on the documents whose path matches.
      std::vector<const eval::CompiledRule*> out;
      for (const eval::CompiledRule* r : document)
        if (r->glob.empty() || GlobMatch(r->glob, plan.display)) out.push_back(r);
      return out;
    }
    case InputKind::kDotenv:
      return dotenv;
    case InputKind::kRecords: {
      std::vector<const eval::CompiledRule*> out;
      for (const eval::CompiledRule* r : records)
        if (r->schema == nullptr || r->schema == plan.schema) out.push_back(r);
      return out;
    }
    case InputKind::kAuto:
      break;
  }
  return {};
}

}  // namespace policy::run
