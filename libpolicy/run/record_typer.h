#pragma once
// Schema typing of record inputs: the typed schema fields and the row that rules
// see, for one record at a time. Private to the library.
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "libpolicy/arena.h"
#include "libpolicy/eval/builtins.h"
#include "libpolicy/eval/evaluator.h"
#include "libpolicy/eval/program.h"
#include "libpolicy/load/loaders.h"
#include "libpolicy/value.h"

namespace policy::run {

using eval::Builtin;
using eval::Schema;
using eval::SchemaField;
using eval::TypedRow;

class RecordTyper {
 public:
  // `header`: the CSV header (columns are bound by name once); null for JSON
  // Lines and in-memory record lists (fields are found by key per record).
  RecordTyper(const Schema* schema, const load::CsvHeader* header);

  // Types `rec`; schema problems go to `issue(at, message)`, in field order, while
  // `rec.row` is still the untyped row. The returned row and typed() are valid
  // until the next call, and as long as `rec` and `arena` are.
  template <class IssueFn>
  Value Type(const load::Record& rec, Arena& arena, IssueFn&& issue) {
    if (schema_ == nullptr) return rec.row;
    IssueSink sink{&issue, [](void* fn, const Value& at, std::string message) {
                     (*static_cast<std::remove_reference_t<IssueFn>*>(fn))(at, std::move(message));
                   }};
    return TypeRow(rec, arena, sink);
  }

  // The typed schema fields of the last record, by field index (null without
  // schema): pointers into the returned row, not copies of its cells.
  TypedRow typed() const { return schema_ ? typed_.data() : nullptr; }

 private:
  struct IssueSink {
    void* fn;
    void (*call)(void* fn, const Value& at, std::string message);
  };
  enum class Kind : uint8_t { kString, kDecimal, kDateIso, kDatePattern, kBool, kOther };
  struct Plan {
    Kind kind;
    bool required;
  };

  Value TypeRow(const load::Record& rec, Arena& arena, const IssueSink& issue);
  const int* ColumnsFor(const load::Record& rec, std::span<const MapEntry> raw, bool* covers);
  bool FieldsCoverRow(const int* columns, size_t size) const;
  template <class NameAt>
  static int ColumnOf(const SchemaField& f, size_t size, NameAt&& name_at);
  static bool TypeFast(Kind kind, const Value& in, Value& out);
  void TypeSlow(size_t field, const Value& in, Value& out, Arena& arena, const IssueSink& issue);
  bool Convert(size_t field, Value& v, Arena& arena);
  void Reject(size_t field, const Value& v, const IssueSink& issue) const;
  static std::string TypeLabel(const SchemaField& f);

  const Schema* schema_;
  bool csv_ = false;
  bool csv_fields_every_column_ = false;  // every CSV column is a field's
  const Builtin* to_decimal_ = nullptr;
  const Builtin* to_date_ = nullptr;
  std::vector<Plan> plan_;           // per field
  std::vector<int> columns_;         // per field: CSV column, -1 when absent
  std::vector<const Value*> typed_;  // per field: into entries_, or &absent_
  Value absent_;                     // a field the record lacks: null, at the row
  std::vector<Value> pattern_values_;
  std::vector<MapEntry> entries_;  // the typed row
  // JSON Lines: field columns of recent record shapes (Record::shape), most
  // recent first; records without a shape search their keys.
  struct ShapeColumns {
    uint64_t shape = 0;
    std::vector<int> columns;
    bool covers = false;  // FieldsCoverRow
  };
  std::vector<ShapeColumns> shape_columns_;
  // CSV: the fields whose column the header has, in field order, and the rest.
  // Rows always have the header's width, so the per-field column checks are
  // made once here instead of per cell.
  struct CsvField {
    uint32_t field;
    uint32_t column;
    Kind kind;
    bool required;
    std::string_view key;  // the field's name: the typed row's key for the cell
  };
  std::vector<CsvField> csv_fields_;
  std::vector<uint32_t> csv_absent_;
  size_t csv_width_ = 0;
  std::vector<int> search_columns_;
  static constexpr size_t kShapes = 8;
};

}  // namespace policy::run
