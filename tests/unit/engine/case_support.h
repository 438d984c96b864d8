#pragma once
// Helpers shared by the engine tests: reading files and compiling rule text.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "libpolicy/engine.h"

namespace policy_test {

// An input given as text, not read from `path` (which findings still name).
inline policy::Input Memory(const std::string& path, policy::InputKind kind,
                            const std::string& text) {
  policy::Input in;
  in.path = path;
  in.kind = kind;
  in.text = text;
  return in;
}

inline std::filesystem::path SourceDir() { return std::filesystem::path(POLICY_SOURCE_DIR); }

inline std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void WriteFile(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

// Compiles one in-memory rule file with no built-in packs.
inline policy::CompileResult CompileText(
    const std::string& text, std::vector<std::pair<std::string, std::string>> params = {}) {
  policy::CompileOptions options;
  options.builtin = false;
  options.sources.push_back({"test.policy", text, "."});
  options.params = std::move(params);
  return policy::Compile(options);
}

inline std::string DescribeDiagnostics(const std::vector<policy::Diagnostic>& diags) {
  std::string out;
  for (const auto& d : diags) {
    out += d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " +
           policy::SeverityName(d.severity) + ": [" + d.code + "] " + d.message + "\n";
  }
  return out;
}

inline std::string DescribeFindings(const std::vector<policy::Finding>& findings) {
  std::string out;
  for (const auto& f : findings) {
    out += f.file + ":" + std::to_string(f.line) + ":" + std::to_string(f.column) + ": " + f.rule +
           " " + policy::FindingKindName(f.kind) + " " + policy::SeverityName(f.severity) + " [" +
           f.path + "] " + f.message + "\n";
  }
  return out;
}

}  // namespace policy_test
