#ifndef LIBPOLICY_POLICY_H_
#define LIBPOLICY_POLICY_H_
/*
 * libpolicy C API: compile policy rules once, check compose files and record
 * sets with them many times. Usable from C99 and C++; links against the shared
 * library libpolicy_c (pkg-config: libpolicy-c; CMake: libpolicy::policy_c).
 *
 *   policy_options* opts = policy_options_new();
 *   policy_options_set_builtin(opts, 0);
 *   policy_options_add_rules(opts, "policy/");
 *   policy_options_add_param(opts, "bd.vat_rate", "7.5");
 *
 *   policy_engine* engine = NULL;
 *   policy_diagnostics* diags = NULL;
 *   int rc = policy_engine_create(opts, &engine, &diags);
 *   policy_options_free(opts);
 *   for (size_t i = 0; i < policy_diagnostics_count(diags); ++i)
 *     fputs(policy_diagnostic_text(policy_diagnostics_at(diags, i)), stderr);
 *   policy_diagnostics_free(diags);
 *   if (rc != POLICY_OK) return 2;
 *
 *   policy_result* result = NULL;
 *   rc = policy_check_file(engine, "docker-compose.yml", "compose", &result);
 *   for (size_t i = 0; i < policy_result_finding_count(result); ++i) {
 *     const policy_finding* f = policy_result_finding(result, i);
 *     printf("%s:%u: %s [%s]\n", policy_finding_file(f), policy_finding_line(f),
 *            policy_finding_message(f), policy_finding_rule(f));
 *   }
 *   policy_result_free(result);
 *   policy_engine_free(engine);
 *
 * Conventions:
 *  - Functions that can fail return a status code (POLICY_OK or a POLICY_ERROR_*
 *    value) and set a message for policy_last_error() on the calling thread.
 *  - No C++ exception ever leaves this API; out of memory is POLICY_ERROR_INTERNAL.
 *  - Strings are UTF-8, NUL-terminated, and owned by the object they came from:
 *    valid until that object is freed. Never free them yourself.
 *  - Lines and columns are 1-based; 0 means "unknown".
 *  - Every *_free function accepts NULL. Accessors given NULL or an index out of
 *    range return "" or 0 (or NULL for the *_at functions) rather than crashing.
 *
 * Thread-safety: an engine is immutable after policy_engine_create. Checks may
 * run concurrently on one engine from any number of threads. Results,
 * diagnostics and options belong to the caller; each may be read from several
 * threads at once, but must not be freed while another thread reads it.
 * policy_last_error() is per thread.
 */
#include <stddef.h>

#if defined(_WIN32)
#if defined(POLICY_C_BUILDING)
#define POLICY_API __declspec(dllexport)
#else
#define POLICY_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define POLICY_API __attribute__((visibility("default")))
#else
#define POLICY_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. */
#define POLICY_OK 0
#define POLICY_ERROR_INVALID_ARGUMENT 1 /* a NULL where an object is required, or a bad value */
#define POLICY_ERROR_COMPILE 2          /* the rules have errors: see the diagnostics */
#define POLICY_ERROR_UNKNOWN_KIND 3     /* kind not one of the names below, or not inferable */
#define POLICY_ERROR_INPUT 4    /* an input could not be read or parsed (result still set) */
#define POLICY_ERROR_INTERNAL 5 /* out of memory or a bug in the library */

/* Severities of findings and diagnostics. */
#define POLICY_SEVERITY_ERROR 0
#define POLICY_SEVERITY_WARNING 1
#define POLICY_SEVERITY_INFO 2

/* Kinds of findings. */
#define POLICY_FINDING 0          /* a rule's `require` or `unique` failed */
#define POLICY_EVALUATION_ERROR 1 /* a rule could not be evaluated on this data */
#define POLICY_SCHEMA 2           /* a record does not match its schema (rule "SCHEMA") */

typedef struct policy_options policy_options;
typedef struct policy_engine policy_engine;
typedef struct policy_diagnostics policy_diagnostics;
typedef struct policy_diagnostic policy_diagnostic;
typedef struct policy_result policy_result;
typedef struct policy_finding policy_finding;
typedef struct policy_problem policy_problem;

/* The library version, "MAJOR.MINOR.PATCH" (project(... VERSION) in CMakeLists.txt). */
POLICY_API const char* policy_version(void);

/* The message of the last call on this thread that returned an error status;
 * "" after a call that succeeded. Valid until the next API call on this thread. */
POLICY_API const char* policy_last_error(void);

/* "error", "warning", "info"; "" for other values. */
POLICY_API const char* policy_severity_name(int severity);
/* "finding", "evaluation_error", "schema"; "" for other values. */
POLICY_API const char* policy_finding_kind_name(int kind);

/* ---- Engine options (a builder; copied by policy_engine_create). ---- */

/* NULL when out of memory. Defaults: built-in packs on, no rule paths, no params. */
POLICY_API policy_options* policy_options_new(void);
POLICY_API void policy_options_free(policy_options* options);
/* Includes the built-in rule packs (nonzero) or not (0). */
POLICY_API int policy_options_set_builtin(policy_options* options, int enabled);
/* Adds a .policy file, or a directory walked for .policy files. */
POLICY_API int policy_options_add_rules(policy_options* options, const char* path);
/* Overrides a param: full name ("bd.vat_rate") and a YAML flow value ("7.5", "[a, b]"). */
POLICY_API int policy_options_add_param(policy_options* options, const char* name,
                                        const char* value);
/* Worker threads for each check; 0 (the default) uses every core. More than
 * 4096 is POLICY_ERROR_INVALID_ARGUMENT. */
POLICY_API int policy_options_set_jobs(policy_options* options, unsigned jobs);

/* ---- Engine ---- */

/* Compiles the rules. On POLICY_OK *engine is a new engine (free it with
 * policy_engine_free); on any error it is NULL. When `diagnostics` is not NULL,
 * *diagnostics receives every diagnostic (errors and warnings, sorted by place),
 * also on success and on POLICY_ERROR_COMPILE; free it with policy_diagnostics_free. */
POLICY_API int policy_engine_create(const policy_options* options, policy_engine** engine,
                                    policy_diagnostics** diagnostics);
POLICY_API void policy_engine_free(policy_engine* engine);
/* Number of enabled rules in the engine. */
POLICY_API size_t policy_engine_rule_count(const policy_engine* engine);

/* ---- Diagnostics (problems in rule files) ---- */

POLICY_API size_t policy_diagnostics_count(const policy_diagnostics* diagnostics);
/* Number of diagnostics with severity error. */
POLICY_API size_t policy_diagnostics_error_count(const policy_diagnostics* diagnostics);
POLICY_API const policy_diagnostic* policy_diagnostics_at(const policy_diagnostics* diagnostics,
                                                          size_t index);
POLICY_API void policy_diagnostics_free(policy_diagnostics* diagnostics);

/* A stable code such as "name.unknown_function" or "syntax.expected". */
POLICY_API const char* policy_diagnostic_code(const policy_diagnostic* d);
POLICY_API int policy_diagnostic_severity(const policy_diagnostic* d);
POLICY_API const char* policy_diagnostic_message(const policy_diagnostic* d);
POLICY_API const char* policy_diagnostic_file(const policy_diagnostic* d);
POLICY_API unsigned policy_diagnostic_line(const policy_diagnostic* d);
POLICY_API unsigned policy_diagnostic_column(const policy_diagnostic* d);
/* The diagnostic as policy-check prints it: place, message, source line, caret, help. */
POLICY_API const char* policy_diagnostic_text(const policy_diagnostic* d);

/* ---- Checking ---- */

/* `kind` is "compose", "records", "document", "dotenv", or NULL / "auto" to infer it from
 * the file name (docker-compose*.yml, *.csv, *.jsonl, *.json ...).
 *
 * On POLICY_OK and POLICY_ERROR_INPUT *result is a new result (free it with
 * policy_result_free): for POLICY_ERROR_INPUT it lists the problems and any
 * findings made before them. On other errors *result is NULL. */
POLICY_API int policy_check_file(const policy_engine* engine, const char* path, const char* kind,
                                 policy_result** result);

/* Checks `len` bytes of `data` (need not be NUL-terminated) as if read from a
 * file called `name`: the name is shown in findings, selects the format
 * (".csv", ".tsv", ".jsonl", ".json"; YAML otherwise) and, for records, binds
 * the schema by its stem ("invoices.csv" -> schema invoice). */
POLICY_API int policy_check_buffer(const policy_engine* engine, const char* name, const char* data,
                                   size_t len, const char* kind, policy_result** result);

/* ---- Results ---- */

POLICY_API void policy_result_free(policy_result* result);
/* Every finding, suppressed ones included, ordered by file, line, column, rule. */
POLICY_API size_t policy_result_finding_count(const policy_result* result);
POLICY_API const policy_finding* policy_result_finding(const policy_result* result, size_t index);
/* Unsuppressed findings counted as errors (evaluation errors and SCHEMA
 * always are) and as warnings: what decides a failing check. */
POLICY_API size_t policy_result_error_count(const policy_result* result);
POLICY_API size_t policy_result_warning_count(const policy_result* result);
/* Inputs that could not be read or parsed. */
POLICY_API size_t policy_result_problem_count(const policy_result* result);
POLICY_API const policy_problem* policy_result_problem(const policy_result* result, size_t index);
/* The JSON report of `policy-check --format json` (CLI.md), ending in a newline. */
POLICY_API const char* policy_result_json(const policy_result* result);

/* A rule id, or "SCHEMA". */
POLICY_API const char* policy_finding_rule(const policy_finding* f);
POLICY_API int policy_finding_severity(const policy_finding* f);
POLICY_API int policy_finding_kind(const policy_finding* f);
POLICY_API const char* policy_finding_message(const policy_finding* f);
POLICY_API const char* policy_finding_file(const policy_finding* f);
POLICY_API unsigned policy_finding_line(const policy_finding* f);
POLICY_API unsigned policy_finding_column(const policy_finding* f);
/* The document path, e.g. "services.redis.image" or "row.buyer_tin". */
POLICY_API const char* policy_finding_path(const policy_finding* f);
/* 16 hex digits (":N" appended for repeats in one file); stable across runs. */
POLICY_API const char* policy_finding_fingerprint(const policy_finding* f);
/* Nonzero when an inline `# policy-check: ignore` comment suppressed it. */
POLICY_API int policy_finding_suppressed(const policy_finding* f);

POLICY_API const char* policy_problem_file(const policy_problem* p);
POLICY_API unsigned policy_problem_line(const policy_problem* p);
POLICY_API unsigned policy_problem_column(const policy_problem* p);
POLICY_API const char* policy_problem_message(const policy_problem* p);

#ifdef __cplusplus
}
#endif

#endif /* LIBPOLICY_POLICY_H_ */
