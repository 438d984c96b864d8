#pragma once
// Check() and its piece of a split run (partition.h, CheckPiece): one body,
// so that a piece checks exactly as the whole run would, and only leaves
// unjudged what needs the other pieces.
#include <map>
#include <string>
#include <vector>

#include "libpolicy/engine.h"
#include "libpolicy/partition.h"
#include "libpolicy/run/input_plan.h"
#include "libpolicy/run/input_result.h"

namespace policy::run {

// The settings of a run with `options`: jobs, the listing limit, the root of
// fingerprints and the record pipeline's own passes.
Settings RunSettings(const Program& program, const CheckOptions& options);

// Each input's plan, with its foreign id and position; `names` gets each
// input's display name by position (kept values name inputs so).
std::vector<InputPlan> PlanRun(const Program& program, const std::vector<Input>& inputs,
                               std::vector<std::string>& names);

// Check() when `piece` is null. Else a piece of a larger run: `mostly` rules
// on an input that is a partition (Input::range) are not judged, their
// tallies go to `piece`; grouped rules are not judged, their tables go to
// `piece` as bytes (eval/group_table_io.h); what only the whole run says
// (index findings, index sources missing) is left to FinishPieces.
Report CheckRun(const Program& program, const std::vector<Input>& inputs,
                const CheckOptions& options, PieceState* piece);

}  // namespace policy::run
