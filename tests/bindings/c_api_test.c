/* The C API (libpolicy/policy.h) from C99: an engine from a rule file written
 * to a temporary directory, a buffer and a file checked, findings iterated,
 * the JSON report, and the error paths. Exits nonzero on the first failure.
 * argv[1]: the source tree (for examples/compose.yaml). */
#define _POSIX_C_SOURCE 200809L

#include <libpolicy/policy.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures = 0;

#define EXPECT(cond)                                                      \
  do {                                                                    \
    if (!(cond)) {                                                        \
      fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                         \
    }                                                                     \
  } while (0)

#define EXPECT_STR(actual, expected)                                                             \
  do {                                                                                           \
    const char* a_ = (actual);                                                                   \
    if (strcmp(a_, (expected)) != 0) {                                                           \
      fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #actual, a_, \
              (expected));                                                                       \
      ++failures;                                                                                \
    }                                                                                            \
  } while (0)

static const char kRules[] =
    "package t\n"
    "\n"
    "param min_qty: decimal = 0\n"
    "\n"
    "rule T-IMG-001 {\n"
    "  title \"Images name a tag\"\n"
    "  on compose\n"
    "  for name, svc in compose.services\n"
    "  require svc.image matches /:[A-Za-z0-9._-]+$/\n"
    "  at svc.image\n"
    "  message \"service '{name}' image has no tag\"\n"
    "}\n"
    "\n"
    "schema item {\n"
    "  sku : string  required\n"
    "  qty : decimal required\n"
    "}\n"
    "\n"
    "rule T-QTY-001 {\n"
    "  title \"Quantities are above the minimum\"\n"
    "  severity warning\n"
    "  on records(item)\n"
    "  require row.qty > min_qty\n"
    "  at row.qty\n"
    "  message \"quantity {row.qty} is not above {min_qty}\"\n"
    "}\n";

static const char kCompose[] =
    "services:\n"
    "  db:\n"
    "    image: postgres:16\n"
    "  cache:\n"
    "    image: redis\n";

static const char kItems[] =
    "sku,qty\n"
    "A-1,3\n"
    "A-2,0\n"
    "A-3,5\n";

static int write_file(const char* path, const char* text) {
  FILE* f = fopen(path, "w");
  if (f == NULL) return 0;
  fputs(text, f);
  return fclose(f) == 0;
}

static const policy_finding* find_rule(const policy_result* r, const char* rule) {
  size_t i;
  for (i = 0; i < policy_result_finding_count(r); ++i)
    if (strcmp(policy_finding_rule(policy_result_finding(r, i)), rule) == 0)
      return policy_result_finding(r, i);
  return NULL;
}

static policy_engine* make_engine(const char* rules_path, const char* min_qty) {
  policy_options* opts = policy_options_new();
  policy_engine* engine = NULL;
  policy_diagnostics* diags = NULL;
  int rc;
  EXPECT(opts != NULL);
  EXPECT(policy_options_set_builtin(opts, 0) == POLICY_OK);
  EXPECT(policy_options_add_rules(opts, rules_path) == POLICY_OK);
  if (min_qty != NULL) EXPECT(policy_options_add_param(opts, "t.min_qty", min_qty) == POLICY_OK);
  EXPECT(policy_options_set_jobs(opts, 2) == POLICY_OK);
  /* Capped like policy-check --jobs: 100000 threads would abort the process. */
  EXPECT(policy_options_set_jobs(opts, 100000) == POLICY_ERROR_INVALID_ARGUMENT);
  EXPECT(strstr(policy_last_error(), "4096") != NULL);
  EXPECT(policy_options_set_jobs(opts, 4096) == POLICY_OK);
  EXPECT(policy_options_set_jobs(opts, 2) == POLICY_OK);
  rc = policy_engine_create(opts, &engine, &diags);
  policy_options_free(opts);
  EXPECT(rc == POLICY_OK);
  EXPECT(engine != NULL);
  EXPECT(diags != NULL);
  EXPECT(policy_diagnostics_error_count(diags) == 0);
  EXPECT_STR(policy_last_error(), "");
  policy_diagnostics_free(diags);
  return engine;
}

static void test_buffer_and_file(const char* dir, const char* source_tree) {
  char path[1024];
  policy_engine* engine;
  policy_result* result = NULL;
  const policy_finding* f;
  const char* json;
  int rc;

  snprintf(path, sizeof path, "%s/t.policy", dir);
  engine = make_engine(path, NULL);
  EXPECT(policy_engine_rule_count(engine) == 2);

  /* A compose buffer: one untagged image. */
  rc = policy_check_buffer(engine, "docker-compose.yml", kCompose, strlen(kCompose), NULL, &result);
  EXPECT(rc == POLICY_OK);
  EXPECT(policy_result_finding_count(result) == 1);
  EXPECT(policy_result_error_count(result) == 1);
  EXPECT(policy_result_warning_count(result) == 0);
  EXPECT(policy_result_problem_count(result) == 0);
  f = policy_result_finding(result, 0);
  EXPECT(f != NULL);
  EXPECT_STR(policy_finding_rule(f), "T-IMG-001");
  EXPECT(policy_finding_severity(f) == POLICY_SEVERITY_ERROR);
  EXPECT_STR(policy_severity_name(policy_finding_severity(f)), "error");
  EXPECT(policy_finding_kind(f) == POLICY_FINDING);
  EXPECT_STR(policy_finding_kind_name(policy_finding_kind(f)), "finding");
  EXPECT_STR(policy_finding_message(f), "service 'cache' image has no tag");
  EXPECT_STR(policy_finding_file(f), "docker-compose.yml");
  EXPECT(policy_finding_line(f) == 5);
  EXPECT(policy_finding_column(f) == 12);
  EXPECT_STR(policy_finding_path(f), "services.cache.image");
  EXPECT(strlen(policy_finding_fingerprint(f)) == 16);
  EXPECT(policy_finding_suppressed(f) == 0);
  EXPECT(policy_result_finding(result, 1) == NULL);
  json = policy_result_json(result);
  EXPECT(strstr(json, "\"T-IMG-001\"") != NULL);
  EXPECT(strstr(json, "\"services.cache.image\"") != NULL);
  EXPECT(json[strlen(json) - 1] == '\n');
  EXPECT(json == policy_result_json(result)); /* made once, then kept */
  policy_result_free(result);

  /* Compose by content whatever the name: stack.yml with the kind inferred. */
  rc = policy_check_buffer(engine, "stack.yml", kCompose, strlen(kCompose), NULL, &result);
  EXPECT(rc == POLICY_OK);
  EXPECT(policy_result_finding_count(result) == 1);
  policy_result_free(result);

  /* A record file on disk, bound to schema `item` by its stem. */
  snprintf(path, sizeof path, "%s/items.csv", dir);
  EXPECT(write_file(path, kItems));
  rc = policy_check_file(engine, path, "records", &result);
  EXPECT(rc == POLICY_OK);
  EXPECT(policy_result_finding_count(result) == 1);
  EXPECT(policy_result_warning_count(result) == 1);
  f = find_rule(result, "T-QTY-001");
  EXPECT(f != NULL);
  EXPECT(policy_finding_severity(f) == POLICY_SEVERITY_WARNING);
  EXPECT_STR(policy_finding_message(f), "quantity 0 is not above 0");
  EXPECT_STR(policy_finding_file(f), path);
  EXPECT(policy_finding_line(f) == 3);
  EXPECT(policy_finding_column(f) == 5);
  EXPECT_STR(policy_finding_path(f), "row.qty");
  policy_result_free(result);

  /* The same file with the kind inferred from the name. */
  rc = policy_check_file(engine, path, "auto", &result);
  EXPECT(rc == POLICY_OK);
  EXPECT(policy_result_finding_count(result) == 1);
  policy_result_free(result);

  /* A real compose file from the repository. */
  snprintf(path, sizeof path, "%s/examples/compose.yaml", source_tree);
  rc = policy_check_file(engine, path, "compose", &result);
  EXPECT(rc == POLICY_OK);
  EXPECT(find_rule(result, "T-IMG-001") != NULL);
  policy_result_free(result);
  policy_engine_free(engine);

  /* A param override changes the outcome: nothing is above 10. */
  snprintf(path, sizeof path, "%s/t.policy", dir);
  engine = make_engine(path, "10");
  rc = policy_check_buffer(engine, "items.csv", kItems, strlen(kItems), "records", &result);
  EXPECT(rc == POLICY_OK);
  EXPECT(policy_result_finding_count(result) == 3);
  policy_result_free(result);
  policy_engine_free(engine);
}

static void test_errors(const char* dir) {
  char path[1024];
  policy_options* opts;
  policy_engine* engine = NULL;
  policy_diagnostics* diags = NULL;
  policy_result* result = NULL;
  const policy_diagnostic* d;
  int rc;

  /* A rule file with an unknown function: diagnostics as data, no engine. */
  snprintf(path, sizeof path, "%s/bad/bad.policy", dir);
  {
    char sub[1024];
    snprintf(sub, sizeof sub, "%s/bad", dir);
    EXPECT(mkdir(sub, 0700) == 0);
  }
  EXPECT(write_file(path,
                    "package bad\n"
                    "rule B-001 {\n"
                    "  title \"Broken\"\n"
                    "  on compose\n"
                    "  require no_such_function(compose)\n"
                    "}\n"));
  opts = policy_options_new();
  policy_options_set_builtin(opts, 0);
  policy_options_add_rules(opts, path);
  rc = policy_engine_create(opts, &engine, &diags);
  policy_options_free(opts);
  EXPECT(rc == POLICY_ERROR_COMPILE);
  EXPECT(engine == NULL);
  EXPECT(strstr(policy_last_error(), "no_such_function") != NULL);
  EXPECT(policy_diagnostics_count(diags) >= 1);
  EXPECT(policy_diagnostics_error_count(diags) >= 1);
  d = policy_diagnostics_at(diags, 0);
  EXPECT(d != NULL);
  EXPECT_STR(policy_diagnostic_code(d), "name.unknown_function");
  EXPECT(policy_diagnostic_severity(d) == POLICY_SEVERITY_ERROR);
  EXPECT(strstr(policy_diagnostic_message(d), "no_such_function") != NULL);
  EXPECT_STR(policy_diagnostic_file(d), path);
  EXPECT(policy_diagnostic_line(d) == 5);
  EXPECT(policy_diagnostic_column(d) == 11);
  EXPECT(strstr(policy_diagnostic_text(d), "^") != NULL);
  EXPECT(policy_diagnostics_at(diags, 1000) == NULL);
  policy_diagnostics_free(diags);

  /* A good engine for the check errors. */
  snprintf(path, sizeof path, "%s/t.policy", dir);
  engine = make_engine(path, NULL);

  rc = policy_check_buffer(engine, "x.yml", "a: 1\n", 5, "spreadsheet", &result);
  EXPECT(rc == POLICY_ERROR_UNKNOWN_KIND);
  EXPECT(result == NULL);
  EXPECT(strstr(policy_last_error(), "spreadsheet") != NULL);

  rc = policy_check_buffer(engine, "notes.txt", "a: 1\n", 5, NULL, &result);
  EXPECT(rc == POLICY_ERROR_UNKNOWN_KIND);
  EXPECT(result == NULL);

  /* An unreadable input is a problem in the result, and a status. */
  snprintf(path, sizeof path, "%s/missing-compose.yml", dir);
  rc = policy_check_file(engine, path, "compose", &result);
  EXPECT(rc == POLICY_ERROR_INPUT);
  EXPECT(result != NULL);
  EXPECT(policy_result_problem_count(result) == 1);
  EXPECT_STR(policy_problem_file(policy_result_problem(result, 0)), path);
  EXPECT(strlen(policy_problem_message(policy_result_problem(result, 0))) > 0);
  EXPECT(strstr(policy_last_error(), "missing-compose.yml") != NULL);
  policy_result_free(result);

  /* Malformed YAML. */
  rc = policy_check_buffer(engine, "compose.yml", "services: [\n", 12, "compose", &result);
  EXPECT(rc == POLICY_ERROR_INPUT);
  EXPECT(policy_result_problem_count(result) == 1);
  EXPECT(policy_problem_line(policy_result_problem(result, 0)) >= 1);
  policy_result_free(result);

  /* NULLs are argument errors, never crashes. */
  EXPECT(policy_check_file(NULL, "x.yml", NULL, &result) == POLICY_ERROR_INVALID_ARGUMENT);
  EXPECT(policy_check_file(engine, NULL, NULL, &result) == POLICY_ERROR_INVALID_ARGUMENT);
  EXPECT(policy_check_file(engine, "x.yml", NULL, NULL) == POLICY_ERROR_INVALID_ARGUMENT);
  {
    policy_engine* none = engine;
    EXPECT(policy_engine_create(NULL, &none, NULL) == POLICY_ERROR_INVALID_ARGUMENT);
    EXPECT(none == NULL);
  }
  EXPECT(policy_options_add_param(NULL, "a", "b") == POLICY_ERROR_INVALID_ARGUMENT);
  EXPECT(policy_result_finding_count(NULL) == 0);
  EXPECT_STR(policy_finding_rule(NULL), "");
  EXPECT_STR(policy_result_json(NULL), "");
  policy_result_free(NULL);
  policy_diagnostics_free(NULL);
  policy_engine_free(NULL);
  policy_engine_free(engine);
  policy_options_free(NULL);

  /* A successful call clears the last error. */
  EXPECT(strlen(policy_last_error()) > 0);
  EXPECT(policy_options_set_builtin(opts = policy_options_new(), 1) == POLICY_OK);
  EXPECT_STR(policy_last_error(), "");
  policy_options_free(opts);
}

/* One engine, several threads checking at once: each must see the same result. */
struct worker {
  const policy_engine* engine;
  int ok;
};

static void* check_many(void* arg) {
  struct worker* w = (struct worker*)arg;
  int i;
  w->ok = 1;
  for (i = 0; i < 50; ++i) {
    policy_result* r = NULL;
    if (policy_check_buffer(w->engine, "compose.yml", kCompose, strlen(kCompose), "compose", &r) !=
            POLICY_OK ||
        policy_result_finding_count(r) != 1 ||
        strcmp(policy_finding_rule(policy_result_finding(r, 0)), "T-IMG-001") != 0 ||
        strstr(policy_result_json(r), "\"T-IMG-001\"") == NULL)
      w->ok = 0;
    policy_result_free(r);
  }
  return NULL;
}

static void test_threads(const char* dir) {
  char path[1024];
  policy_engine* engine;
  pthread_t threads[4];
  struct worker workers[4];
  int i;
  snprintf(path, sizeof path, "%s/t.policy", dir);
  engine = make_engine(path, NULL);
  for (i = 0; i < 4; ++i) {
    workers[i].engine = engine;
    EXPECT(pthread_create(&threads[i], NULL, check_many, &workers[i]) == 0);
  }
  for (i = 0; i < 4; ++i) {
    EXPECT(pthread_join(threads[i], NULL) == 0);
    EXPECT(workers[i].ok);
  }
  policy_engine_free(engine);
}

static void test_builtin(void) {
  policy_options* opts = policy_options_new();
  policy_engine* engine = NULL;
  EXPECT(policy_engine_create(opts, &engine, NULL) == POLICY_OK);
  EXPECT(policy_engine_rule_count(engine) > 0);
  {
    /* A .env as kind "dotenv": RDY-SEC-008 at the value, the secret redacted. */
    static const char kEnv[] = "LOG_LEVEL=info\nSTRIPE_API_KEY=sk_live_0123456789abcdef\n";
    policy_result* result = NULL;
    const policy_finding* f;
    EXPECT(policy_check_buffer(engine, "app.env", kEnv, strlen(kEnv), "dotenv", &result) ==
           POLICY_OK);
    f = find_rule(result, "RDY-SEC-008");
    EXPECT(f != NULL);
    if (f != NULL) {
      EXPECT(policy_finding_line(f) == 2 && policy_finding_column(f) == 16);
      EXPECT(strstr(policy_finding_message(f), "sk_live") == NULL);
    }
    policy_result_free(result);
  }
  policy_options_free(opts);
  policy_engine_free(engine);
}

int main(int argc, char** argv) {
  char dir[] = "/tmp/policy_c_api_XXXXXX";
  if (argc < 2) {
    fprintf(stderr, "usage: c_api_test SOURCE_DIR\n");
    return 2;
  }
  if (mkdtemp(dir) == NULL) {
    perror("mkdtemp");
    return 2;
  }
  {
    char path[1024];
    snprintf(path, sizeof path, "%s/t.policy", dir);
    if (!write_file(path, kRules)) return 2;
  }
  EXPECT_STR(policy_version(), POLICY_PROJECT_VERSION);
  test_buffer_and_file(dir, argv[1]);
  test_errors(dir);
  test_threads(dir);
  test_builtin();
  {
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
  }
  if (failures == 0) printf("c_api_test: all passed\n");
  return failures == 0 ? 0 : 1;
}
