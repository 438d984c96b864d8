#include "cli/run_setup.h"

#include <ostream>
#include <stdexcept>

#include "cli/exit_code.h"

namespace policy::cli {

bool PrepareRun(const Options& options, Streams& io, RunSetup& setup) {
  setup.options = options;
  setup.compile_options = CompileOptionsFrom(options);
  std::string path = options.config.empty() ? DiscoverConfig() : options.config;
  if (path.empty()) return true;
  ConfigResult loaded = LoadConfig(path);
  if (!loaded.config) {
    io.err << loaded.error << "\n";
    return false;
  }
  setup.config = std::move(loaded.config);
  ApplyConfig(*setup.config, setup.options, setup.compile_options);
  return true;
}

CompileResult CompileSetup(const RunSetup& setup, Streams& io) {
  CompileResult compiled = Compile(setup.compile_options);
  if (!compiled.program && setup.config && !setup.config->rules_config.empty()) {
    // The engine names an unknown id without a place; compiled without the
    // settings, the catalogue tells which ids are unknown and the file where.
    CompileOptions plain = setup.compile_options;
    plain.severity_overrides.clear();
    plain.enabled_overrides.clear();
    CompileResult catalogue = Compile(plain);
    if (catalogue.program) {
      std::vector<std::string> errors = CheckRuleIds(*setup.config, ListRules(*catalogue.program));
      if (!errors.empty()) {
        for (const std::string& e : errors) io.err << e << "\n";
        return {nullptr, {}};
      }
    }
  }
  bool color = UseColor(setup.options.color, io.err_is_tty, io.no_color);
  for (const Diagnostic& d : compiled.diagnostics) io.err << FormatDiagnostic(d, color);
  io.err.flush();
  // Exit 3 like any other internal error: main() reports it.
  for (const Diagnostic& d : compiled.diagnostics)
    if (IsInternalDiagnostic(d)) throw InternalError(d.message);
  return compiled;
}

}  // namespace policy::cli
