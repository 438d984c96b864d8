// Record inputs: schema typing, chunked parallel evaluation with findings
// merged back in file order, `unique` across the whole input.
//
// Workers evaluate every per-record rule on their chunk and list at most
// --max-findings failures per rule (the first N of the input are among the first
// N of each chunk). `unique` keys are collected per chunk and decided in file
// order by the merging thread; the few duplicate records are re-parsed from
// their raw text to build their findings, so nothing per record is kept.
#include "libpolicy/run/record_pipeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <span>
#include <thread>

#include "libpolicy/diagnostic_codes.h"
#include "libpolicy/eval/kept_value.h"
#include "libpolicy/eval/key_set.h"
#include "libpolicy/eval/shape_cache.h"
#include "libpolicy/load/loaders.h"
#include "libpolicy/run/finish.h"
#include "libpolicy/run/index_build.h"
#include "libpolicy/run/record_typer.h"
#include "libpolicy/run/rule_state.h"
#include "libpolicy/run/unique_sets.h"

namespace policy::run {
namespace {

using eval::CompiledRule;
using eval::InputInfo;
using eval::KeySet;
using eval::NewRecordShape;
using eval::PendingFinding;
using eval::RecordInfo;
using eval::RuleOutcome;
using eval::Runner;
using eval::Schema;
using eval::SchemaField;
using run::RecordTyper;

constexpr const char* kSchemaRule = "SCHEMA";

// The bytes a `unique` key compares by: with `within SCOPE`, the scope's bytes
// (length first, so that no scope and key pair reads as another) before the key's.
void UniqueKeyBytes(const CompiledRule& rule, const Value& key, const Runner& runner,
                    std::string& out) {
  if (rule.unique_within != nullptr) {
    const size_t at = out.size();
    out.append(sizeof(uint32_t), '\0');  // the length, written once known
    eval::AppendKeyBytes(runner.unique_scope(), out);
    const uint32_t size = static_cast<uint32_t>(out.size() - at - sizeof(uint32_t));
    std::memcpy(out.data() + at, &size, sizeof size);
  }
  eval::AppendKeyBytes(key, out);
}

PendingFinding SchemaFinding(const std::string& file, const Value& at, uint32_t record_line,
                             std::string_view record_text, std::string message, const Value& row) {
  PendingFinding p;
  Finding& f = p.finding;
  f.rule = kSchemaRule;
  f.kind = FindingKind::kSchema;
  f.severity = Severity::kError;
  f.file = file;
  f.message = std::move(message);
  if (at.loc().known()) {
    f.line = at.loc().line;
    f.column = at.loc().column;
    f.end_line = at.loc().end_line;
    f.end_column = at.loc().end_column;
  } else {
    f.line = record_line;
    f.column = 1;
  }
  f.path = RenderPath(at.path());
  uint32_t skip = f.line > record_line ? f.line - record_line : 0;
  std::string_view text = record_text;
  for (; skip > 0 && !text.empty(); --skip) {
    size_t nl = text.find('\n');
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  }
  std::string_view line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  eval::KeptLine kept = eval::LineKeeper().Keep(line);
  f.source_line = std::move(kept.short_line);
  p.long_line = std::move(kept.long_line);
  p.fingerprint_text = ToJson(row) + '\0' + f.message;
  return p;
}

struct UniqueEntry {
  uint32_t rule;        // index into the input's rules
  uint32_t key_offset;  // into ChunkResult::keys
  uint32_t key_size;
  uint32_t line;
  std::string_view text;  // the record's raw bytes (alive until its chunk is merged)
  uint64_t offset;        // streams: the record's byte offset in the input
  uint64_t hash;          // KeySet::HashOf(key), computed by the worker
  const Value* item;      // record lists: the record itself; streams: null
};

// A unit of work: a chunk of a stream's text, or a record list held in memory.
struct Batch {
  load::RecordChunk chunk;
  const Value* list = nullptr;
};

struct ChunkResult {
  std::vector<RuleOutcome> outcomes;  // per rule, then SCHEMA last
  // Per rule: the groups of a grouped rule made by this chunk (else null).
  std::vector<std::unique_ptr<eval::GroupTable>> groups;
  std::vector<UniqueEntry> unique;
  std::string keys;
  std::vector<policy::Problem> problems;  // records that could not be checked; the rest go on
  uint64_t unlisted_problems = 0;         // more of them, past kMaxListedProblems
  std::optional<load::InputError> error;
};

// Lines that are no record, listed per input; the rest are counted, so that a
// binary or mislabelled file cannot fill memory with problems.
constexpr size_t kMaxListedProblems = 100;

void AddRecordProblem(ChunkResult& out, policy::Problem p) {
  if (out.problems.size() < kMaxListedProblems) {
    out.problems.push_back(std::move(p));
  } else {
    ++out.unlisted_problems;
  }
}

// Everything one worker thread needs, reused across chunks.
struct Worker {
  Worker(const load::ChunkOptions& options, const load::CsvHeader* header, const std::string& file,
         const Schema* schema)
      : parser(options, header, file), typer(schema, header), runner(scratch) {}
  Arena scratch{256 * 1024};
  load::RecordParser parser;
  RecordTyper typer;
  Runner runner;
  load::Record record;
  // Per rule: where a grouped rule's bindings go (the current chunk's table).
  std::vector<Runner::GroupSink> group_sinks;
  // For recent record shapes: the rules to run on a record of the shape, and
  // those that skip every field of it (Runner::SkipsEveryField), so later
  // records of the shape (every CSV row; JSON Lines records alternate between
  // a few) need no call, nor a test, for them. Their skips are counted per
  // shape and added to the outcomes at the end of the chunk (Flush).
  struct Plan {
    std::vector<uint32_t> run;
    std::vector<uint32_t> skip;
    uint64_t skipped_fields = 0;  // since the last Flush: per skipping rule
  };
  eval::ShapeCache<Plan> plans;
  Plan* PlanOf(uint64_t shape) { return plans.Find(shape); }
  Plan& NewPlan(uint64_t shape, std::vector<RuleOutcome>& outcomes) {
    Plan& p = plans.Claim(shape);  // the oldest shape's plan: its skips are counted first
    Flush(p, outcomes);
    p.run.clear();
    p.skip.clear();
    return p;
  }
  static void Flush(Plan& p, std::vector<RuleOutcome>& outcomes) {
    for (uint32_t k : p.skip) outcomes[k].counters.skipped += p.skipped_fields;
    p.skipped_fields = 0;
  }
  void FlushPlans(std::vector<RuleOutcome>& outcomes) {
    plans.ForEach([&](Plan& p) { Flush(p, outcomes); });
  }

  // JSON Lines shapes. The parser names the key list of a flat record
  // (Record::shape): its shape id is looked up by that name. Other records are
  // looked up by a hash of their keys, checked against the keys kept.
  eval::ShapeCache<uint64_t> shape_of_parser_shape;
  struct KeyList {
    std::vector<std::string> keys;
    uint64_t id = 0;
  };
  eval::ShapeCache<KeyList> shape_of_keys;

  static uint64_t HashKeys(std::span<const MapEntry> map) {
    uint64_t h = 1469598103934665603ull;  // FNV-1a over the keys, each ended by a 0 byte
    for (const MapEntry& e : map) {
      for (char c : e.key) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
      h *= 1099511628211ull;
    }
    return h | 1;  // never 0: shape 0 means "no shape"
  }
  static bool SameKeys(const std::vector<std::string>& keys, std::span<const MapEntry> map) {
    if (keys.size() != map.size()) return false;
    for (size_t i = 0; i < map.size(); ++i)
      if (map[i].key != keys[i]) return false;
    return true;
  }

  // The shape of `row`, the typed row of `record`: every CSV row has the input's;
  // a JSON Lines row has the id of a recent row with the same keys in the same
  // order, or a new one.
  uint64_t ShapeOf(const Value& row, uint64_t csv_shape) {
    if (csv_shape != 0) return csv_shape;
    if (record.shape != 0) {
      if (const uint64_t* id = shape_of_parser_shape.Find(record.shape)) return *id;
      uint64_t& id = shape_of_parser_shape.Claim(record.shape);
      id = NewRecordShape();
      return id;
    }
    auto map = row.as_map();
    const uint64_t hash = HashKeys(map);
    if (const KeyList* known = shape_of_keys.Find(hash)) {
      if (SameKeys(known->keys, map)) return known->id;
      shape_of_keys.Forget(hash);  // another key list with the same hash: replaced
    }
    KeyList& fresh = shape_of_keys.Claim(hash);
    fresh.keys.assign(map.size(), std::string());
    for (size_t i = 0; i < map.size(); ++i) fresh.keys[i] = map[i].key;
    fresh.id = NewRecordShape();
    return fresh.id;
  }
};

class RecordPipeline {
 public:
  RecordPipeline(const RuleList& rules, const InputPlan& plan, const Settings& settings,
                 InputResult& result)
      : display_(plan.display),
        settings_(settings),
        result_(result),
        schema_(plan.schema),
        rules_(rules) {
    options_.format = plan.format;
    options_.delimiter = plan.delimiter;
    options_.chunk_bytes = kChunkBytes;
    info_.display_file = plan.display;
    info_.foreign_files = settings.foreign_files;
    foreign_id_ = plan.foreign_id;
    rel_ = RelativeToRoot(plan.display, settings.repo_root);
    limit_ = settings.RecordLimit();
    totals_.resize(rules_.size() + 1);
    for (RuleOutcome& o : totals_) o.limit = limit_;
    position_ = plan.position;
    own_sets_.resize(rules_.size());
    unique_sets_.resize(rules_.size(), nullptr);
    // Only a run that decides `unique` holds key sets: building an index or
    // writing keys down (a task of a split run) fills none, and reserves none.
    deciding_ = settings.index_build == nullptr && settings.unique_log == nullptr;
    for (size_t k = 0; k < rules_.size(); ++k) {
      if (!rules_[k]->is_unique || !deciding_) continue;
      const bool shared = settings.unique_sets != nullptr && schema_ != nullptr;
      unique_sets_[k] = shared ? &settings.unique_sets->Shared(rules_[k], schema_) : &own_sets_[k];
    }
    listed_full_ = std::make_unique<std::atomic<bool>[]>(rules_.size() + 1);
  }

  // A CSV, TSV or JSON Lines input, read in chunks.
  void RunStream(const Input& input) {
    reader_ = load::OpenRecords(input.path, options_, input.text, input.range);
    if (reader_->error()) {
      Problem(*reader_->error());
      return;
    }
    input_bytes_ = input.text ? input.text->size() : FileSize(input.path);
    const load::CsvHeader* header =
        options_.format == load::RecordFormat::kCsv ? &reader_->header() : nullptr;
    if (header) CheckHeader(*header);
    if (header) csv_shape_ = eval::NewRecordShape();
    unique_keys_ = header == nullptr || !header->duplicate_names;
    Start(header, std::max(1u, settings_.jobs));
    Pipeline([this](Batch& b) { return reader_->Next(b.chunk); });
    if (!stopped_ && reader_->error()) Problem(*reader_->error());
    Finish(1);
  }

  // A record list in memory: the one-chunk case, checked by one worker.
  void RunList(const Value& list, const InputInfo& info) {
    info_ = info;
    unique_keys_ = true;  // JSON and YAML objects never repeat a key
    Start(nullptr, 1);
    bool given = false;
    Pipeline([&](Batch& b) {
      if (given) return false;
      given = true;
      b.list = &list;
      return true;
    });
    Finish(list.loc().line ? list.loc().line : 1);
  }

 private:
  static uint64_t FileSize(const std::string& path) {
    std::error_code ec;
    const uint64_t size = std::filesystem::file_size(path, ec);
    return ec ? 0 : size;
  }

  void Start(const load::CsvHeader* header, unsigned jobs) {
    for (unsigned t = 0; t < jobs; ++t)
      workers_.push_back(std::make_unique<Worker>(options_, header, display_, schema_));
    merger_ = std::make_unique<Worker>(options_, header, display_, schema_);
    for (auto& w : workers_) w->runner.evaluator().SetIndexes(settings_.indexes);
    merger_->runner.evaluator().SetIndexes(settings_.indexes);
    for (const CompiledRule* rule : rules_)
      dormant_.push_back(settings_.dormant_rules &&
                         !merger_->runner.InputPrefixHolds(*rule, info_));
  }

  // The workers take batches in file order from a window that this thread
  // keeps filled by calling `next`, and check them in parallel; this thread
  // merges the finished ones in file order (counts, listed findings,
  // `unique`), so the output does not depend on timing.
  template <class NextFn>
  void Pipeline(NextFn&& next) {
    std::vector<std::unique_ptr<Worker>>& workers = workers_;
    struct Slot {
      Batch batch;
      ChunkResult result;
      bool done = false;
    };
    const size_t window_size = workers.size() * kChunksPerWorker;
    std::deque<Slot> window;  // window.front() is chunk number `base`
    size_t base = 0;
    size_t next_take = 0;  // the next chunk a worker takes
    bool no_more = false;  // the reader is done, or stopped
    std::mutex mu;
    std::condition_variable work_ready, chunk_done;
    auto work = [&](Worker& w) {
      std::unique_lock lock(mu);
      for (;;) {
        work_ready.wait(lock, [&] { return next_take < base + window.size() || no_more; });
        if (next_take >= base + window.size()) return;  // no_more, nothing left
        Slot& slot = window[next_take - base];          // deque: stays put while others come and go
        ++next_take;
        lock.unlock();
        Process(w, slot.batch, slot.result);
        lock.lock();
        slot.done = true;
        chunk_done.notify_one();
      }
    };
    std::vector<std::thread> threads;
    for (auto& w : workers) threads.emplace_back(work, std::ref(*w));
    for (;;) {
      // Keep the window full: read outside the lock, publish under it.
      bool reading = true;
      while (reading) {
        {
          std::lock_guard lock(mu);
          reading = !no_more && window.size() < window_size;
        }
        if (!reading) break;
        Batch batch;
        batch.chunk = SpareChunk();
        const bool got = next(batch);
        std::lock_guard lock(mu);
        if (got) {
          window.push_back(Slot{std::move(batch), ChunkResult(), false});
        } else {
          no_more = true;
        }
        work_ready.notify_all();
      }
      std::unique_lock lock(mu);
      if (window.empty()) break;
      chunk_done.wait(lock, [&] { return window.front().done; });
      // Merged where it stands: the result's keys and findings view the chunk's
      // text, and moving a short text (held inside the string) would move its
      // bytes. Only this thread adds or removes slots; workers hold others.
      Slot& slot = window.front();
      lock.unlock();
      Merge(slot.result, slot.batch.chunk.text.size());
      std::optional<load::InputError> error = std::move(slot.result.error);
      spare_.push_back(std::move(slot.batch.chunk));  // merged: its buffer takes later bytes
      lock.lock();
      window.pop_front();
      ++base;
      lock.unlock();
      if (error) {
        Problem(*error);
        stopped_ = true;  // records after an input error are not reported
        break;
      }
    }
    {
      std::lock_guard lock(mu);
      no_more = true;
      next_take = base + window.size();  // what is left is not checked
    }
    work_ready.notify_all();
    for (std::thread& t : threads) t.join();
  }

  load::RecordChunk SpareChunk() {
    load::RecordChunk c;
    if (!spare_.empty()) {
      c = std::move(spare_.back());  // its capacity, already paged in, is reused
      spare_.pop_back();
    }
    return c;
  }

  void Problem(const load::InputError& e) {
    result_.problems.push_back(
        {e.file.empty() ? display_ : e.file, e.line, e.column, e.message, false, NameOf(e.code)});
  }

  void CheckHeader(const load::CsvHeader& header) {
    RuleOutcome& schema = totals_.back();
    auto add = [&](uint32_t column, std::string message) {
      ++schema.counters.failed;
      if (schema.counters.listed >= limit_) return;
      ++schema.counters.listed;
      Value at;
      Loc loc;
      loc.line = 1;
      loc.column = column ? column : 1;
      at.set_loc(loc);
      PendingFinding p = SchemaFinding(display_, at, 1, {}, std::move(message), Value());
      schema.findings.push_back(std::move(p));
    };
    for (const load::RecordIssue& issue : header.issues) add(issue.column, issue.message);
    if (schema_ == nullptr) return;
    for (const SchemaField& f : schema_->fields) {
      // A field is present under its name or any of its other column names.
      auto in_header = [&](const std::string& name) {
        return std::find(header.names.begin(), header.names.end(), name) != header.names.end();
      };
      bool present =
          in_header(f.name) || std::any_of(f.aliases.begin(), f.aliases.end(), in_header);
      if (!present && f.required)
        add(1, fmt::format("required column '{}' of schema {} is missing from the header", f.name,
                           schema_->name));
    }
  }

  // Evaluates one record with `w`; unique keys go to `sink`.
  template <class KeyFn>
  void Evaluate(Worker& w, std::vector<RuleOutcome>& outcomes, KeyFn&& on_unique) {
    load::Record& rec = w.record;
    RuleOutcome& schema = outcomes.back();
    ++schema.counters.evaluated;
    auto issue = [&](const Value& at, std::string message) {
      ++schema.counters.failed;
      if (schema.counters.listed >= schema.limit) return;
      ++schema.counters.listed;
      schema.findings.push_back(
          SchemaFinding(display_, at, rec.line, rec.text, std::move(message), rec.row));
    };
    for (const load::RecordIssue& i : rec.issues) {
      Value at;
      Loc loc;
      loc.line = i.line ? i.line : rec.line;
      loc.column = i.column ? i.column : 1;
      at.set_loc(loc);
      issue(at, i.message);
    }
    Value row = w.typer.Type(rec, w.scratch, issue);
    RecordInfo info{rec.line, row, rec.text, w.ShapeOf(row, csv_shape_), unique_keys_};
    w.runner.Begin(row, w.typer.typed(), &info, info_);
    // The rules that cannot apply to this shape are known after its first record.
    const bool plans = settings_.shape_plans && info.shape != 0;
    Worker::Plan* plan = plans ? w.PlanOf(info.shape) : nullptr;
    auto run = [&](size_t k, bool applies) {
      const CompiledRule& rule = *rules_[k];
      if (rule.is_unique) {
        Runner::KeySink sink = [&](const Value& key, Runner&) { on_unique(k, key); };
        w.runner.RunRule(rule, outcomes[k], &sink, applies);
      } else if (rule.is_grouped()) {
        w.runner.SetGroupSink(&w.group_sinks[k]);
        w.runner.RunRule(rule, outcomes[k], nullptr, applies);
        w.runner.SetGroupSink(nullptr);
      } else {
        w.runner.RunRule(rule, outcomes[k], nullptr, applies);
      }
    };
    if (plan != nullptr) {
      for (uint32_t k : plan->run) run(k, true);
      plan->skipped_fields += row.as_map().size();  // as RunRule would count
      return;
    }
    for (size_t k = 0; k < rules_.size(); ++k)
      if (!dormant_[k]) run(k, false);
    if (!plans) return;
    Worker::Plan& fresh = w.NewPlan(info.shape, outcomes);
    for (size_t k = 0; k < rules_.size(); ++k) {
      if (dormant_[k]) continue;
      (w.runner.SkipsEveryField(*rules_[k]) ? fresh.skip : fresh.run)
          .push_back(static_cast<uint32_t>(k));
    }
  }

  // The record `item` of a list, as a parser would give it: its line, and
  // that line's text for snippets.
  void ListRecord(const Value& item, load::Record& rec) const {
    rec.line = item.loc().line;
    rec.row = item;
    rec.text = info_.lines ? info_.lines->Line(info_.text, rec.line) : std::string_view();
    rec.issues.clear();
    rec.shape = 0;
  }

  void Process(Worker& w, const Batch& batch, ChunkResult& out) {
    w.runner.ForgetLines();  // the previous chunk's text may be gone or reused
    out.outcomes.resize(rules_.size() + 1);
    // A rule whose list is full already lists nothing from this chunk, which
    // comes later in the file: its failures are only counted.
    for (size_t k = 0; k < out.outcomes.size(); ++k)
      out.outcomes[k].limit = listed_full_[k].load(std::memory_order_relaxed) ? 0 : limit_;
    // Grouped rules: this chunk's groups, merged in file order later.
    out.groups.resize(rules_.size());
    w.group_sinks.resize(rules_.size());
    for (size_t k = 0; k < rules_.size(); ++k) {
      if (!rules_[k]->is_grouped()) continue;
      out.groups[k] = std::make_unique<eval::GroupTable>(rules_[k], rules_[k]->max_groups);
      eval::GroupTable* table = out.groups[k].get();
      const uint16_t file = foreign_id_;
      w.group_sinks[k] = [table, file, &w](std::span<const Value> keys,
                                           std::span<const Value> args) {
        table->Add(keys, args, file, w.record.line);
      };
    }
    const Value* item = nullptr;
    auto on_unique = [&](size_t k, const Value& key) {
      UniqueEntry e;
      e.rule = static_cast<uint32_t>(k);
      e.key_offset = static_cast<uint32_t>(out.keys.size());
      UniqueKeyBytes(*rules_[k], key, w.runner, out.keys);
      e.key_size = static_cast<uint32_t>(out.keys.size() - e.key_offset);
      e.hash = KeySet::HashOf(std::string_view(out.keys.data() + e.key_offset, e.key_size));
      e.line = w.record.line;
      e.text = w.record.text;
      e.offset = item != nullptr
                     ? 0
                     : batch.chunk.offset +
                           static_cast<uint64_t>(w.record.text.data() - batch.chunk.text.data());
      e.item = item;
      out.unique.push_back(e);
    };
    uint64_t records = 0;
    std::optional<load::InputError> error;
    if (batch.list != nullptr) {
      for (const Value& it : batch.list->as_list()) {
        w.scratch.Reset();
        if (!it.is(Type::kMap)) {
          AddRecordProblem(
              out, {display_, it.loc().line, it.loc().column, "a record must be an object", false});
          continue;
        }
        item = &it;
        ListRecord(it, w.record);
        ++records;
        Evaluate(w, out.outcomes, on_unique);
      }
    } else {
      w.parser.Reset(&batch.chunk);
      for (;;) {
        w.scratch.Reset();
        if (!w.parser.Next(w.record, w.scratch, error)) break;
        if (const auto& bad = w.record.bad) {
          AddRecordProblem(
              out, {display_, bad->line, bad->column, bad->message, false, NameOf(bad->code)});
          continue;
        }
        ++records;
        Evaluate(w, out.outcomes, on_unique);
      }
    }
    w.FlushPlans(out.outcomes);
    // On the workers, chunk by chunk: a listed finding keeps 16 hex digits
    // until the end of the input, not its record's canonical JSON.
    for (RuleOutcome& o : out.outcomes)
      for (PendingFinding& p : o.findings) FingerprintNow(p, rel_);
    for (size_t k = 0; k < rules_.size(); ++k)
      if (dormant_[k]) out.outcomes[k].counters.skipped += records;  // a skip per record
    out.error = std::move(error);
  }

  // Sizes the key sets once, for as many keys per byte in the whole input as
  // in its first chunk with keys: a million keys no longer rehash 20 times.
  void SizeKeySets(const ChunkResult& r, size_t chunk_bytes) {
    unique_sized_ = true;
    const uint64_t input_bytes = input_bytes_;
    if (chunk_bytes == 0 || input_bytes <= chunk_bytes) return;
    std::vector<uint64_t> keys(rules_.size(), 0);
    for (const UniqueEntry& e : r.unique) ++keys[e.rule];
    for (size_t k = 0; k < rules_.size(); ++k) {
      if (unique_sets_[k] == nullptr) continue;
      const double per_byte = static_cast<double>(keys[k]) / static_cast<double>(chunk_bytes);
      const double expected = per_byte * static_cast<double>(input_bytes);
      // A data set's set already holds the earlier files' keys: room for more.
      unique_sets_[k]->keys.Reserve(unique_sets_[k]->keys.size() +
                                    static_cast<uint64_t>(std::min(expected, kMaxReservedKeys)));
    }
  }

  void Merge(ChunkResult& r, size_t chunk_bytes) {
    if (!unique_sized_ && !r.unique.empty()) SizeKeySets(r, chunk_bytes);
    for (size_t k = 0; k < r.outcomes.size(); ++k) {
      MergeOutcome(r.outcomes[k], totals_[k], limit_);
      if (totals_[k].counters.listed >= limit_)
        listed_full_[k].store(true, std::memory_order_relaxed);
    }
    for (size_t k = 0; k < r.groups.size(); ++k)
      if (r.groups[k]) GroupsOf(result_.groups, rules_[k]).Merge(*r.groups[k]);
    for (policy::Problem& p : r.problems) {
      if (listed_problems_ < kMaxListedProblems) {
        ++listed_problems_;
        result_.problems.push_back(std::move(p));
      } else {
        ++unlisted_problems_;
      }
    }
    unlisted_problems_ += r.unlisted_problems;
    // Each insertion misses the cache once: ask for the slot a few keys ahead.
    constexpr size_t kAhead = 8;
    auto prefetch = [&](size_t i) {
      if (deciding_) unique_sets_[r.unique[i].rule]->keys.Prefetch(r.unique[i].hash);
    };
    for (size_t i = 0; i < r.unique.size() && i < kAhead; ++i) prefetch(i);
    for (size_t i = 0; i < r.unique.size(); ++i) {
      const UniqueEntry& e = r.unique[i];
      if (i + kAhead < r.unique.size()) prefetch(i + kAhead);
      std::string_view key(r.keys.data() + e.key_offset, e.key_size);
      if (settings_.index_build != nullptr) {
        IndexKey(e, key);
        continue;
      }
      if (settings_.unique_log != nullptr) {
        LogKey(e, key);
        continue;
      }
      UniqueSet& set = *unique_sets_[e.rule];
      if (set.keys.size() >= kMaxUniqueKeys) {
        if (!set.overflowed) ReportUniqueOverflow(set, e.rule, e.line);
        continue;
      }
      std::optional<KeySet::Place> first = set.keys.Insert(key, {e.line, position_}, e.hash);
      if (first) Repeat(e, key, FirstPlace(*first));
    }
  }

 public:
  // CheckUniqueRepeats: the repeats of keys first seen in other tasks.
  void RunRepeats(const Input& input, const std::vector<UniqueRepeat>& repeats) {
    reader_ = load::OpenRecords(input.path, options_, input.text, std::nullopt);  // the header
    if (reader_->error()) {
      Problem(*reader_->error());
      return;
    }
    const load::CsvHeader* header =
        options_.format == load::RecordFormat::kCsv ? &reader_->header() : nullptr;
    if (header) csv_shape_ = eval::NewRecordShape();
    Start(header, 1);
    std::ifstream file;
    if (!input.text) file.open(input.path, std::ios::binary);
    std::string text;
    for (const UniqueRepeat& r : repeats) {
      auto rule = std::find_if(rules_.begin(), rules_.end(), [&](const CompiledRule* c) {
        return c->is_unique && c->info.id == r.rule;
      });
      if (rule == rules_.end()) continue;  // not selected here: nothing to say
      // A record is never longer than the reader allows: a log that says so is not ours.
      const bool plausible = r.length <= options_.limits.max_line_length;
      bool read = false;
      if (plausible && input.text) {
        read = r.offset <= input.text->size() && r.length <= input.text->size() - r.offset;
        if (read) text = input.text->substr(r.offset, r.length);
      } else if (plausible && file) {
        text.assign(r.length, '\0');
        file.seekg(static_cast<std::streamoff>(r.offset));
        read = static_cast<bool>(file.read(text.data(), r.length));
        file.clear();
      }
      if (!read) {
        Problem(load::InputError(DiagCode::kInputUnreadable,
                                 fmt::format("cannot read the record at byte {} again (changed "
                                             "since it was checked?)",
                                             r.offset),
                                 display_, r.line, 1));
        continue;
      }
      UniqueEntry e{};
      e.rule = static_cast<uint32_t>(rule - rules_.begin());
      e.line = r.line;
      e.text = text;
      e.offset = r.offset;
      Repeat(e, r.key,
             r.first_file == display_ ? fmt::format("line {}", r.first_line)
                                      : fmt::format("{}:{}", r.first_file, r.first_line));
    }
    Finish(1);
  }

 private:
  // "line N" for a place in this input, "FILE:N" in an earlier one.
  std::string FirstPlace(KeySet::Place first) const {
    const std::vector<std::string>* names = settings_.foreign_files;
    if (first.input == position_ || names == nullptr || first.input >= names->size())
      return fmt::format("line {}", first.line);
    return fmt::format("{}:{}", (*names)[first.input], first.line);
  }

  // A key seen before at `where`: a failure, listed while the rule has room.
  void Repeat(const UniqueEntry& e, std::string_view key, const std::string& where) {
    RuleOutcome& total = totals_[e.rule];
    ++total.counters.failed;
    if (total.counters.listed >= limit_) return;
    ++total.counters.listed;
    DuplicateFinding(e, key, where, total);
  }

  // A run split into tasks: the key goes to the log with its record's place.
  void LogKey(const UniqueEntry& e, std::string_view key) {
    if (e.item != nullptr) {
      // A record list has no bytes to find its record by again: said once.
      if (!list_refused_)
        Problem(load::InputError(DiagCode::kInputNotPartitionable,
                                 std::string(InfoOf(DiagCode::kInputNotPartitionable).form),
                                 display_, e.line, 1));
      list_refused_ = true;
      return;
    }
    UniqueLogWriter& log = *settings_.unique_log;
    if (log_ids_.empty()) {  // this input's strings, interned once
      log_ids_.resize(rules_.size() + 2);
      for (size_t k = 0; k < rules_.size(); ++k) log_ids_[k] = log.Intern(rules_[k]->info.id);
      log_ids_[rules_.size()] = log.Intern(schema_ != nullptr ? schema_->name : "");
      log_ids_[rules_.size() + 1] = log.Intern(display_);
    }
    run::UniqueLogEntry entry;
    entry.line = e.line;
    entry.offset = e.offset;
    entry.length = static_cast<uint32_t>(e.text.size());
    entry.key = key;
    log.Add(log_ids_[e.rule], log_ids_[rules_.size()], log_ids_[rules_.size() + 1], entry);
  }

  void ReportUniqueOverflow(UniqueSet& set, uint32_t rule, uint32_t line) {
    set.overflowed = true;
    RuleOutcome& total = totals_[rule];
    ++total.counters.errors;
    // Listed within --max-findings like every evaluation error, else counted only.
    if (total.counters.listed >= limit_) return;
    ++total.counters.listed;
    PendingFinding p;
    p.finding.rule = rules_[rule]->info.id;
    p.finding.kind = FindingKind::kEvaluationError;
    p.finding.severity = Severity::kError;
    p.finding.file = display_;
    p.finding.line = line;
    p.finding.column = 1;
    p.finding.message = fmt::format(
        "evaluation error ({}): more than {} distinct keys; `unique` stops tracking here",
        NameOf(DiagCode::kLimitUniqueKeys), kMaxUniqueKeys);
    p.fingerprint_text = NameOf(DiagCode::kLimitUniqueKeys);
    total.findings.push_back(std::move(p));
  }

  // Re-reads the record of `e` from its raw text and runs its rule again;
  // `on_match(key, runner)` is called for the binding whose key is `key`.
  template <class OnMatch>
  void ReRun(const UniqueEntry& e, std::string_view key, OnMatch&& on_match) {
    Worker& w = *merger_;
    w.scratch.Reset();
    w.runner.ForgetLines();   // `chunk` below is new text
    load::RecordChunk chunk;  // the record's values point into it
    if (e.item != nullptr) {
      ListRecord(*e.item, w.record);
    } else {
      chunk.text = std::string(e.text);
      chunk.first_line = e.line;
      w.parser.Reset(&chunk);
      std::optional<load::InputError> error;
      if (!w.parser.Next(w.record, w.scratch, error)) return;
    }
    std::vector<RuleOutcome> scratch_outcomes(rules_.size() + 1);
    const CompiledRule& rule = *rules_[e.rule];
    bool made = false;
    Value row = w.typer.Type(w.record, w.scratch, [](const Value&, const std::string&) {});
    RecordInfo info{w.record.line, row, w.record.text};
    Runner::KeySink sink = [&](const Value& k, Runner& runner) {
      if (made) return;
      std::string mine;
      UniqueKeyBytes(rule, k, runner, mine);
      if (mine != key) return;
      made = true;
      on_match(k, runner);
    };
    w.runner.Run(rule, row, w.typer.typed(), &info, info_, scratch_outcomes[e.rule], &sink);
  }

  // Builds one duplicate's finding, from its record read again; `where` is
  // the first place (FirstPlace).
  void DuplicateFinding(const UniqueEntry& e, std::string_view key, const std::string& where,
                        RuleOutcome& total) {
    const CompiledRule& rule = *rules_[e.rule];
    ReRun(e, key, [&](const Value& k, Runner& runner) {
      Value at = runner.LocatedAt(k);
      std::string message;
      if (rule.has_message) {
        message = runner.RenderMessage() + fmt::format(" (first at {})", where);
      } else {
        message = fmt::format("{}: {} {} was already seen at {}", rule.info.title,
                              rule.default_source, ToJson(k), where);
        if (rule.unique_within != nullptr)
          message +=
              fmt::format(" (within {} {})", rule.within_source, ToJson(runner.unique_scope()));
      }
      total.findings.push_back(runner.MakeFinding(FindingKind::kFinding, std::move(message), &at));
    });
  }

  // Building an index: a key of its rule. The record is read again only when
  // the index keeps entries (or to report a key seen twice).
  void IndexKey(const UniqueEntry& e, std::string_view key) {
    eval::IndexTable& table = *settings_.index_build;
    const eval::CompiledIndex& index = table.index();
    const bool keeps = index.read_whole || !index.fields.empty();
    if (!keeps && index.passes.on(eval::Pass::kHasOnlyIndexes)) {
      // Read by `has` only: the key is the whole entry. Read again only to
      // report a `keep first` key seen twice, or the limit.
      eval::IndexTable::Place first;
      if (table.size() < eval::IndexTable::kMaxEntries &&
          table.Add(key, Value(), foreign_id_, e.line, &first) == eval::IndexTable::Added::kNew)
        return;
      if (index.keep_all && table.size() < eval::IndexTable::kMaxEntries) return;
    }
    ReRun(e, key, [&](const Value& k, Runner& runner) {
      AddIndexEntry(table, k, runner.slot(index.entry_slot), foreign_id_, e.line, runner,
                    totals_[e.rule]);
    });
  }

  void Finish(uint32_t first_line) {
    if (unlisted_problems_ > 0)
      result_.problems.push_back(
          {display_, 0, 0,
           fmt::format("{} more records could not be read (not listed)", unlisted_problems_),
           false});
    for (size_t k = 0; k < rules_.size(); ++k) {
      FinishMostly(*rules_[k], info_, first_line, totals_[k]);
      Collect(rules_[k]->info.id, totals_[k], result_);
    }
    Collect(kSchemaRule, totals_.back(), result_);
  }

  static constexpr uint64_t kMaxUniqueKeys = 10'000'000;
  // Reserved up front at most (48 MB of slots); more grow as they come.
  static constexpr double kMaxReservedKeys = 4'000'000;
  // Small chunks, a window of several per worker: the workers never wait for one
  // another, and the chunks in flight stay a few MB.
  static constexpr size_t kChunkBytes = 128 * 1024;
  static constexpr unsigned kChunksPerWorker = 12;

  const std::string& display_;
  const Settings& settings_;
  InputResult& result_;
  load::ChunkOptions options_;
  const Schema* schema_ = nullptr;
  RuleList rules_;
  uint64_t input_bytes_ = 0;  // streams: for sizing the key sets
  std::vector<std::unique_ptr<Worker>> workers_;
  InputInfo info_;
  std::string rel_;          // the input's path as fingerprints name it
  uint16_t foreign_id_ = 0;  // InputPlan::foreign_id
  uint64_t limit_ = 100;
  size_t listed_problems_ = 0;      // records that could not be read, listed
  uint64_t unlisted_problems_ = 0;  // and counted past kMaxListedProblems
  std::vector<RuleOutcome> totals_;
  // Per rule: the key set a `unique` rule fills (shared by the inputs of a
  // data set, or this input's own in own_sets_); null for other rules.
  std::vector<UniqueSet*> unique_sets_;
  std::vector<UniqueSet> own_sets_;
  uint32_t position_ = 0;      // InputPlan::position
  bool list_refused_ = false;  // LogKey: a record list's keys cannot be logged
  bool deciding_ = true;       // unique_sets_ are filled (no index build, no key log)
  // LogKey: the key log's ids of each rule's id, then of the data set and the file.
  std::vector<uint32_t> log_ids_;
  bool unique_sized_ = false;
  std::unique_ptr<load::ChunkReader> reader_;
  std::unique_ptr<Worker> merger_;
  uint64_t csv_shape_ = 0;                // the shape of every row of a CSV input
  bool unique_keys_ = false;              // no column name repeats (JSON objects never repeat keys)
  std::vector<bool> dormant_;             // per rule: its input prefix is false here
  std::vector<load::RecordChunk> spare_;  // chunks merged, their buffers free for reuse
  // Per rule, then SCHEMA: the merged findings reached --max-findings (set by
  // this thread, read by the workers).
  std::unique_ptr<std::atomic<bool>[]> listed_full_;
  bool stopped_ = false;
};

}  // namespace

void CheckRecordStream(const RuleList& rules, const Input& input, const InputPlan& plan,
                       const Settings& settings, InputResult& result) {
  RecordPipeline(rules, plan, settings, result).RunStream(input);
}

void CheckUniqueRepeats(const RuleList& rules, const Input& input, const InputPlan& plan,
                        const Settings& settings, const std::vector<UniqueRepeat>& repeats,
                        InputResult& result) {
  RecordPipeline(rules, plan, settings, result).RunRepeats(input, repeats);
}

void CheckRecordList(const RuleList& rules, const InputPlan& plan, const Value& list,
                     const InputInfo& info, const Settings& settings, InputResult& result) {
  RecordPipeline(rules, plan, settings, result).RunList(list, info);
}

}  // namespace policy::run
