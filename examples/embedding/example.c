/* Checks a compose file against the rules in a directory and prints the findings.
 * Usage: example_c RULES_DIR COMPOSE_FILE */
#include <libpolicy/policy.h>
#include <stdio.h>

int main(int argc, char** argv) {
  policy_options* opts;
  policy_engine* engine = NULL;
  policy_diagnostics* diags = NULL;
  policy_result* result = NULL;
  size_t i;
  int rc;

  if (argc != 3) {
    fprintf(stderr, "usage: example_c RULES_DIR COMPOSE_FILE\n");
    return 2;
  }
  /* Compile once; an engine is immutable and may be shared by threads. */
  opts = policy_options_new();
  policy_options_set_builtin(opts, 0); /* only our rules, not the built-in packs */
  policy_options_add_rules(opts, argv[1]);
  rc = policy_engine_create(opts, &engine, &diags);
  policy_options_free(opts);
  for (i = 0; i < policy_diagnostics_count(diags); ++i)
    fputs(policy_diagnostic_text(policy_diagnostics_at(diags, i)), stderr);
  policy_diagnostics_free(diags);
  if (rc != POLICY_OK) return 2;

  /* Check as many inputs as you like with it. */
  rc = policy_check_file(engine, argv[2], "compose", &result);
  if (rc != POLICY_OK) fprintf(stderr, "%s\n", policy_last_error());
  for (i = 0; i < policy_result_finding_count(result); ++i) {
    const policy_finding* f = policy_result_finding(result, i);
    printf("%s:%u:%u: %s: %s [%s]\n", policy_finding_file(f), policy_finding_line(f),
           policy_finding_column(f), policy_severity_name(policy_finding_severity(f)),
           policy_finding_message(f), policy_finding_rule(f));
  }
  i = policy_result_finding_count(result);
  policy_result_free(result);
  policy_engine_free(engine);
  if (rc != POLICY_OK) return 2;
  return i == 0 ? 0 : 1;
}
