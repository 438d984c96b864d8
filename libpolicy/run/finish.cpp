#include "libpolicy/run/finish.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <numeric>
#include <optional>
#include <tuple>

#include "libpolicy/eval/program.h"
#include "libpolicy/eval/redact.h"
#include "libpolicy/eval/snippet.h"
#include "libpolicy/sha256.h"

namespace policy::run {
namespace {

namespace fs = std::filesystem;

// Appends ":n" to the fingerprint of the n-th finding (n > 1, in list order)
// with the same file and fingerprint.
void NumberRepeats(std::vector<eval::PendingFinding>& findings) {
  std::vector<uint32_t> order(findings.size());
  std::iota(order.begin(), order.end(), 0u);
  auto key = [&](uint32_t i) {
    const Finding& f = findings[i].finding;
    return std::tie(f.file, f.fingerprint);
  };
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const auto ka = key(a), kb = key(b);
    return ka < kb || (ka == kb && a < b);
  });
  for (size_t i = 0; i < order.size();) {
    size_t j = i + 1;
    while (j < order.size() && key(order[j]) == key(order[i])) ++j;
    for (size_t k = i + 1; k < j; ++k)
      findings[order[k]].finding.fingerprint += ":" + std::to_string(k - i + 1);
    i = j;
  }
}

}  // namespace

std::string RelativeToRoot(const std::string& path, const std::string& root) {
  std::error_code ec;
  fs::path abs = fs::weakly_canonical(fs::absolute(path, ec), ec);
  fs::path base =
      root.empty() ? fs::current_path(ec) : fs::weakly_canonical(fs::absolute(root, ec), ec);
  fs::path rel = abs.lexically_relative(base);
  std::string s = rel.empty() ? path : rel.generic_string();
  if (s.rfind("..", 0) == 0) s = fs::path(path).lexically_normal().generic_string();
  return s;
}

void FingerprintNow(eval::PendingFinding& p, const std::string& rel) {
  const Finding& f = p.finding;
  p.finding.fingerprint =
      Sha256::HexPrefix(f.rule + '\0' + rel + '\0' + f.path + '\0' + p.fingerprint_text, 16);
  std::string().swap(p.fingerprint_text);
}

void ApplyDirectives(const Program& program, InputResult& r, std::vector<Problem>& unused) {
  std::map<std::string, const std::vector<std::string>*> tags;
  for (const eval::CompiledRule& rule : program.rules) tags[rule.info.id] = &rule.info.tags;
  static const std::vector<std::string> kNoTags;
  for (eval::PendingFinding& p : r.findings) {
    Finding& f = p.finding;
    if (f.kind != FindingKind::kFinding) continue;
    auto t = tags.find(f.rule);
    auto in_file = r.directives.find(f.file);
    if (in_file == r.directives.end()) continue;
    Directive* d =
        FindDirective(in_file->second, f.rule, t == tags.end() ? kNoTags : *t->second, f.line);
    if (d == nullptr) continue;
    d->used = true;
    f.suppressed = Suppression::kInline;
  }
  for (const auto& [file, directives] : r.directives)
    for (const Directive& d : directives) {
      std::string ids;
      for (const std::string& id : d.ids) ids += (ids.empty() ? "" : ",") + id;
      if (d.reason.empty()) {
        eval::PendingFinding p;
        p.finding.rule = "SUPPRESS-001";
        p.finding.severity = Severity::kWarning;
        p.finding.file = file;
        p.finding.line = d.line;
        p.finding.column = d.column;
        p.finding.message =
            fmt::format("suppression of {} gives no reason; add `-- why` after the ids", ids);
        p.fingerprint_text = ids;
        ++r.by_rule["SUPPRESS-001"].failed;
        ++r.by_rule["SUPPRESS-001"].listed;
        r.findings.push_back(std::move(p));
      }
      if (!d.used)
        unused.push_back(
            {file, d.line, d.column, fmt::format("unused suppression of {}", ids), true});
    }
}

void FinishFindings(InputResult& r, const std::string& repo_root, std::vector<Finding>& out) {
  // The secrets found on each line, with where each is written on it.
  struct Secret {
    uint32_t column, end_column;
    std::string text;
  };
  std::map<std::pair<std::string, uint32_t>, std::vector<Secret>> secrets;
  for (const auto& p : r.findings)
    if (p.secret_masks_line)
      secrets[{p.finding.file, p.finding.line}].push_back(
          {p.secret_column, p.secret_end_column, p.secret});
  std::map<std::string, std::string> rel_cache;
  auto less = [](const eval::PendingFinding& a, const eval::PendingFinding& b) {
    return FindingLess(a.finding, b.finding);
  };
  // One rule's findings come sorted: then no sort buffer the size of the list.
  if (!std::is_sorted(r.findings.begin(), r.findings.end(), less))
    std::stable_sort(r.findings.begin(), r.findings.end(), less);
  // One allocation for a big input, without giving up doubling over many small ones.
  if (const std::size_t need = out.size() + r.findings.size(); need > out.capacity())
    out.reserve(std::max(need, 2 * out.capacity()));
  // Fingerprints first, then repeats numbered: the n-th finding in order with
  // a file's fingerprint gets ":n" (n > 1). Positions sorted by (file,
  // fingerprint, position) find the repeats with 4 bytes a finding, not a map
  // node and a key string each (a million findings: 16 MB, not 150).
  for (auto& p : r.findings) {
    if (!p.finding.fingerprint.empty()) continue;
    auto rel = rel_cache.find(p.finding.file);
    if (rel == rel_cache.end())
      rel = rel_cache.emplace(p.finding.file, RelativeToRoot(p.finding.file, repo_root)).first;
    FingerprintNow(p, rel->second);
  }
  NumberRepeats(r.findings);
  // The long line being cut into windows: the findings on a line are
  // consecutive once sorted, and in column order.
  std::optional<eval::LineCutter> cutter;
  std::string cut_file;
  uint32_t cut_line = 0;
  for (auto& p : r.findings) {
    Finding& f = p.finding;
    auto it = secrets.find({f.file, f.line});
    if (p.long_line) {
      if (!cutter || cut_file != f.file || cut_line != f.line) {
        std::vector<eval::LineSecret> on_line;
        if (it != secrets.end())
          for (const Secret& secret : it->second)
            on_line.push_back({secret.column, secret.end_column, secret.text});
        cutter.emplace(p.long_line, std::move(on_line));
        cut_file = f.file;
        cut_line = f.line;
      }
      eval::Snippet snippet = cutter->Cut(f.column ? f.column : 1);
      f.source_line = std::move(snippet.text);
      f.source_column = snippet.column;
      p.long_line.reset();
    } else if (it != secrets.end()) {
      for (const Secret& secret : it->second)
        f.source_line =
            eval::MaskSourceLine(f.source_line, secret.column, secret.end_column, secret.text);
    }
    out.push_back(std::move(f));
  }
  // What is left of them is moved-from: let it go before the report is sorted
  // and written, the run's high-water mark with a million findings.
  std::vector<eval::PendingFinding>().swap(r.findings);
}

}  // namespace policy::run
