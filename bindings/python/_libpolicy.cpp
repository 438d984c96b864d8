// libpolicy._libpolicy: the compiled half of the Python package. The public
// surface (Engine, CompileError, InputError) is the facade in libpolicy/__init__.py;
// this module compiles rules, runs checks with the GIL released, and converts
// results and in-memory rows.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "libpolicy/engine.h"
#include "libpolicy/partition.h"
#include "libpolicy/report.h"
#include "report_dict.h"

namespace py = pybind11;

namespace policy::python {
namespace {

// The name in-memory rows are checked under (written as JSON Lines).
constexpr std::string_view kRecordsName = "<records>";

struct PyFinding {
  std::string rule;
  std::string severity;  // "error", "warning", "info"
  std::string kind;      // "finding", "evaluation_error", "schema"
  std::string message;
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
  std::string path;
  std::string fingerprint;
  bool suppressed = false;
};

struct PyDiagnostic {
  std::string code;
  std::string severity;
  std::string message;
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
  std::string text;  // as policy-check prints it, with the caret line
};

struct PyProblem {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
  std::string message;
};

// The outcome of one check: findings and problems as Python objects, and the
// C++ report kept for the JSON reporter.
class PyReport {
 public:
  PyReport(Report report, std::shared_ptr<const std::vector<RuleInfo>> rules)
      : report_(std::move(report)), rules_(std::move(rules)) {
    report::Counts counts = report::CountFindings(report_);
    errors_ = counts.errors;
    warnings_ = counts.warnings;
    findings_.reserve(report_.findings.size());
    for (const Finding& f : report_.findings)
      findings_.push_back({f.rule, SeverityName(f.severity), FindingKindName(f.kind), f.message,
                           f.file, f.line, f.column, f.path, f.fingerprint,
                           f.suppressed != Suppression::kNone});
    for (const Problem& p : report_.problems)
      if (!p.warning) problems_.push_back({p.file, p.line, p.column, p.message});
  }

  const std::vector<PyFinding>& findings() const { return findings_; }
  const std::vector<PyProblem>& problems() const { return problems_; }
  uint64_t errors() const { return errors_; }
  uint64_t warnings() const { return warnings_; }

  std::string Json() const { return report::FormatJson(report_, Context()); }
  std::string Sarif() const { return report::FormatSarif(report_, Context()); }

 private:
  // What the CLI's writers get: the version and the catalogue of the rules that ran.
  report::Context Context() const {
    report::Context ctx;
    ctx.tool_version = Version();
    ctx.rules = *rules_;
    ctx.elapsed_ms = report_.elapsed_ms;
    return ctx;
  }

  Report report_;
  std::shared_ptr<const std::vector<RuleInfo>> rules_;
  std::vector<PyFinding> findings_;
  std::vector<PyProblem> problems_;
  uint64_t errors_ = 0;
  uint64_t warnings_ = 0;
};

InputKind ParseKind(const std::optional<std::string>& kind, const std::string& name) {
  InputKind k = InputKind::kAuto;
  if (!kind || *kind == "auto") {
    k = InferKind(name);
  } else if (*kind == "compose") {
    k = InputKind::kCompose;
  } else if (*kind == "records") {
    k = InputKind::kRecords;
  } else if (*kind == "document") {
    k = InputKind::kDocument;
  } else if (*kind == "dotenv") {
    k = InputKind::kDotenv;
  } else {
    throw py::value_error("unknown input kind '" + *kind +
                          "' (compose, records, document, dotenv or auto)");
  }
  if (k == InputKind::kAuto)
    throw py::value_error("cannot tell what kind of input '" + name +
                          "' is; pass kind='compose', 'records', 'document' or 'dotenv'");
  // Told by the name: left to the engine, which may still read a document as
  // compose by its content (stack.yml).
  if (!kind || *kind == "auto") return InputKind::kAuto;
  return k;
}

// JSON string literal of UTF-8 text.
void AppendJsonString(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      switch (c) {
        case '\n':
          out += "\\n";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\r':
          out += "\\r";
          break;
        default:
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 15];
      }
    } else {
      out += c;
    }
  }
  out += '"';
}

std::string_view Utf8(PyObject* s) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(s, &size);
  if (data == nullptr) throw py::error_already_set();
  return {data, static_cast<size_t>(size)};
}

std::string Describe(size_t row, const py::handle& key) {
  return "row " + std::to_string(row) + ", field " + py::repr(key).cast<std::string>();
}

// Python rows to JSON Lines, exactly: Decimal as str(), float as repr(), date as
// ISO text, so no value goes through a binary float on the way to the engine.
class RowWriter {
 public:
  RowWriter() {
    py::module_ decimal = py::module_::import("decimal");
    py::module_ datetime = py::module_::import("datetime");
    decimal_ = decimal.attr("Decimal");
    date_ = datetime.attr("date");
    datetime_ = datetime.attr("datetime");
    mapping_ = py::module_::import("collections.abc").attr("Mapping");
  }

  std::string Write(const py::iterable& rows) {
    std::string out;
    size_t index = 0;
    for (py::handle row : rows) {
      if (!PyDict_Check(row.ptr()) && !py::isinstance(row, mapping_))
        throw py::type_error(
            "row " + std::to_string(index) + " is a " +
            py::str(py::type::handle_of(row).attr("__name__")).cast<std::string>() +
            ", not a dict");
      out += '{';
      bool first = true;
      py::dict fields = PyDict_Check(row.ptr()) ? py::reinterpret_borrow<py::dict>(row)
                                                : py::dict(py::reinterpret_borrow<py::object>(row));
      for (auto item : fields) {
        if (!PyUnicode_Check(item.first.ptr()))
          throw py::type_error(Describe(index, item.first) + ": keys must be str");
        if (!first) out += ',';
        first = false;
        AppendJsonString(out, Utf8(item.first.ptr()));
        out += ':';
        Value(out, item.second, index, item.first);
      }
      out += "}\n";
      ++index;
    }
    return out;
  }

 private:
  void Value(std::string& out, py::handle v, size_t row, py::handle key) {
    PyObject* p = v.ptr();
    if (p == Py_None) {
      out += "null";
    } else if (PyBool_Check(p)) {
      out += p == Py_True ? "true" : "false";
    } else if (PyLong_Check(p)) {
      out += py::str(v).cast<std::string_view>();
    } else if (PyUnicode_Check(p)) {
      AppendJsonString(out, Utf8(p));
    } else if (PyFloat_Check(p)) {
      double d = PyFloat_AS_DOUBLE(p);
      if (!std::isfinite(d))
        throw py::value_error(Describe(row, key) + ": " + py::repr(v).cast<std::string>() +
                              " is not a number the engine can hold");
      out += py::repr(v).cast<std::string_view>();
    } else if (py::isinstance(v, decimal_)) {
      if (!v.attr("is_finite")().cast<bool>())
        throw py::value_error(Describe(row, key) + ": Decimal " + py::str(v).cast<std::string>() +
                              " is not a number the engine can hold");
      out += py::str(v).cast<std::string_view>();
    } else if (py::isinstance(v, datetime_)) {
      throw py::type_error(Describe(row, key) +
                           ": datetime values are not dates; pass .date() or an ISO string");
    } else if (py::isinstance(v, date_)) {
      AppendJsonString(out, v.attr("isoformat")().cast<std::string_view>());
    } else {
      throw py::type_error(Describe(row, key) + ": a " +
                           py::str(py::type::handle_of(v).attr("__name__")).cast<std::string>() +
                           " cannot be checked (str, int, float, Decimal, bool, None or date)");
    }
  }

  py::object decimal_, date_, datetime_, mapping_;
};

class PyProgram {
 public:
  PyProgram(std::shared_ptr<const Program> program, unsigned jobs)
      : program_(std::move(program)),
        rules_(std::make_shared<const std::vector<RuleInfo>>(ListRules(*program_))),
        jobs_(jobs) {}

  PyReport CheckFile(const std::string& path, const std::optional<std::string>& kind,
                     const std::optional<std::string>& schema) const {
    Input in;
    in.path = path;
    in.kind = ParseKind(kind, path);
    if (schema) in.schema = *schema;
    return Run(std::move(in));
  }

  PyReport CheckText(std::string text, const std::optional<std::string>& kind,
                     const std::string& name, const std::optional<std::string>& schema) const {
    Input in;
    in.path = name;
    in.kind = ParseKind(kind, name);
    in.text = std::move(text);
    if (schema) in.schema = *schema;
    return Run(std::move(in));
  }

  PyReport CheckRecords(const py::iterable& rows, const std::optional<std::string>& schema) const {
    Input in;
    in.path = kRecordsName;
    in.kind = InputKind::kRecords;
    in.format = RecordFormat::kJsonLines;
    in.text = RowWriter().Write(rows);
    if (schema) in.schema = *schema;
    return PyReport(RunReport(std::move(in)), rules_);
  }

  // One check of `paths` (or of a partition of the one path: `range` is
  // begin, end, first line) with the CLI's options, as a report dict
  // (report_dict.h): the unit of work of libpolicy.dask, and its reference.
  py::dict CheckToDict(const std::vector<std::string>& paths,
                       const std::optional<std::string>& kind,
                       const std::optional<std::string>& schema,
                       const std::optional<std::tuple<uint64_t, uint64_t, uint32_t>>& range,
                       const std::optional<uint64_t>& max_findings,
                       const std::set<std::string>& only, const std::set<std::string>& skip,
                       const std::string& repo_root, bool defer_unique) const {
    if (range && paths.size() != 1) throw py::value_error("a range needs exactly one path");
    std::vector<Input> inputs;
    for (const std::string& path : paths) {
      Input in;
      in.path = path;
      in.kind = ParseKind(kind, path);
      if (schema) in.schema = *schema;
      if (range)
        in.range = RecordRange{std::get<0>(*range), std::get<1>(*range), std::get<2>(*range)};
      inputs.push_back(std::move(in));
    }
    CheckOptions options = Options(max_findings, only, skip);
    options.repo_root = repo_root;
    options.defer_unique = defer_unique;
    Report report;
    {
      py::gil_scoped_release release;
      report = Check(*program_, inputs, options);
    }
    py::dict d = ReportToDict(report);
    if (defer_unique) d["unique_keys"] = py::bytes(report.unique_keys);
    return d;
  }

  // UniqueRepeatFindings (partition.h): the repeats of `path` among the
  // resolved key logs, as a report dict to add to the path's tasks'.
  py::dict RepeatFindings(const std::string& path, const std::vector<py::bytes>& repeats,
                          const std::optional<std::string>& kind,
                          const std::optional<std::string>& schema,
                          const std::optional<uint64_t>& max_findings,
                          const std::set<std::string>& only, const std::set<std::string>& skip,
                          const std::string& repo_root) const {
    Input in;
    in.path = path;
    in.kind = ParseKind(kind, path);
    if (schema) in.schema = *schema;
    std::vector<std::string> logs;
    for (const py::bytes& b : repeats) logs.push_back(b);
    CheckOptions options = Options(max_findings, only, skip);
    options.repo_root = repo_root;
    Report report;
    {
      py::gil_scoped_release release;
      report = UniqueRepeatFindings(
          *program_, in, std::vector<std::string_view>(logs.begin(), logs.end()), options);
    }
    return ReportToDict(report);
  }

  // One piece of a split run (partition.h, CheckPiece): the partition or file
  // `path` (range as in CheckToDict), with `index_sources` read whole as
  // index-only inputs. Returns (report dict, state dict): state is
  // {"mostly": [(rule, passed, total)...], "groups": bytes}.
  // `text`: JSON Lines records in memory (records_jsonl) checked under the name `path`.
  py::tuple CheckPieceToDict(const std::string& path, const std::vector<std::string>& index_sources,
                             const std::optional<std::string>& kind,
                             const std::optional<std::string>& schema,
                             const std::optional<std::tuple<uint64_t, uint64_t, uint32_t>>& range,
                             const std::optional<uint64_t>& max_findings,
                             const std::set<std::string>& only, const std::set<std::string>& skip,
                             const std::string& repo_root,
                             const std::optional<std::string>& text) const {
    std::vector<Input> inputs =
        Inputs({path}, text ? std::optional<std::string>("records") : kind, schema);
    if (text) {
      inputs[0].text = *text;
      inputs[0].format = RecordFormat::kJsonLines;
    }
    if (range)
      inputs[0].range = RecordRange{std::get<0>(*range), std::get<1>(*range), std::get<2>(*range)};
    for (Input& in : Inputs(index_sources, kind, schema)) {
      in.index_only = true;
      inputs.push_back(std::move(in));
    }
    CheckOptions options = Options(max_findings, only, skip);
    options.repo_root = repo_root;
    Report report;
    PieceState state;
    {
      py::gil_scoped_release release;
      report = CheckPiece(*program_, inputs, options, state);
    }
    py::list mostly;
    for (const PieceState::Tally& t : state.mostly.at(0))
      mostly.append(py::make_tuple(t.rule, t.passed, t.total));
    py::dict d;
    d["mostly"] = mostly;
    d["groups"] = py::bytes(state.groups);
    d["unique"] = py::bytes(state.unique_keys);
    return py::make_tuple(ReportToDict(report), d);
  }

  // IndexSources (partition.h): per path, the positions of the paths feeding
  // the indexes its rules read.
  std::vector<std::vector<size_t>> IndexSourcesOf(const std::vector<std::string>& paths,
                                                  const std::optional<std::string>& kind,
                                                  const std::optional<std::string>& schema,
                                                  const std::set<std::string>& only,
                                                  const std::set<std::string>& skip) const {
    std::vector<Input> inputs = Inputs(paths, kind, schema, true);
    py::gil_scoped_release release;
    return IndexSources(*program_, inputs, Options(std::nullopt, only, skip));
  }

  // FinishPieces (partition.h) over the states of the pieces, each (position
  // of its path, state dict), in path then partition order: {"mostly": [[finding
  // dict...] per path], "whole": report dict, "fed": [bool per path]}.
  py::dict FinishPiecesToDict(const std::vector<std::string>& paths,
                              const std::optional<std::string>& kind,
                              const std::optional<std::string>& schema, const py::list& pieces,
                              const std::optional<uint64_t>& max_findings,
                              const std::set<std::string>& only, const std::set<std::string>& skip,
                              const std::string& repo_root, bool jsonl) const {
    std::vector<Input> inputs = Inputs(paths, kind, schema, true);
    if (jsonl)  // records checked from memory (check_piece's text): never read here
      for (Input& in : inputs) in.format = RecordFormat::kJsonLines;
    std::vector<PieceState> states(pieces.size());
    std::vector<PieceOfRun> of_run;
    for (size_t i = 0; i < pieces.size(); ++i) {
      auto piece = pieces[i].cast<py::tuple>();
      auto state = piece[1].cast<py::dict>();
      states[i].mostly.emplace_back();
      for (py::handle t : state["mostly"].cast<py::list>()) {
        auto tally = t.cast<py::tuple>();
        states[i].mostly[0].push_back(
            {tally[0].cast<std::string>(), tally[1].cast<uint64_t>(), tally[2].cast<uint64_t>()});
      }
      states[i].groups = state["groups"].cast<std::string>();
      of_run.push_back({piece[0].cast<size_t>(), &states[i]});
    }
    CheckOptions options = Options(max_findings, only, skip);
    options.repo_root = repo_root;
    RunTotals totals;
    {
      py::gil_scoped_release release;
      totals = FinishPieces(*program_, inputs, of_run, options);
    }
    if (!totals.error.empty()) throw py::value_error(totals.error);
    py::list mostly;
    for (std::vector<Finding>& findings : totals.mostly) {
      Report one;
      one.findings = std::move(findings);
      mostly.append(ReportToDict(one)["findings"]);
    }
    py::list fed;
    for (char f : totals.fed) fed.append(f != 0);
    py::dict d;
    d["mostly"] = mostly;
    d["whole"] = ReportToDict(totals.whole);
    d["fed"] = fed;
    return d;
  }

  // SplitRecords (partition.h): {"ranges": [(begin, end, first_line)...],
  // "splittable": bool, "problem": str}.
  py::dict SplitFile(const std::string& path, uint64_t target_bytes,
                     const std::optional<std::string>& kind,
                     const std::optional<std::string>& schema) const {
    Input in;
    in.path = path;
    in.kind = ParseKind(kind, path);
    if (schema) in.schema = *schema;
    Partitions parts;
    {
      py::gil_scoped_release release;
      parts = SplitRecords(*program_, in, target_bytes);
    }
    py::list ranges;
    for (const RecordRange& r : parts.ranges)
      ranges.append(py::make_tuple(r.begin, r.end, r.first_line));
    py::dict d;
    d["ranges"] = ranges;
    d["splittable"] = parts.splittable;
    d["problem"] = parts.problem;
    return d;
  }

  std::vector<std::string> WholeInput(const std::set<std::string>& only,
                                      const std::set<std::string>& skip) const {
    return WholeInputRules(*program_, Options(std::nullopt, only, skip));
  }
  std::vector<std::string> CrossInput(const std::set<std::string>& only,
                                      const std::set<std::string>& skip) const {
    return CrossInputRules(*program_, Options(std::nullopt, only, skip));
  }

  // A report dict in one of the CLI's formats, with the rule catalogue of this
  // program: (report text, summary line).
  py::tuple Render(const py::dict& report_dict, const std::string& format, bool color, bool verbose,
                   const std::optional<std::string>& fail_at) const {
    Report report = ReportFromDict(report_dict);
    report::Context ctx;
    ctx.tool_version = Version();
    ctx.rules = *rules_;
    ctx.color = color;
    ctx.verbose = verbose;
    ctx.elapsed_ms = report.elapsed_ms;
    ctx.fail_at = std::nullopt;
    if (fail_at) {
      if (*fail_at == "error")
        ctx.fail_at = Severity::kError;
      else if (*fail_at == "warning")
        ctx.fail_at = Severity::kWarning;
      else if (*fail_at == "info")
        ctx.fail_at = Severity::kInfo;
      else
        throw py::value_error("fail_at: error, warning, info or None");
    }
    std::string text;
    if (format == "text")
      text = report::FormatText(report, ctx);
    else if (format == "json")
      text = report::FormatJson(report, ctx);
    else if (format == "sarif")
      text = report::FormatSarif(report, ctx);
    else if (format == "junit")
      text = report::FormatJunit(report, ctx);
    else if (format == "github")
      text = report::FormatGithub(report, ctx);
    else if (format == "markdown")
      text = report::FormatMarkdown(report, ctx);
    else if (format == "codequality")
      text = report::FormatCodeQuality(report, ctx);
    else
      throw py::value_error("unknown format '" + format + "'");
    return py::make_tuple(text, report::FormatSummary(report, ctx));
  }

  std::vector<std::string> RuleIds() const {
    std::vector<std::string> ids;
    for (const RuleInfo& r : *rules_)
      if (r.enabled) ids.push_back(r.id);
    return ids;
  }

  // Seconds for `n` checks of one file through the C++ API alone: the baseline
  // of bench_overhead.py.
  double TimeNative(const std::string& path, const std::string& kind, int n) const {
    Input in;
    in.path = path;
    in.kind = ParseKind(kind, path);
    py::gil_scoped_release release;
    CheckOptions options;
    options.jobs = jobs_;
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) Check(*program_, {in}, options);
    auto end = std::chrono::steady_clock::now();
    return std::chrono::duration<double>(end - start).count();
  }

 private:
  Report RunReport(Input in) const {
    py::gil_scoped_release release;  // other Python threads run while we check
    CheckOptions options;
    options.jobs = jobs_;
    return Check(*program_, {std::move(in)}, options);
  }

  PyReport Run(Input in) const { return PyReport(RunReport(std::move(in)), rules_); }

  // `lenient`: a path whose kind its name does not tell stays kAuto (a
  // plan, a reduce: its own task reports it) instead of raising.
  static std::vector<Input> Inputs(const std::vector<std::string>& paths,
                                   const std::optional<std::string>& kind,
                                   const std::optional<std::string>& schema, bool lenient = false) {
    std::vector<Input> inputs;
    for (const std::string& path : paths) {
      Input in;
      in.path = path;
      if (lenient && (!kind || *kind == "auto") && InferKind(path) == InputKind::kAuto)
        in.kind = InputKind::kAuto;
      else
        in.kind = ParseKind(kind, path);
      if (schema) in.schema = *schema;
      inputs.push_back(std::move(in));
    }
    return inputs;
  }

  CheckOptions Options(const std::optional<uint64_t>& max_findings,
                       const std::set<std::string>& only, const std::set<std::string>& skip) const {
    CheckOptions options;
    options.jobs = jobs_;
    options.max_findings = max_findings;
    options.only = only;
    options.skip = skip;
    return options;
  }

  std::shared_ptr<const Program> program_;
  std::shared_ptr<const std::vector<RuleInfo>> rules_;
  unsigned jobs_;
};

py::tuple CompileRules(const std::vector<std::string>& rules, bool builtin,
                       const std::vector<std::pair<std::string, std::string>>& params,
                       unsigned jobs) {
  if (jobs > kMaxJobs)
    throw py::value_error("jobs is " + std::to_string(jobs) + "; at most " +
                          std::to_string(kMaxJobs) + " (0: all cores)");
  CompileOptions options;
  options.builtin = builtin;
  options.rule_paths = rules;
  options.params = params;
  CompileResult compiled;
  {
    py::gil_scoped_release release;
    compiled = Compile(options);
  }
  std::vector<PyDiagnostic> diagnostics;
  for (const Diagnostic& d : compiled.diagnostics)
    diagnostics.push_back({d.code, SeverityName(d.severity), d.message, d.file, d.line, d.column,
                           FormatDiagnostic(d)});
  py::object program = py::none();
  if (compiled.program) program = py::cast(PyProgram(std::move(compiled.program), jobs));
  return py::make_tuple(program, diagnostics);
}

// FILE:LINE:COLUMN, or FILE alone when the place is unknown.
template <typename T>
std::string Place(const T& x) {
  if (x.line == 0) return x.file;
  return x.file + ":" + std::to_string(x.line) + ":" + std::to_string(x.column);
}

}  // namespace
}  // namespace policy::python

PYBIND11_MODULE(_libpolicy, m) {
  using namespace policy::python;
  namespace pol = policy;
  m.doc() = "Compiled part of libpolicy; use the libpolicy package.";
  m.attr("__version__") = pol::Version();

  py::class_<PyFinding>(m, "Finding", "One failed check, at a place in an input.")
      .def_readonly("rule", &PyFinding::rule, "Rule id, or 'SCHEMA'.")
      .def_readonly("severity", &PyFinding::severity, "'error', 'warning' or 'info'.")
      .def_readonly("kind", &PyFinding::kind, "'finding', 'evaluation_error' or 'schema'.")
      .def_readonly("message", &PyFinding::message)
      .def_readonly("file", &PyFinding::file, "As named; '<records>' for check_records.")
      .def_readonly("line", &PyFinding::line, "1-based; 0 when unknown.")
      .def_readonly("column", &PyFinding::column, "1-based; 0 when unknown.")
      .def_readonly("path", &PyFinding::path, "Document path: 'services.redis.image', 'row.tin'.")
      .def_readonly("fingerprint", &PyFinding::fingerprint,
                    "Stable id: 16 hex digits, ':N' for repeats.")
      .def_readonly("suppressed", &PyFinding::suppressed,
                    "True when an inline comment suppressed it.")
      .def("__repr__", [](const PyFinding& f) {
        return "<Finding " + f.rule + " " + f.severity + " " + Place(f) + " " +
               py::repr(py::str(f.message)).cast<std::string>() + ">";
      });

  py::class_<PyDiagnostic>(m, "Diagnostic", "A problem in a rule file.")
      .def_readonly("code", &PyDiagnostic::code, "Stable code, e.g. 'name.unknown_function'.")
      .def_readonly("severity", &PyDiagnostic::severity)
      .def_readonly("message", &PyDiagnostic::message)
      .def_readonly("file", &PyDiagnostic::file)
      .def_readonly("line", &PyDiagnostic::line)
      .def_readonly("column", &PyDiagnostic::column)
      .def_readonly("text", &PyDiagnostic::text, "As policy-check prints it, with the caret line.")
      .def("__repr__",
           [](const PyDiagnostic& d) {
             return "<Diagnostic " + d.code + " " + Place(d) + " " +
                    py::repr(py::str(d.message)).cast<std::string>() + ">";
           })
      .def("__str__",
           [](const PyDiagnostic& d) { return Place(d) + ": " + d.severity + ": " + d.message; });

  py::class_<PyProblem>(m, "Problem", "An input that could not be read or parsed.")
      .def_readonly("file", &PyProblem::file)
      .def_readonly("line", &PyProblem::line)
      .def_readonly("column", &PyProblem::column)
      .def_readonly("message", &PyProblem::message)
      .def("__repr__",
           [](const PyProblem& p) {
             return "<Problem " + Place(p) + " " +
                    py::repr(py::str(p.message)).cast<std::string>() + ">";
           })
      .def("__str__", [](const PyProblem& p) { return Place(p) + ": " + p.message; });

  py::class_<PyReport>(m, "Report", "The outcome of one check; iterating it yields its findings.")
      .def_property_readonly("findings", &PyReport::findings,
                             "Every finding, ordered by place, suppressed ones included.")
      .def_property_readonly("problems", &PyReport::problems)
      .def_property_readonly("errors", &PyReport::errors,
                             "Unsuppressed findings that count as errors.")
      .def_property_readonly("warnings", &PyReport::warnings)
      .def("to_json", &PyReport::Json, "The JSON report of `policy-check --format json`.")
      .def("to_sarif", &PyReport::Sarif,
           "The SARIF 2.1.0 log of `policy-check --format sarif`, for code-scanning uploads.")
      .def("__len__", [](const PyReport& r) { return r.findings().size(); })
      .def(
          "__iter__",
          [](const PyReport& r) {
            return py::make_iterator(r.findings().begin(), r.findings().end());
          },
          py::keep_alive<0, 1>())
      .def("__getitem__", [](const PyReport& r, py::ssize_t i) {
        auto n = static_cast<py::ssize_t>(r.findings().size());
        if (i < 0) i += n;
        if (i < 0 || i >= n) throw py::index_error();
        return r.findings()[static_cast<size_t>(i)];
      });

  py::class_<PyProgram>(m, "Program", "Compiled rules; immutable and shared by threads.")
      .def("check_file", &PyProgram::CheckFile, py::arg("path"), py::arg("kind") = py::none(),
           py::arg("schema") = py::none())
      .def("check_text", &PyProgram::CheckText, py::arg("text"), py::arg("kind"), py::arg("name"),
           py::arg("schema") = py::none())
      .def("check_records", &PyProgram::CheckRecords, py::arg("rows"),
           py::arg("schema") = py::none())
      .def("rule_ids", &PyProgram::RuleIds)
      .def("check_to_dict", &PyProgram::CheckToDict, py::arg("paths"), py::arg("kind") = py::none(),
           py::arg("schema") = py::none(), py::arg("range") = py::none(),
           py::arg("max_findings") = py::none(), py::arg("only") = std::set<std::string>(),
           py::arg("skip") = std::set<std::string>(), py::arg("repo_root") = "",
           py::arg("defer_unique") = false,
           "Checks inputs (or a partition of one: range=(begin, end, first_line)); a report dict. "
           "defer_unique: decide no `unique` key, return them all as bytes under 'unique_keys'.")
      .def("unique_repeat_findings", &PyProgram::RepeatFindings, py::arg("path"),
           py::arg("repeats"), py::arg("kind") = py::none(), py::arg("schema") = py::none(),
           py::arg("max_findings") = py::none(), py::arg("only") = std::set<std::string>(),
           py::arg("skip") = std::set<std::string>(), py::arg("repo_root") = "",
           "The findings of the resolved `unique` repeats in one file (partition.h).")
      .def("check_piece", &PyProgram::CheckPieceToDict, py::arg("path"),
           py::arg("index_sources") = std::vector<std::string>(), py::arg("kind") = py::none(),
           py::arg("schema") = py::none(), py::arg("range") = py::none(),
           py::arg("max_findings") = py::none(), py::arg("only") = std::set<std::string>(),
           py::arg("skip") = std::set<std::string>(), py::arg("repo_root") = "",
           py::arg("text") = py::none(),
           "One piece of a split run (partition.h): (report dict, state dict).")
      .def("index_sources", &PyProgram::IndexSourcesOf, py::arg("paths"),
           py::arg("kind") = py::none(), py::arg("schema") = py::none(),
           py::arg("only") = std::set<std::string>(), py::arg("skip") = std::set<std::string>(),
           "Per path, the positions of the paths feeding the indexes its rules read.")
      .def("finish_pieces", &PyProgram::FinishPiecesToDict, py::arg("paths"),
           py::arg("kind") = py::none(), py::arg("schema") = py::none(),
           py::arg("pieces") = py::list(), py::arg("max_findings") = py::none(),
           py::arg("only") = std::set<std::string>(), py::arg("skip") = std::set<std::string>(),
           py::arg("repo_root") = "", py::arg("jsonl") = false,
           "What needs every piece of a split run, judged once (partition.h, FinishPieces).")
      .def("split_records", &PyProgram::SplitFile, py::arg("path"), py::arg("target_bytes"),
           py::arg("kind") = py::none(), py::arg("schema") = py::none(),
           "Partitions of a record file cut at record boundaries (partition.h).")
      .def("whole_input_rules", &PyProgram::WholeInput, py::arg("only") = std::set<std::string>(),
           py::arg("skip") = std::set<std::string>(),
           "Selected rules whose verdict needs a whole record input (unique, mostly).")
      .def("cross_input_rules", &PyProgram::CrossInput, py::arg("only") = std::set<std::string>(),
           py::arg("skip") = std::set<std::string>(),
           "Selected rules whose verdict needs several inputs at once (groups, indexes).")
      .def("render", &PyProgram::Render, py::arg("report"), py::arg("format"),
           py::arg("color") = false, py::arg("verbose") = false, py::arg("fail_at") = "info",
           "A report dict in a CLI format: (text, summary line).")
      .def("_time_native", &PyProgram::TimeNative, py::arg("path"), py::arg("kind"), py::arg("n"));

  m.def(
      "split_unique_keys",
      [](const py::bytes& log, uint32_t buckets) {
        std::string bytes = log;
        std::vector<std::string> parts;
        {
          py::gil_scoped_release release;
          parts = policy::SplitUniqueKeys(bytes, buckets);
        }
        py::list out;
        for (const std::string& p : parts) out.append(py::bytes(p));
        return out;
      },
      py::arg("log"), py::arg("buckets"),
      "A task's `unique` key log cut into `buckets` logs by key hash (partition.h).");
  m.def(
      "resolve_unique_keys",
      [](const std::vector<py::bytes>& logs) {
        std::vector<std::string> bytes;
        for (const py::bytes& b : logs) bytes.push_back(b);
        std::string out;
        {
          py::gil_scoped_release release;
          out =
              policy::ResolveUniqueKeys(std::vector<std::string_view>(bytes.begin(), bytes.end()));
        }
        return py::bytes(out);
      },
      py::arg("logs"),
      "The repeats among key logs given in input and partition order, as a key log.");
  m.def(
      "records_jsonl", [](const py::iterable& rows) { return RowWriter().Write(rows); },
      py::arg("rows"),
      "Rows (dicts) as the JSON Lines text check_records checks: one record a line.");
  m.def("compile", &CompileRules, py::arg("rules"), py::arg("builtin"), py::arg("params"),
        py::arg("jobs"), "Returns (Program or None, [Diagnostic]).");
}
