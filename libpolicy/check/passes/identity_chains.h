#pragma once
// Pass `identity_chains` (eval::Pass::kIdentityChains): a one-argument builtin
// that may return its argument unchanged (BuiltinTraits::identity: string(s),
// trim("x"), normalize_digits of ASCII, digits_only of digits) becomes a
// NodeOp::kIdentityWhen node, which skips the call when the argument qualifies;
// a chain of them (digits_only(normalize_digits(string(v)))) is one node that
// evaluates its argument once. Runs after the analyses, which read only the
// general node forms.
#include "libpolicy/check/context.h"

namespace policy::check::passes {

void RunIdentityChains(eval::CompiledRule& rule, Context& ctx);

}  // namespace policy::check::passes
