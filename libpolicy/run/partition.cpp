// SplitRecords and WholeInputRules (partition.h).
#include "libpolicy/partition.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "libpolicy/eval/program.h"
#include "libpolicy/load/loaders.h"
#include "libpolicy/run/input_plan.h"
#include "libpolicy/run/rule_selection.h"

namespace policy {
namespace {

// A file mapped read-only for one pass; empty files map to an empty view.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      error_ = std::strerror(errno);
      return;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      error_ = std::strerror(errno);
    } else if (!S_ISREG(st.st_mode)) {
      error_ = "not a regular file";
    } else if (st.st_size > 0) {
      size_ = static_cast<std::size_t>(st.st_size);
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        error_ = std::strerror(errno);
        size_ = 0;
      } else {
        data_ = static_cast<const char*>(p);
        ::madvise(p, size_, MADV_SEQUENTIAL);
      }
    }
    ::close(fd);
  }
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view text() const { return {data_, size_}; }
  const std::string& error() const { return error_; }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  std::string error_;
};

}  // namespace

Partitions SplitRecords(const Program& program, const Input& input, uint64_t target_bytes) {
  Partitions out;
  const run::InputPlan plan = run::PlanInput(program, input);
  std::optional<MappedFile> mapped;
  std::string_view text;
  if (input.text) {
    text = *input.text;
  } else {
    mapped.emplace(input.path);
    if (!mapped->error().empty()) {
      out.problem = plan.display + ": cannot open: " + mapped->error();
      return out;
    }
    text = mapped->text();
  }
  out.splittable = plan.read_as == run::ReadAs::kRecordStream;
  if (!out.splittable || target_bytes == 0 || text.size() <= target_bytes) {
    out.ranges.push_back({0, text.size(), 1});
    return out;
  }
  out.ranges = load::SplitRecordBytes(text, plan.format, plan.delimiter, target_bytes);
  return out;
}

std::vector<std::string> WholeInputRules(const Program& program, const CheckOptions& options) {
  std::vector<std::string> ids;
  for (const eval::CompiledRule* rule : run::SelectRules(program, options).records)
    if (rule->is_unique || rule->mostly) ids.push_back(rule->info.id);
  return ids;
}

std::vector<std::string> CrossInputRules(const Program& program, const CheckOptions& options) {
  std::vector<std::string> ids;
  const run::ActiveRules rules = run::SelectRules(program, options);
  for (const auto* list : rules.Lists())
    for (const eval::CompiledRule* rule : *list)
      if (rule->is_grouped() || !rule->reads_indexes.empty()) ids.push_back(rule->info.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace policy
