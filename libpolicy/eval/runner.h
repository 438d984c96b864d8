#pragma once
// Runs one compiled rule against one subject (a compose file, a document, a
// record): the for/let/where comprehension, require, and the findings it makes
// (location, message, secret redaction). One Runner per thread.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "libpolicy/eval/builtins/support.h"
#include "libpolicy/eval/evaluator.h"
#include "libpolicy/eval/group_table.h"
#include "libpolicy/eval/memo_table.h"
#include "libpolicy/eval/redact.h"
#include "libpolicy/eval/shape_cache.h"
#include "libpolicy/eval/snippet.h"
#include "libpolicy/finding.h"
#include "libpolicy/source.h"

namespace policy::eval {

// The input being checked, as findings need it.
struct InputInfo {
  std::string display_file;  // Finding::file
  // Kept values (index entries, group state) name their input by a foreign
  // id (kept_value.h): kForeignFileBase + the position in this list.
  const std::vector<std::string>* foreign_files = nullptr;
  const std::vector<std::string>* doc_files =
      nullptr;                       // Loc::file -> display path (merged compose)
  std::string_view text;             // whole text, for snippets (documents)
  const LineIndex* lines = nullptr;  // index of `text`
  // Further files of a merged compose project, by Loc::file (index 0 is `text`).
  std::vector<std::pair<std::string_view, const LineIndex*>> more_texts;

  // The text of `line` in file `file` (Loc::file), for snippets; empty when unknown.
  std::string_view LineOf(uint16_t file, uint32_t line) const {
    if (file == 0) return lines ? lines->Line(text, line) : std::string_view();
    if (file < more_texts.size() && more_texts[file].second)
      return more_texts[file].second->Line(more_texts[file].first, line);
    return {};
  }
};

// The record being checked (record inputs only).
struct RecordInfo {
  uint32_t line = 0;
  Value row;
  std::string_view text;  // raw record bytes, for snippets
  // Rows with the same non-zero shape have the same keys in the same order
  // (every row of a CSV file; runs of JSON Lines records); see NewRecordShape.
  uint64_t shape = 0;
  // No key appears twice in the row (always so in JSON; a CSV header may repeat a name).
  bool unique_keys = false;
};

// A shape id no row has had before (process-wide).
uint64_t NewRecordShape();

// A finding plus what the engine still needs to finish it.
struct PendingFinding {
  Finding finding;
  std::string fingerprint_text;  // canonical text hashed into the fingerprint
  std::string secret;            // secret rules: the secret's text, masked on its line
  bool secret_masks_line = false;
  // A line longer than kSnippetMaxBytes, shared by the findings on it
  // (finding.source_line is then empty); finishing cuts it to a window.
  std::shared_ptr<const std::string> long_line;
  // Where the secret is written on its line (code points, end exclusive; 0: unknown),
  // for eval::MaskSourceLine on every finding shown on that line.
  uint32_t secret_column = 0;
  uint32_t secret_end_column = 0;
};

// A rule's results on one input.
struct RuleOutcome {
  RuleCounters counters;
  std::vector<PendingFinding> findings;
  uint64_t limit = UINT64_MAX;  // findings to list; the rest are counted only
  uint64_t mostly_passed = 0;
  uint64_t mostly_total = 0;
};

class Runner {
 public:
  explicit Runner(Arena& scratch) : eval_(scratch) {}

  // Evaluates `rule` on `subject`. `typed` is the record's typed schema fields
  // (or null); `record` is null except for record inputs. For `unique` rules,
  // every non-null key reaches `on_key` (with the slots of its binding) instead
  // of `require`.
  using KeySink = std::function<void(const Value& key, Runner& runner)>;
  // For grouped rules: each binding's group keys and aggregate arguments
  // (CompiledRule::group_keys, aggregates; null for count()) reach the sink
  // set here instead of `require` (LANGUAGE.md section 11.3).
  using GroupSink = std::function<void(std::span<const Value> keys, std::span<const Value> args)>;
  void SetGroupSink(const GroupSink* sink) { group_sink_ = sink; }
  // The group phase of a grouped rule (CompiledRule::grouped) on one group:
  // `where` locates findings that have no `at` (the group's first binding).
  void RunGroup(const CompiledRule& phase, const GroupView& group, const Value& where,
                const InputInfo& in, RuleOutcome& out);
  void Run(const CompiledRule& rule, const Value& subject, TypedRow typed, const RecordInfo* record,
           const InputInfo& in, RuleOutcome& out, const KeySink* on_key = nullptr);
  // The same in two steps, for several rules on one subject: Begin() once,
  // then RunRule() for each rule (subject, typed and record must outlive them).
  void Begin(const Value& subject, TypedRow typed, const RecordInfo* record, const InputInfo& in);
  // `applies`: the caller knows that SkipsEveryField(rule) is false.
  void RunRule(const CompiledRule& rule, RuleOutcome& out, const KeySink* on_key = nullptr,
               bool applies = false);
  // After Begin(): true when `rule` starts by picking the record's fields by
  // name and no field of this record's shape passes (known once a record of
  // the shape has been run). RunRule then only counts every field skipped.
  bool SkipsEveryField(const CompiledRule& rule);

  // For a unique key sink: a finding for the current binding with this message.
  PendingFinding MakeFinding(FindingKind kind, std::string message, const Value* located);
  // Renders the rule's message for the current binding (template or default).
  // `secret_at`: a secret rule's located value, masked in the pieces rendered from it.
  std::string RenderMessage(const Value* secret_at = nullptr);
  // The rule's `at` value for the current binding; `fallback` when there is none
  // or it fails.
  Value LocatedAt(const Value& fallback);

  // False when a `where` of the rule's input prefix (CompiledRule::input_prefix)
  // is false for `in`: the rule then skips every record of the input. An error
  // there counts as true, so that each record reports it.
  bool InputPrefixHolds(const CompiledRule& rule, const InputInfo& in);

  // The `mostly` finding for an input, at its first line.
  static PendingFinding MostlyFinding(const CompiledRule& rule, const InputInfo& in,
                                      uint64_t passed, uint64_t total, uint32_t first_line);

  Evaluator& evaluator() { return eval_; }
  // The run's input names by foreign id (InputInfo::foreign_files) or null.
  const std::vector<std::string>* foreign_files() const {
    return in_ != nullptr ? in_->foreign_files : nullptr;
  }
  // The current binding's value of `slot` (for sinks).
  const Value& slot(int i) const { return slots_[static_cast<size_t>(i)]; }
  // For a unique key sink: the value of `within SCOPE` (null without one).
  const Value& unique_scope() const { return unique_scope_; }

  // Lets go of the long lines findings share: called before the texts that
  // subjects point into are freed or reused (a record pipeline's next chunk).
  void ForgetLines() { lines_.Forget(); }

 private:
  void Walk(size_t clause);
  void WalkClauses(size_t clause);
  void WalkFor(const CompiledClause& c, const Value& collection, size_t clause);
  void Terminal();
  void ReportError(const Value* located);
  const Value* InnermostForValue() const;
  std::string Interpolate(const Node* n);

  Evaluator eval_;
  // The current run.
  const CompiledRule* rule_ = nullptr;
  TypedRow typed_ = nullptr;
  const RecordInfo* record_ = nullptr;
  const InputInfo* in_ = nullptr;
  RuleOutcome* out_ = nullptr;
  const KeySink* on_key_ = nullptr;
  const GroupSink* group_sink_ = nullptr;
  const Value* group_where_ = nullptr;          // RunGroup: where a finding without `at` is
  std::vector<Value> group_keys_, group_args_;  // scratch for the group sink
  Value unique_scope_;                          // the current key's `within` value
  LineKeeper lines_;  // one copy of a long line for all the findings on it
  std::vector<Value> slots_;
  // The element / map value of each active `for` (they outlive the binding).
  std::vector<const Value*> for_values_;

  // Verdicts of CompiledClause::key_filter by key text (compared in full).
  struct KeyVerdict {
    const CompiledClause* clause = nullptr;
    uint32_t size = 0;
    bool pass = false;
    char text[40];
  };
  std::vector<KeyVerdict> verdicts_;

  // Pass kPrefixOnce: per rule and input file, the values of the rule's
  // input prefix lets (CompiledRule::input_prefix), evaluated once, kept in
  // prefix_arena_ for every record of the input. Only a prefix whose wheres
  // held without an error is kept; any other walks every record in full.
  struct PrefixValues {
    const CompiledRule* rule = nullptr;
    std::string file;
    bool holds = false;
    std::vector<std::pair<int, Value>> lets;  // slot, value
  };
  std::vector<PrefixValues> prefixes_;
  Arena prefix_arena_{4096};
  // The clause to start the walk at: after the prefix, its lets bound, or 0.
  size_t RestorePrefix(const CompiledRule& rule);
  // The key filter's verdict for `key`, or nullopt when it cannot be cached.
  std::optional<bool> KeyFilter(const CompiledClause& c, const Value& key);

  // Per key filter (CompiledClause::filter_id): the indexes of the record's
  // entries that pass it, for the last few record shapes seen.
  std::vector<ShapeCache<std::vector<uint32_t>>> passing_keys_;
  // The entries of the current record `row` that pass `c`'s key filter, or null
  // when the verdicts cannot be cached.
  const std::vector<uint32_t>* PassingKeys(const CompiledClause& c, const Value& row);
  // The entries of rows of `shape` that pass `c`'s key filter, when already known.
  const std::vector<uint32_t>* KnownPassingKeys(const CompiledClause& c, uint64_t shape);
  void BindFor(const CompiledClause& c, const Value& key, const Value& value, size_t next);
  // CompiledClause::ascii_value_passes: true (and counted) when `value` is ASCII text.
  bool AsciiPasses(const CompiledClause& c, const Value& value);
  // The binding of a record field that passes `c`'s key filter, in a rule
  // that is only `for`, that `where` and `require`: skipped, passed, or to be
  // walked in full (it fails, or fails to evaluate: the walk reports it).
  enum class Plain : uint8_t { kSkipped, kPassed, kWalk };
  Plain PlainOutcome(const CompiledClause& c, const Value& key, const Value& value);
  // True once the memo has stopped for the current rule and record field.
  bool MemoOff(size_t field) const;
  // True when the typed row passes `test` (CompiledClause::unrolled_presence);
  // false when it fails or only the full test can tell.
  bool PresenceHolds(const CompiledClause::FieldPresence& test) const {
    const Value& v = *typed_[test.field];
    if (v.is_null()) return false;
    if (!v.is(Type::kString)) return test.others_pass;
    if (!test.blank_text_fails) return true;
    // Text that starts with a visible ASCII character is not blank: most.
    const std::string_view s = v.as_string();
    const auto first = s.empty() ? 0u : static_cast<unsigned char>(s[0]);
    return (first > ' ' && first < 0x80) || !IsBlank(s);
  }
  // Inside an unrolled `for` (CompiledClause::unrolled): the current element's
  // expressions for the clauses from `unrolled_from_` on and for `require`.
  const Unrolled* unrolled_ = nullptr;
  size_t unrolled_from_ = 0;
  // The `where` whose key filter the current key is known to pass (its
  // CompiledClause::where_rest is evaluated instead); consumed by that where.
  const CompiledClause* filter_passed_ = nullptr;

  // Outcomes of bindings by their memo inputs (CompiledRule::memo_from): only
  // passes and skips, which leave nothing but counts behind.
  MemoTable memo_;
  // Per rule (memo_id) and record field: lookups and hits. Memoising stops
  // where inputs rarely repeat (invoice numbers, amounts): for the whole rule,
  // or, in a rule that visits the record's fields, for that field alone.
  struct MemoStats {
    uint32_t lookups = 0;
    uint32_t hits = 0;
    uint32_t misses = 0;      // walked, for the cost below
    uint64_t miss_nanos = 0;  // the time those walks took
    bool off = false;
  };
  // A binding that takes less than this on average (measured over its first
  // misses) is cheaper to evaluate than to look up: its rule stops memoising.
  // Time, not nodes: one is_nfc() on Bengali text outweighs ten comparisons.
  // Only the speed depends on it, never the output.
  static constexpr uint64_t kMemoWorthNanos = 80;
  static constexpr size_t kMemoFields = 64;  // per rule: fields 0..62, then "not a field"
  std::vector<MemoStats> memo_stats_;
  // Per rule (memo_id): bit f set once field f's stats are off, so that most
  // bindings of a rule that does not memoise read one word.
  std::vector<uint64_t> memo_off_;
  // The index of the record field the innermost `for` is at, or kMemoFields - 1.
  size_t MemoField() const;
  // Writes the memo key of the current binding; false when an input is not a
  // scalar or the key would be too long.
  bool MemoKey(char* key, size_t* size);
  // Walk(index) through the memo; false when the memo does not apply.
  bool WalkMemo(size_t index);
};

}  // namespace policy::eval
