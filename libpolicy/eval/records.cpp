// Record inputs: schema binding and typing, chunked parallel evaluation with
// findings merged back in file order, `unique` across the whole input.
//
// Workers evaluate every per-record rule on their chunk and list at most
// --max-findings failures per rule (the first N of the input are among the first
// N of each chunk). `unique` keys are collected per chunk and decided in file
// order by the merging thread; the few duplicate records are re-parsed from
// their raw text to build their findings, so nothing per record is kept.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "libpolicy/eval/check_input.h"
#include "libpolicy/eval/key_set.h"
#include "libpolicy/eval/record_typer.h"
#include "libpolicy/load/loaders.h"

namespace policy::eval {
namespace {

constexpr const char* kSchemaRule = "SCHEMA";

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The rules that apply to this input (untyped ones and those of its schema).
std::vector<const CompiledRule*> RulesFor(const ActiveRules& rules, const Schema* schema) {
  std::vector<const CompiledRule*> out;
  for (const CompiledRule* r : rules.records)
    if (r->schema == nullptr || r->schema == schema) out.push_back(r);
  return out;
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
  f.source_line = std::string(text.substr(0, text.find('\n')));
  if (!f.source_line.empty() && f.source_line.back() == '\r') f.source_line.pop_back();
  p.fingerprint_text = ToJson(row) + '\0' + f.message;
  return p;
}

struct UniqueEntry {
  uint32_t rule;        // index into the input's rules
  uint32_t key_offset;  // into ChunkResult::keys
  uint32_t key_size;
  uint32_t line;
  std::string_view text;  // the record's raw bytes (alive until its chunk is merged)
  uint64_t hash;          // KeySet::HashOf(key), computed by the worker
};

struct ChunkResult {
  std::vector<RuleOutcome> outcomes;  // per rule, then SCHEMA last
  std::vector<UniqueEntry> unique;
  std::string keys;
  std::optional<load::InputError> error;
};

void AppendKey(const Value& key, std::string& out) {
  if (key.is(Type::kString)) {
    out += 's';
    out += key.as_string();
  } else {
    out += 'j';
    RenderJson(key, out);
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
  // JSON Lines: the key lists of recent records and their shape ids, the most
  // recent first (records that leave out empty fields alternate between a few).
  struct Shape {
    std::vector<std::string> keys;
    uint64_t id = 0;
  };
  std::vector<Shape> shapes;
  static constexpr size_t kShapes = 8;
  // For recent record shapes: the rules to run on a record of the shape, and
  // those that skip every field of it (Runner::SkipsEveryField), so later
  // records of the shape (every CSV row; JSON Lines records alternate between
  // a few) need no call, nor a test, for them. Their skips are counted per
  // shape and added to the outcomes at the end of the chunk (Flush).
  struct Plan {
    uint64_t shape = 0;
    std::vector<uint32_t> run;
    std::vector<uint32_t> skip;
    uint64_t skipped_fields = 0;  // since the last Flush: per skipping rule
  };
  std::vector<Plan> plans = std::vector<Plan>(kShapes);
  size_t next_plan = 0;
  Plan* PlanOf(uint64_t shape) {
    for (Plan& p : plans)
      if (p.shape == shape) return &p;
    return nullptr;
  }
  Plan& NewPlan(uint64_t shape, std::vector<RuleOutcome>& outcomes) {
    Plan& p = plans[next_plan];
    next_plan = (next_plan + 1) % plans.size();
    Flush(p, outcomes);
    p.shape = shape;
    p.run.clear();
    p.skip.clear();
    return p;
  }
  static void Flush(Plan& p, std::vector<RuleOutcome>& outcomes) {
    for (uint32_t k : p.skip) outcomes[k].counters.skipped += p.skipped_fields;
    p.skipped_fields = 0;
  }
  void FlushPlans(std::vector<RuleOutcome>& outcomes) {
    for (Plan& p : plans) Flush(p, outcomes);
  }
  // The ids given to the parser's recent shapes (Record::shape), most recent first.
  std::vector<std::pair<uint64_t, uint64_t>> parser_shapes;

  // The shape of `row`, the typed row of `record`: every CSV row has the input's;
  // a JSON Lines row has the id of a recent row with the same keys in the same
  // order, or a new one.
  uint64_t ShapeOf(const Value& row, uint64_t csv_shape) {
    if (csv_shape != 0) return csv_shape;
    if (record.shape != 0) {
      // The parser knows the key list: no need to compare the keys.
      for (size_t s = 0; s < parser_shapes.size(); ++s) {
        if (parser_shapes[s].first != record.shape) continue;
        if (s != 0) std::swap(parser_shapes[s], parser_shapes[0]);
        return parser_shapes[0].second;
      }
      if (parser_shapes.size() < kShapes) parser_shapes.emplace_back();
      parser_shapes.back() = {record.shape, NewRecordShape()};
      std::swap(parser_shapes.back(), parser_shapes[0]);
      return parser_shapes[0].second;
    }
    auto map = row.as_map();
    for (size_t s = 0; s < shapes.size(); ++s) {
      const std::vector<std::string>& keys = shapes[s].keys;
      bool same = map.size() == keys.size();
      for (size_t i = 0; same && i < map.size(); ++i) same = map[i].key == keys[i];
      if (!same) continue;
      if (s != 0) std::swap(shapes[s], shapes[0]);
      return shapes[0].id;
    }
    if (shapes.size() < kShapes) shapes.emplace_back();
    Shape& fresh = shapes.back();
    fresh.keys.assign(map.size(), std::string());
    for (size_t i = 0; i < map.size(); ++i) fresh.keys[i] = map[i].key;
    fresh.id = NewRecordShape();
    std::swap(fresh, shapes[0]);
    return shapes[0].id;
  }
};

class StreamChecker {
 public:
  StreamChecker(const Program& program, const ActiveRules& rules, const Input& input,
                const std::string& display, const Settings& settings, InputResult& result)
      : input_(input), display_(display), settings_(settings), result_(result) {
    std::string lower = Lower(input.path);
    RecordFormat format = input.format;
    if (format == RecordFormat::kAuto) {
      format = EndsWith(lower, ".jsonl") || EndsWith(lower, ".ndjson") ? RecordFormat::kJsonLines
               : EndsWith(lower, ".tsv")                               ? RecordFormat::kTsv
                                                                       : RecordFormat::kCsv;
    }
    options_.format = format == RecordFormat::kJsonLines ? load::RecordFormat::kJsonLines
                                                         : load::RecordFormat::kCsv;
    options_.delimiter = input.delimiter                ? input.delimiter
                         : format == RecordFormat::kTsv ? '\t'
                                                        : ',';
    options_.chunk_bytes = kChunkBytes;
    schema_ = BindSchema(program, input);
    rules_ = RulesFor(rules, schema_);
    info_.display_file = display;
    limit_ = settings.max_findings
                 ? (*settings.max_findings == 0 ? UINT64_MAX : *settings.max_findings)
                 : 100;
    totals_.resize(rules_.size() + 1);
    for (RuleOutcome& o : totals_) o.limit = limit_;
    keysets_.resize(rules_.size());
    listed_full_ = std::make_unique<std::atomic<bool>[]>(rules_.size() + 1);
  }

  void Run() {
    reader_ = load::OpenRecords(input_.path, options_, input_.text);
    if (reader_->error()) {
      Problem(*reader_->error());
      return;
    }
    const load::CsvHeader* header =
        options_.format == load::RecordFormat::kCsv ? &reader_->header() : nullptr;
    if (header) CheckHeader(*header);
    unsigned jobs = std::max(1u, settings_.jobs);
    std::vector<std::unique_ptr<Worker>> workers;
    for (unsigned t = 0; t < jobs; ++t)
      workers.push_back(std::make_unique<Worker>(options_, header, display_, schema_));
    merger_ = std::make_unique<Worker>(options_, header, display_, schema_);
    if (header) csv_shape_ = NewRecordShape();
    unique_keys_ = header == nullptr || !header->duplicate_names;
    for (const CompiledRule* rule : rules_)
      dormant_.push_back(!merger_->runner.InputPrefixHolds(*rule, info_));

    Pipeline(workers);
    if (!stopped_ && reader_->error()) Problem(*reader_->error());
    Finish();
  }

 private:
  // The workers take chunks in file order from a window that this thread keeps
  // filled, and check them in parallel; this thread merges the finished ones
  // in file order (counts, listed findings, `unique`), so the output does not
  // depend on timing.
  void Pipeline(std::vector<std::unique_ptr<Worker>>& workers) {
    struct Slot {
      load::RecordChunk chunk;
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
        Process(w, slot.chunk, slot.result);
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
        load::RecordChunk chunk = SpareChunk();
        const bool got = reader_->Next(chunk);
        std::lock_guard lock(mu);
        if (got) {
          window.push_back(Slot{std::move(chunk), ChunkResult(), false});
        } else {
          no_more = true;
        }
        work_ready.notify_all();
      }
      std::unique_lock lock(mu);
      if (window.empty()) break;
      chunk_done.wait(lock, [&] { return window.front().done; });
      Slot slot = std::move(window.front());
      window.pop_front();
      ++base;
      lock.unlock();
      Merge(slot.result, slot.chunk.text.size());
      spare_.push_back(std::move(slot.chunk));  // merged: its buffer takes later bytes
      if (slot.result.error) {
        Problem(*slot.result.error);
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
        {e.file.empty() ? display_ : e.file, e.line, e.column, e.message, false});
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
      bool present =
          std::find(header.names.begin(), header.names.end(), f.name) != header.names.end();
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
    Worker::Plan* plan = info.shape != 0 ? w.PlanOf(info.shape) : nullptr;
    auto run = [&](size_t k, bool applies) {
      const CompiledRule& rule = *rules_[k];
      if (rule.is_unique) {
        Runner::KeySink sink = [&](const Value& key, Runner&) { on_unique(k, key); };
        w.runner.RunRule(rule, outcomes[k], &sink, applies);
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
    if (info.shape == 0) return;
    Worker::Plan& fresh = w.NewPlan(info.shape, outcomes);
    for (size_t k = 0; k < rules_.size(); ++k) {
      if (dormant_[k]) continue;
      (w.runner.SkipsEveryField(*rules_[k]) ? fresh.skip : fresh.run)
          .push_back(static_cast<uint32_t>(k));
    }
  }

  void Process(Worker& w, const load::RecordChunk& chunk, ChunkResult& out) {
    out.outcomes.resize(rules_.size() + 1);
    // A rule whose list is full already lists nothing from this chunk, which
    // comes later in the file: its failures are only counted.
    for (size_t k = 0; k < out.outcomes.size(); ++k)
      out.outcomes[k].limit = listed_full_[k].load(std::memory_order_relaxed) ? 0 : limit_;
    w.parser.Reset(&chunk);
    std::optional<load::InputError> error;
    uint64_t records = 0;
    for (;;) {
      w.scratch.Reset();
      if (!w.parser.Next(w.record, w.scratch, error)) break;
      ++records;
      Evaluate(w, out.outcomes, [&](size_t k, const Value& key) {
        UniqueEntry e;
        e.rule = static_cast<uint32_t>(k);
        e.key_offset = static_cast<uint32_t>(out.keys.size());
        AppendKey(key, out.keys);
        e.key_size = static_cast<uint32_t>(out.keys.size() - e.key_offset);
        e.hash = KeySet::HashOf(std::string_view(out.keys.data() + e.key_offset, e.key_size));
        e.line = w.record.line;
        e.text = w.record.text;
        out.unique.push_back(e);
      });
    }
    w.FlushPlans(out.outcomes);
    for (size_t k = 0; k < rules_.size(); ++k)
      if (dormant_[k]) out.outcomes[k].counters.skipped += records;  // a skip per record
    out.error = std::move(error);
  }

  void MergeOutcome(RuleOutcome& from, RuleOutcome& into) {
    into.counters.evaluated += from.counters.evaluated;
    into.counters.skipped += from.counters.skipped;
    into.counters.failed += from.counters.failed;
    into.counters.errors += from.counters.errors;
    into.mostly_passed += from.mostly_passed;
    into.mostly_total += from.mostly_total;
    for (PendingFinding& f : from.findings) {
      if (into.counters.listed >= limit_) break;
      ++into.counters.listed;
      into.findings.push_back(std::move(f));
    }
  }

  // Sizes the key sets once, for as many keys per byte in the whole input as
  // in its first chunk with keys: a million keys no longer rehash 20 times.
  void SizeKeySets(const ChunkResult& r, size_t chunk_bytes) {
    unique_sized_ = true;
    std::error_code ec;
    const uint64_t input_bytes =
        input_.text ? input_.text->size() : std::filesystem::file_size(input_.path, ec);
    if (ec || chunk_bytes == 0 || input_bytes <= chunk_bytes) return;
    std::vector<uint64_t> keys(keysets_.size(), 0);
    for (const UniqueEntry& e : r.unique) ++keys[e.rule];
    for (size_t k = 0; k < keysets_.size(); ++k) {
      const double per_byte = static_cast<double>(keys[k]) / static_cast<double>(chunk_bytes);
      const double expected = per_byte * static_cast<double>(input_bytes);
      keysets_[k].Reserve(static_cast<uint64_t>(std::min(expected, kMaxReservedKeys)));
    }
  }

  void Merge(ChunkResult& r, size_t chunk_bytes) {
    if (!unique_sized_ && !r.unique.empty()) SizeKeySets(r, chunk_bytes);
    for (size_t k = 0; k < r.outcomes.size(); ++k) {
      MergeOutcome(r.outcomes[k], totals_[k]);
      if (totals_[k].counters.listed >= limit_)
        listed_full_[k].store(true, std::memory_order_relaxed);
    }
    // Each insertion misses the cache once: ask for the slot a few keys ahead.
    constexpr size_t kAhead = 8;
    for (size_t i = 0; i < r.unique.size() && i < kAhead; ++i)
      keysets_[r.unique[i].rule].Prefetch(r.unique[i].hash);
    for (size_t i = 0; i < r.unique.size(); ++i) {
      const UniqueEntry& e = r.unique[i];
      if (i + kAhead < r.unique.size())
        keysets_[r.unique[i + kAhead].rule].Prefetch(r.unique[i + kAhead].hash);
      std::string_view key(r.keys.data() + e.key_offset, e.key_size);
      KeySet& set = keysets_[e.rule];
      if (set.size() >= kMaxUniqueKeys) {
        if (!unique_overflow_[e.rule]) ReportUniqueOverflow(e.rule, e.line);
        continue;
      }
      std::optional<uint32_t> first = set.Insert(key, e.line, e.hash);
      if (!first) continue;
      RuleOutcome& total = totals_[e.rule];
      ++total.counters.failed;
      if (total.counters.listed >= limit_) continue;
      ++total.counters.listed;
      DuplicateFinding(e, key, *first, total);
    }
  }

  void ReportUniqueOverflow(uint32_t rule, uint32_t line) {
    unique_overflow_[rule] = true;
    RuleOutcome& total = totals_[rule];
    ++total.counters.errors;
    PendingFinding p;
    p.finding.rule = rules_[rule]->info.id;
    p.finding.kind = FindingKind::kEvaluationError;
    p.finding.severity = Severity::kError;
    p.finding.file = display_;
    p.finding.line = line;
    p.finding.column = 1;
    p.finding.message = fmt::format(
        "evaluation error (limit.unique_keys): more than {} distinct keys; "
        "`unique` stops tracking here",
        kMaxUniqueKeys);
    p.fingerprint_text = "limit.unique_keys";
    total.findings.push_back(std::move(p));
  }

  // Re-reads one duplicate record from its raw text to build its finding.
  void DuplicateFinding(const UniqueEntry& e, std::string_view key, uint32_t first_line,
                        RuleOutcome& total) {
    Worker& w = *merger_;
    load::RecordChunk chunk;
    chunk.text = std::string(e.text);
    chunk.first_line = e.line;
    w.parser.Reset(&chunk);
    w.scratch.Reset();
    std::optional<load::InputError> error;
    if (!w.parser.Next(w.record, w.scratch, error)) return;
    std::vector<RuleOutcome> scratch_outcomes(rules_.size() + 1);
    const CompiledRule& rule = *rules_[e.rule];
    bool made = false;
    Value row = w.typer.Type(w.record, w.scratch, [](const Value&, const std::string&) {});
    RecordInfo info{w.record.line, row, w.record.text};
    Runner::KeySink sink = [&](const Value& k, Runner& runner) {
      if (made) return;
      std::string mine;
      AppendKey(k, mine);
      if (mine != key) return;
      made = true;
      Value at = runner.LocatedAt(k);
      std::string message =
          rule.has_message ? runner.RenderMessage() + fmt::format(" (first at line {})", first_line)
                           : fmt::format("{}: {} {} was already seen at line {}", rule.info.title,
                                         rule.default_source, ToJson(k), first_line);
      total.findings.push_back(runner.MakeFinding(FindingKind::kFinding, std::move(message), &at));
    };
    w.runner.Run(rule, row, w.typer.typed(), &info, info_, scratch_outcomes[e.rule], &sink);
  }

  void Finish() {
    for (size_t k = 0; k < rules_.size(); ++k) {
      FinishMostly(*rules_[k], info_, 1, totals_[k]);
      Collect(*rules_[k], totals_[k], result_);
    }
    RuleOutcome& schema = totals_.back();
    RuleCounters& c = result_.by_rule[kSchemaRule];
    c.evaluated += schema.counters.evaluated;
    c.failed += schema.counters.failed;
    c.listed += schema.counters.listed;
    result_.truncated += schema.counters.failed - schema.counters.listed;
    for (PendingFinding& f : schema.findings) result_.findings.push_back(std::move(f));
  }

  static constexpr uint64_t kMaxUniqueKeys = 10'000'000;
  // Reserved up front at most (48 MB of slots); more grow as they come.
  static constexpr double kMaxReservedKeys = 4'000'000;
  // Small chunks, a window of several per worker: the workers never wait for one
  // another, and the chunks in flight stay a few MB.
  static constexpr size_t kChunkBytes = 128 * 1024;
  static constexpr unsigned kChunksPerWorker = 12;

  const Input& input_;
  const std::string& display_;
  const Settings& settings_;
  InputResult& result_;
  load::ChunkOptions options_;
  const Schema* schema_ = nullptr;
  std::vector<const CompiledRule*> rules_;
  InputInfo info_;
  uint64_t limit_ = 100;
  std::vector<RuleOutcome> totals_;
  std::vector<KeySet> keysets_;
  bool unique_sized_ = false;
  std::map<uint32_t, bool> unique_overflow_;
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

const Schema* BindSchema(const Program& program, const Input& input) {
  if (!input.schema.empty()) return program.FindSchema(input.schema);
  std::string stem = Lower(std::filesystem::path(input.path).stem().string());
  if (const Schema* s = program.FindSchema(stem)) return s;
  if (stem.size() > 1 && stem.back() == 's') {
    if (const Schema* s = program.FindSchema(stem.substr(0, stem.size() - 1))) return s;
    if (EndsWith(stem, "ies"))
      if (const Schema* s = program.FindSchema(stem.substr(0, stem.size() - 3) + "y")) return s;
  }
  return nullptr;
}

void FinishMostly(const CompiledRule& rule, const InputInfo& info, uint32_t first_line,
                  RuleOutcome& outcome) {
  if (!rule.mostly || outcome.mostly_total == 0) return;
  // passed / total < pct / 100  <=>  passed * 100 < pct * total, exactly.
  Decimal lhs = Decimal::FromInt(static_cast<int64_t>(outcome.mostly_passed) * 100);
  Decimal rhs;
  if (Decimal::Mul(*rule.mostly, Decimal::FromInt(static_cast<int64_t>(outcome.mostly_total)),
                   &rhs) != DecimalStatus::kOk)
    return;
  if (!(lhs < rhs)) return;
  ++outcome.counters.failed;
  ++outcome.counters.listed;
  outcome.findings.push_back(
      Runner::MostlyFinding(rule, info, outcome.mostly_passed, outcome.mostly_total, first_line));
}

void Collect(const CompiledRule& rule, RuleOutcome& outcome, InputResult& result) {
  RuleCounters& c = result.by_rule[rule.info.id];
  c.evaluated += outcome.counters.evaluated;
  c.skipped += outcome.counters.skipped;
  c.failed += outcome.counters.failed;
  c.errors += outcome.counters.errors;
  c.listed += outcome.counters.listed;
  result.truncated +=
      outcome.counters.failed - std::min(outcome.counters.failed, outcome.counters.listed);
  for (PendingFinding& f : outcome.findings) result.findings.push_back(std::move(f));
}

void CheckRecordStream(const Program& program, const ActiveRules& rules, const Input& input,
                       const std::string& display, const Settings& settings, InputResult& result) {
  StreamChecker checker(program, rules, input, display, settings, result);
  checker.Run();
}

void CheckRecordList(const Program& program, const ActiveRules& rules, const Input& input,
                     const std::string& display, const Value& list, const InputInfo& info,
                     const Settings& settings, InputResult& result) {
  const Schema* schema = BindSchema(program, input);
  std::vector<const CompiledRule*> rules_here = RulesFor(rules, schema);
  uint64_t limit = settings.max_findings
                       ? (*settings.max_findings == 0 ? UINT64_MAX : *settings.max_findings)
                       : 100;
  std::vector<RuleOutcome> outcomes(rules_here.size() + 1);
  for (RuleOutcome& o : outcomes) o.limit = limit;
  std::vector<KeySet> keysets(rules_here.size());
  Arena scratch;
  Runner runner(scratch);
  RecordTyper typer(schema, nullptr);
  RuleOutcome& schema_out = outcomes.back();
  for (const Value& item : list.as_list()) {
    scratch.Reset();
    uint32_t line = item.loc().line;
    std::string_view text = info.lines ? info.lines->Line(info.text, line) : std::string_view();
    if (!item.is(Type::kMap)) {
      result.problems.push_back(
          {display, line, item.loc().column, "a record must be an object", false});
      continue;
    }
    load::Record rec;
    rec.line = line;
    rec.row = item;
    rec.text = text;
    ++schema_out.counters.evaluated;
    auto issue = [&](const Value& at, std::string message) {
      ++schema_out.counters.failed;
      if (schema_out.counters.listed >= limit) return;
      ++schema_out.counters.listed;
      schema_out.findings.push_back(
          SchemaFinding(display, at, line, text, std::move(message), item));
    };
    Value row = typer.Type(rec, scratch, issue);
    RecordInfo rinfo{line, row, text};
    for (size_t k = 0; k < rules_here.size(); ++k) {
      const CompiledRule& rule = *rules_here[k];
      RuleOutcome& out = outcomes[k];
      Runner::KeySink sink = [&](const Value& key, Runner& r) {
        std::string canonical;
        AppendKey(key, canonical);
        std::optional<uint32_t> first = keysets[k].Insert(canonical, line);
        if (!first) return;
        ++out.counters.failed;
        if (out.counters.listed >= limit) return;
        ++out.counters.listed;
        Value at = r.LocatedAt(key);
        std::string message =
            rule.has_message ? r.RenderMessage() + fmt::format(" (first at line {})", *first)
                             : fmt::format("{}: {} {} was already seen at line {}", rule.info.title,
                                           rule.default_source, ToJson(key), *first);
        out.findings.push_back(r.MakeFinding(FindingKind::kFinding, std::move(message), &at));
      };
      runner.Run(rule, row, typer.typed(), &rinfo, info, out, rule.is_unique ? &sink : nullptr);
    }
  }
  for (size_t k = 0; k < rules_here.size(); ++k) {
    FinishMostly(*rules_here[k], info, list.loc().line ? list.loc().line : 1, outcomes[k]);
    Collect(*rules_here[k], outcomes[k], result);
  }
  RuleCounters& c = result.by_rule[kSchemaRule];
  c.evaluated += schema_out.counters.evaluated;
  c.failed += schema_out.counters.failed;
  c.listed += schema_out.counters.listed;
  result.truncated += schema_out.counters.failed - schema_out.counters.listed;
  for (PendingFinding& f : schema_out.findings) result.findings.push_back(std::move(f));
}

}  // namespace policy::eval
