// The C API (policy.h) over the C++ engine. Every entry point catches all
// exceptions: a C caller cannot unwind through C++ frames, and the engine's own
// "nothing throws" promise does not cover std::bad_alloc.
#include "libpolicy/policy.h"

#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "libpolicy/engine.h"
#include "libpolicy/report.h"
#include "libpolicy/result.h"

struct policy_options {
  policy::CompileOptions compile;
  unsigned jobs = 0;
};

struct policy_engine {
  std::shared_ptr<const policy::Program> program;
  std::vector<policy::RuleInfo> rules;  // for the JSON report, listed once
  unsigned jobs = 0;
};

// policy_finding and policy_problem stay incomplete: their handles are
// pointers to the policy::Finding / policy::Problem inside the result's Report,
// cast back in the accessors, so a check copies nothing per finding.
struct policy_diagnostic {
  policy::Diagnostic d;
  std::string text;  // FormatDiagnostic, made eagerly so reads stay const and thread-safe
};

struct policy_diagnostics {
  std::vector<policy_diagnostic> items;
};

struct policy_result {
  policy::Report report;
  policy::report::Counts counts;
  const policy_engine* engine = nullptr;  // for the rule catalogue of the JSON report
  // The JSON text is made on first request; call_once keeps concurrent readers safe.
  mutable std::once_flag json_once;
  mutable std::string json;
};

namespace {

thread_local std::string last_error;

int Fail(int status, std::string message) {
  try {
    last_error = std::move(message);
  } catch (...) {
    last_error.clear();
  }
  return status;
}

int Ok() {
  last_error.clear();
  return POLICY_OK;
}

// Runs `body` (which returns a status) with every exception turned into a status.
template <typename F>
int Guard(F&& body) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return Fail(POLICY_ERROR_INTERNAL, "out of memory");
  } catch (const std::exception& e) {
    return Fail(POLICY_ERROR_INTERNAL, std::string("internal error (a bug): ") + e.what());
  } catch (...) {
    return Fail(POLICY_ERROR_INTERNAL, "internal error (a bug): unknown exception");
  }
}

// The status for an Error and its text, "PLACE: MESSAGE" when it has a place.
int Fail(int status, const policy::Error& error) {
  std::string place = error.file;
  if (!place.empty() && error.line)
    place += ":" + std::to_string(error.line) + ":" + std::to_string(error.column);
  return Fail(status, place.empty() ? error.message : place + ": " + error.message);
}

// The kind named by the caller ("auto" or NULL: inferred from the input's name).
policy::Result<policy::InputKind> ResolveKind(const char* kind, const std::string& path) {
  policy::InputKind named = policy::InputKind::kAuto;
  if (kind == nullptr || std::strcmp(kind, "auto") == 0) {
    named = policy::InputKind::kAuto;
  } else if (std::strcmp(kind, "compose") == 0) {
    named = policy::InputKind::kCompose;
  } else if (std::strcmp(kind, "records") == 0) {
    named = policy::InputKind::kRecords;
  } else if (std::strcmp(kind, "document") == 0) {
    named = policy::InputKind::kDocument;
  } else if (std::strcmp(kind, "dotenv") == 0) {
    named = policy::InputKind::kDotenv;
  } else {
    return policy::Error{policy::DiagCode::kInputUnknownKind,
                         std::string("unknown input kind '") + kind +
                             "' (compose, records, document, dotenv or auto)"};
  }
  if (named != policy::InputKind::kAuto) return named;
  policy::InputKind inferred = policy::InferKind(path);
  if (inferred == policy::InputKind::kAuto)
    return policy::Error{
        policy::DiagCode::kInputUnknownKind,
        "cannot tell what kind of input '" + path + "' is; pass compose, records or document"};
  // Told by the name: left to the engine, which may still read a document as
  // compose by its content (stack.yml).
  return policy::InputKind::kAuto;
}

int Check(const policy_engine* engine, policy::Input input, const char* kind,
          policy_result** result) {
  if (result == nullptr) return Fail(POLICY_ERROR_INVALID_ARGUMENT, "result is NULL");
  *result = nullptr;
  if (engine == nullptr) return Fail(POLICY_ERROR_INVALID_ARGUMENT, "engine is NULL");
  policy::Result<policy::InputKind> resolved = ResolveKind(kind, input.path);
  if (!resolved) return Fail(POLICY_ERROR_UNKNOWN_KIND, resolved.error());
  input.kind = *resolved;
  policy::CheckOptions options;
  options.jobs = engine->jobs;
  auto out = std::make_unique<policy_result>();
  out->engine = engine;
  out->report = policy::Check(*engine->program, {std::move(input)}, options);
  out->counts = policy::report::CountFindings(out->report);
  int status = POLICY_OK;
  std::string message;
  for (const policy::Problem& p : out->report.problems) {
    if (p.warning) continue;
    status = POLICY_ERROR_INPUT;
    message = p.file +
              (p.line ? ":" + std::to_string(p.line) + ":" + std::to_string(p.column) : "") + ": " +
              p.message;
    break;
  }
  *result = out.release();
  return status == POLICY_OK ? Ok() : Fail(status, std::move(message));
}

const char* Str(const std::string* s) { return s == nullptr ? "" : s->c_str(); }

template <typename T>
const T* At(const std::vector<T>* v, size_t i) {
  return v != nullptr && i < v->size() ? &(*v)[i] : nullptr;
}

const policy::Finding* F(const policy_finding* f) {
  return reinterpret_cast<const policy::Finding*>(f);
}
const policy::Problem* P(const policy_problem* p) {
  return reinterpret_cast<const policy::Problem*>(p);
}

}  // namespace

extern "C" {

const char* policy_version(void) { return policy::Version(); }

const char* policy_last_error(void) { return last_error.c_str(); }

const char* policy_severity_name(int severity) {
  switch (severity) {
    case POLICY_SEVERITY_ERROR:
      return "error";
    case POLICY_SEVERITY_WARNING:
      return "warning";
    case POLICY_SEVERITY_INFO:
      return "info";
    default:
      return "";
  }
}

const char* policy_finding_kind_name(int kind) {
  switch (kind) {
    case POLICY_FINDING:
      return "finding";
    case POLICY_EVALUATION_ERROR:
      return "evaluation_error";
    case POLICY_SCHEMA:
      return "schema";
    default:
      return "";
  }
}

policy_options* policy_options_new(void) {
  try {
    return new policy_options();
  } catch (...) {
    Fail(POLICY_ERROR_INTERNAL, "out of memory");
    return nullptr;
  }
}

void policy_options_free(policy_options* options) { delete options; }

int policy_options_set_builtin(policy_options* options, int enabled) {
  if (options == nullptr) return Fail(POLICY_ERROR_INVALID_ARGUMENT, "options is NULL");
  options->compile.builtin = enabled != 0;
  return Ok();
}

int policy_options_add_rules(policy_options* options, const char* path) {
  return Guard([&] {
    if (options == nullptr || path == nullptr)
      return Fail(POLICY_ERROR_INVALID_ARGUMENT, "options or path is NULL");
    options->compile.rule_paths.emplace_back(path);
    return Ok();
  });
}

int policy_options_add_param(policy_options* options, const char* name, const char* value) {
  return Guard([&] {
    if (options == nullptr || name == nullptr || value == nullptr)
      return Fail(POLICY_ERROR_INVALID_ARGUMENT, "options, name or value is NULL");
    if (*name == '\0') return Fail(POLICY_ERROR_INVALID_ARGUMENT, "param name is empty");
    options->compile.params.emplace_back(name, value);
    return Ok();
  });
}

int policy_options_set_jobs(policy_options* options, unsigned jobs) {
  if (options == nullptr) return Fail(POLICY_ERROR_INVALID_ARGUMENT, "options is NULL");
  if (jobs > policy::kMaxJobs)
    return Guard([&] {
      return Fail(POLICY_ERROR_INVALID_ARGUMENT, "jobs is " + std::to_string(jobs) + "; at most " +
                                                     std::to_string(policy::kMaxJobs) +
                                                     " (0: all cores)");
    });
  options->jobs = jobs;
  return Ok();
}

int policy_engine_create(const policy_options* options, policy_engine** engine,
                         policy_diagnostics** diagnostics) {
  if (engine != nullptr) *engine = nullptr;
  if (diagnostics != nullptr) *diagnostics = nullptr;
  return Guard([&] {
    if (options == nullptr || engine == nullptr)
      return Fail(POLICY_ERROR_INVALID_ARGUMENT, "options or engine is NULL");
    policy::CompileResult compiled = policy::Compile(options->compile);
    std::string failure;
    if (!compiled.program) {
      size_t errors = 0;
      std::string first;
      for (const policy::Diagnostic& d : compiled.diagnostics) {
        if (d.severity != policy::Severity::kError) continue;
        if (errors++ == 0)
          first = d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " +
                  d.message;
      }
      failure = std::to_string(errors) + " error(s) in the rules; first: " + first;
    }
    if (diagnostics != nullptr) {
      auto list = std::make_unique<policy_diagnostics>();
      list->items.reserve(compiled.diagnostics.size());
      for (policy::Diagnostic& d : compiled.diagnostics) {
        std::string text = policy::FormatDiagnostic(d);
        list->items.push_back({std::move(d), std::move(text)});
      }
      *diagnostics = list.release();
    }
    if (!compiled.program) return Fail(POLICY_ERROR_COMPILE, std::move(failure));
    auto out = std::make_unique<policy_engine>();
    out->program = std::move(compiled.program);
    out->rules = policy::ListRules(*out->program);
    out->jobs = options->jobs;
    *engine = out.release();
    return Ok();
  });
}

void policy_engine_free(policy_engine* engine) { delete engine; }

size_t policy_engine_rule_count(const policy_engine* engine) {
  if (engine == nullptr) return 0;
  size_t n = 0;
  for (const policy::RuleInfo& r : engine->rules) n += r.enabled ? 1 : 0;
  return n;
}

size_t policy_diagnostics_count(const policy_diagnostics* diagnostics) {
  return diagnostics == nullptr ? 0 : diagnostics->items.size();
}

size_t policy_diagnostics_error_count(const policy_diagnostics* diagnostics) {
  if (diagnostics == nullptr) return 0;
  size_t n = 0;
  for (const policy_diagnostic& d : diagnostics->items)
    n += d.d.severity == policy::Severity::kError ? 1 : 0;
  return n;
}

const policy_diagnostic* policy_diagnostics_at(const policy_diagnostics* diagnostics,
                                               size_t index) {
  return At(diagnostics == nullptr ? nullptr : &diagnostics->items, index);
}

void policy_diagnostics_free(policy_diagnostics* diagnostics) { delete diagnostics; }

const char* policy_diagnostic_code(const policy_diagnostic* d) {
  return Str(d ? &d->d.code : nullptr);
}
int policy_diagnostic_severity(const policy_diagnostic* d) {
  return d ? static_cast<int>(d->d.severity) : 0;
}
const char* policy_diagnostic_message(const policy_diagnostic* d) {
  return Str(d ? &d->d.message : nullptr);
}
const char* policy_diagnostic_file(const policy_diagnostic* d) {
  return Str(d ? &d->d.file : nullptr);
}
unsigned policy_diagnostic_line(const policy_diagnostic* d) { return d ? d->d.line : 0; }
unsigned policy_diagnostic_column(const policy_diagnostic* d) { return d ? d->d.column : 0; }
const char* policy_diagnostic_text(const policy_diagnostic* d) {
  return Str(d ? &d->text : nullptr);
}

int policy_check_file(const policy_engine* engine, const char* path, const char* kind,
                      policy_result** result) {
  return Guard([&] {
    if (path == nullptr) {
      if (result != nullptr) *result = nullptr;
      return Fail(POLICY_ERROR_INVALID_ARGUMENT, "path is NULL");
    }
    policy::Input input;
    input.path = path;
    return Check(engine, std::move(input), kind, result);
  });
}

int policy_check_buffer(const policy_engine* engine, const char* name, const char* data, size_t len,
                        const char* kind, policy_result** result) {
  return Guard([&] {
    if (name == nullptr || (data == nullptr && len > 0)) {
      if (result != nullptr) *result = nullptr;
      return Fail(POLICY_ERROR_INVALID_ARGUMENT, "name or data is NULL");
    }
    policy::Input input;
    input.path = name;
    input.text = std::string(data == nullptr ? "" : data, len);
    return Check(engine, std::move(input), kind, result);
  });
}

void policy_result_free(policy_result* result) { delete result; }

size_t policy_result_finding_count(const policy_result* result) {
  return result == nullptr ? 0 : result->report.findings.size();
}

const policy_finding* policy_result_finding(const policy_result* result, size_t index) {
  return reinterpret_cast<const policy_finding*>(
      At(result == nullptr ? nullptr : &result->report.findings, index));
}

size_t policy_result_error_count(const policy_result* result) {
  return result == nullptr ? 0 : static_cast<size_t>(result->counts.errors);
}

size_t policy_result_warning_count(const policy_result* result) {
  return result == nullptr ? 0 : static_cast<size_t>(result->counts.warnings);
}

size_t policy_result_problem_count(const policy_result* result) {
  return result == nullptr ? 0 : result->report.problems.size();
}

const policy_problem* policy_result_problem(const policy_result* result, size_t index) {
  return reinterpret_cast<const policy_problem*>(
      At(result == nullptr ? nullptr : &result->report.problems, index));
}

const char* policy_result_json(const policy_result* result) {
  if (result == nullptr) return "";
  try {
    std::call_once(result->json_once, [&] {
      policy::report::Context ctx;
      ctx.tool_version = policy::Version();
      ctx.rules = result->engine->rules;
      ctx.elapsed_ms = result->report.elapsed_ms;
      result->json = policy::report::FormatJson(result->report, ctx);
    });
  } catch (...) {
    Fail(POLICY_ERROR_INTERNAL, "out of memory");
    return "";
  }
  return result->json.c_str();
}

const char* policy_finding_rule(const policy_finding* f) { return Str(f ? &F(f)->rule : nullptr); }
int policy_finding_severity(const policy_finding* f) {
  return f ? static_cast<int>(F(f)->severity) : 0;
}
int policy_finding_kind(const policy_finding* f) { return f ? static_cast<int>(F(f)->kind) : 0; }
const char* policy_finding_message(const policy_finding* f) {
  return Str(f ? &F(f)->message : nullptr);
}
const char* policy_finding_file(const policy_finding* f) { return Str(f ? &F(f)->file : nullptr); }
unsigned policy_finding_line(const policy_finding* f) { return f ? F(f)->line : 0; }
unsigned policy_finding_column(const policy_finding* f) { return f ? F(f)->column : 0; }
const char* policy_finding_path(const policy_finding* f) { return Str(f ? &F(f)->path : nullptr); }
const char* policy_finding_fingerprint(const policy_finding* f) {
  return Str(f ? &F(f)->fingerprint : nullptr);
}
int policy_finding_suppressed(const policy_finding* f) {
  return f != nullptr && F(f)->suppressed != policy::Suppression::kNone ? 1 : 0;
}

const char* policy_problem_file(const policy_problem* p) { return Str(p ? &P(p)->file : nullptr); }
unsigned policy_problem_line(const policy_problem* p) { return p ? P(p)->line : 0; }
unsigned policy_problem_column(const policy_problem* p) { return p ? P(p)->column : 0; }
const char* policy_problem_message(const policy_problem* p) {
  return Str(p ? &P(p)->message : nullptr);
}

}  // extern "C"
