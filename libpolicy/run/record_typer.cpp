#include "libpolicy/run/record_typer.h"

#include <fmt/format.h>

#include <algorithm>
#include <new>

#include "libpolicy/eval/builtins/support.h"
#include "libpolicy/load/scalar_typing_internal.h"

namespace policy::run {

using eval::CallContext;
using eval::FindBuiltin;
using eval::ParseBengaliDigits;
namespace {

// True when `s` is all ASCII; `*out` is then `s` without ASCII white space around it.
bool AsciiTrimmed(std::string_view s, std::string_view* out) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  auto space = [](char c) { return c == ' ' || (c >= 0x09 && c <= 0x0D); };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  *out = s;
  return true;
}

// `s` equals the lower-case ASCII word `word` once ASCII letters are lowered.
bool EqualsLowered(std::string_view s, std::string_view word) {
  if (s.size() != word.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != word[i]) return false;
  }
  return true;
}

// Replaces `cell` by `v` located where `cell` is. Written in place: building the
// value elsewhere and copying it costs more (partial stores, then wide loads).
template <class Make>
void Replace(Value& cell, Make&& make) {
  const Loc loc = cell.loc();
  const PathNode* path = cell.path();
  const uint8_t flags = cell.flags();
  new (&cell) Value(make());
  cell.set_loc(loc);
  cell.set_path(path);
  cell.set_flags(flags);
}

// Writes `make()` to `cell`, located where `origin` is.
template <class Make>
void Replace(Value& cell, const Value& origin, Make&& make) {
  new (&cell) Value(make());
  cell.set_loc(origin.loc());
  cell.set_path(origin.path());
  cell.set_flags(origin.flags());
}

}  // namespace

RecordTyper::RecordTyper(const Schema* schema, const load::CsvHeader* header) : schema_(schema) {
  to_decimal_ = FindBuiltin("decimal");
  to_date_ = FindBuiltin("date");
  if (schema_ == nullptr) return;
  const size_t n = schema_->fields.size();
  typed_.resize(n);
  columns_.assign(n, -1);
  search_columns_.assign(n, -1);
  for (size_t i = 0; i < n; ++i) {
    const SchemaField& f = schema_->fields[i];
    pattern_values_.push_back(Value::String(f.date_pattern));
    Kind kind = Kind::kOther;
    switch (f.type) {
      case Type::kString:
        kind = Kind::kString;
        break;
      case Type::kDecimal:
        kind = Kind::kDecimal;
        break;
      case Type::kDate:
        kind = f.date_pattern.empty() ? Kind::kDateIso : Kind::kDatePattern;
        break;
      case Type::kBool:
        kind = Kind::kBool;
        break;
      default:
        break;
    }
    plan_.push_back({kind, f.required});
    if (header == nullptr) continue;
    columns_[i] = ColumnOf(f, header->names.size(),
                           [&](size_t c) -> std::string_view { return header->names[c]; });
  }
  csv_ = header != nullptr;
  if (csv_) {
    csv_fields_every_column_ = FieldsCoverRow(columns_.data(), header->names.size());
    csv_width_ = header->names.size();
    for (size_t i = 0; i < n; ++i) {
      if (columns_[i] >= 0 && static_cast<size_t>(columns_[i]) < csv_width_) {
        csv_fields_.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(columns_[i]),
                               plan_[i].kind, plan_[i].required, schema_->fields[i].name});
      } else {
        csv_absent_.push_back(static_cast<uint32_t>(i));
      }
    }
  }
}

// The column a field is read from: the first one named `f.name`, else the
// first named by an alias, trying the aliases in order; -1 when none is.
template <class NameAt>
int RecordTyper::ColumnOf(const SchemaField& f, size_t size, NameAt&& name_at) {
  auto find = [&](std::string_view name) {
    for (size_t c = 0; c < size; ++c)
      if (name_at(c) == name) return static_cast<int>(c);
    return -1;
  };
  int column = find(f.name);
  for (size_t a = 0; column < 0 && a < f.aliases.size(); ++a) column = find(f.aliases[a]);
  return column;
}

// Whether the fields' columns (distinct, as the fields' names are) are all the
// `size` columns of a row.
bool RecordTyper::FieldsCoverRow(const int* columns, size_t size) const {
  size_t present = 0;
  for (size_t i = 0; i < plan_.size(); ++i)
    present += columns[i] >= 0 && static_cast<size_t>(columns[i]) < size ? 1 : 0;
  return present == size;
}

std::string RecordTyper::TypeLabel(const SchemaField& f) {
  if (f.type == Type::kDate)
    return f.date_pattern.empty() ? "date (YYYY-MM-DD)" : "date (" + f.date_pattern + ")";
  return std::string(TypeName(f.type));
}

// The column of each field in `raw` (first key with the field's name, -1 when
// none), remembered per record shape: records of one shape share their keys.
// `*covers`: whether those columns are all of `raw`'s (FieldsCoverRow).
const int* RecordTyper::ColumnsFor(const load::Record& rec, std::span<const MapEntry> raw,
                                   bool* covers) {
  auto search = [&](std::vector<int>& out) {
    out.resize(schema_->fields.size());
    for (size_t i = 0; i < schema_->fields.size(); ++i)
      out[i] = ColumnOf(schema_->fields[i], raw.size(),
                        [&](size_t c) -> std::string_view { return raw[c].key; });
    return FieldsCoverRow(out.data(), raw.size());
  };
  if (rec.shape == 0) {
    *covers = search(search_columns_);
    return search_columns_.data();
  }
  for (size_t s = 0; s < shape_columns_.size(); ++s) {
    if (shape_columns_[s].shape != rec.shape) continue;
    if (s != 0) std::swap(shape_columns_[s], shape_columns_[0]);
    *covers = shape_columns_[0].covers;
    return shape_columns_[0].columns.data();
  }
  if (shape_columns_.size() < kShapes) shape_columns_.emplace_back();
  ShapeColumns& fresh = shape_columns_.back();
  fresh.shape = rec.shape;
  fresh.covers = search(fresh.columns);
  std::swap(fresh, shape_columns_[0]);
  *covers = shape_columns_[0].covers;
  return shape_columns_[0].columns.data();
}

// The common cells: a non-empty string for a string field, plain money text
// for a decimal field, an ISO date. Writes `out`; false (and
// nothing written) for anything else. Always inlined: a call costs as much as
// the common cell's copy.
[[gnu::always_inline]] inline bool RecordTyper::TypeFast(Kind kind, const Value& in, Value& out) {
  if (in.is(Type::kString)) {
    const std::string_view s = in.as_string();
    if (s.empty()) return false;
    if (kind == Kind::kString) {
      out = in;
      return true;
    }
    if (kind == Kind::kDecimal) {
      Decimal d;
      if (!Decimal::ParsePlain(s, &d)) return false;
      Replace(out, in, [&] { return Value::Number(d); });
      return true;
    }
    if (kind == Kind::kDateIso) {
      std::optional<Date> d = Date::ParseIso(s);
      if (!d) return false;
      Replace(out, in, [&] { return Value::OfDate(*d); });
      return true;
    }
    return false;
  }
  if (in.is(Type::kDecimal) && kind == Kind::kDecimal) {
    out = in;
    return true;
  }
  return false;
}

Value RecordTyper::TypeRow(const load::Record& rec, Arena& arena, const IssueSink& issue) {
  std::span<const MapEntry> raw = rec.row.as_map();
  bool covers = csv_fields_every_column_;
  const int* columns = csv_ ? columns_.data() : ColumnsFor(rec, raw, &covers);
  const size_t n = plan_.size();
  // The typed row is a copy: `rec.row` stays the untyped row that issues show.
  // Each field's cell is written once, into the row, from the raw cell (typed_
  // points at it): a bulk copy first would be read back at once (store
  // forwarding stalls). Only columns no field names need that copy.
  absent_ = Value::Null().WithOriginOf(rec.row);
  if (covers) {
    entries_.resize(raw.size());
  } else {
    entries_.assign(raw.begin(), raw.end());
  }
  if (csv_ && raw.size() == csv_width_) {
    // The usual CSV row: no field is missing a column (CSV reports none).
    const Value** typed = typed_.data();
    MapEntry* entries = entries_.data();
    for (const uint32_t i : csv_absent_) typed[i] = &absent_;
    for (const CsvField& f : csv_fields_) {
      const MapEntry& in = raw[f.column];
      MapEntry& out = entries[f.column];
      out.key = f.key;  // the field's name, also when the column has an alias
      typed[f.field] = &out.value;
      // An empty plain cell is already null: what TypeSlow makes of it when the
      // field is optional, without the call (many cells are empty).
      if (in.value.is_null() && !f.required) {
        out.value = in.value;
        continue;
      }
      if (!TypeFast(f.kind, in.value, out.value))
        TypeSlow(f.field, in.value, out.value, arena, issue);
    }
    Value row = Value::Map(entries_.data(), static_cast<uint32_t>(entries_.size()));
    row.set_loc(rec.row.loc());
    row.set_path(rec.row.path());
    return row;
  }
  for (size_t i = 0; i < n; ++i) {
    const int col = columns[i];
    if (col < 0 || static_cast<size_t>(col) >= raw.size()) {
      if (plan_[i].required && !csv_)
        issue.call(issue.fn, Value::Null().WithOriginOf(rec.row),
                   fmt::format("required field '{}' is missing", schema_->fields[i].name));
      typed_[i] = &absent_;
      continue;
    }
    const MapEntry& in = raw[static_cast<size_t>(col)];
    MapEntry& out = entries_[static_cast<size_t>(col)];
    out.key = schema_->fields[i].name;  // rules see an aliased column under the field's name
    typed_[i] = &out.value;
    if (!TypeFast(plan_[i].kind, in.value, out.value))
      TypeSlow(i, in.value, out.value, arena, issue);
  }
  Value row = Value::Map(entries_.data(), static_cast<uint32_t>(entries_.size()));
  row.set_loc(rec.row.loc());
  row.set_path(rec.row.path());
  return row;
}

// Everything else: empty cells (required or null), conversions that need more
// than TypeFast reads, and rejections.
void RecordTyper::TypeSlow(size_t field, const Value& in, Value& out, Arena& arena,
                           const IssueSink& issue) {
  out = in;
  if (out.is(Type::kString) && out.as_string().empty())
    Replace(out, in, [] { return Value::Null(); });
  if (out.is_null()) {
    if (plan_[field].required)
      issue.call(issue.fn, out,
                 fmt::format("required field '{}' is empty", schema_->fields[field].name));
  } else if (plan_[field].kind != Kind::kString || !out.is(Type::kString)) {
    if (!Convert(field, out, arena)) {
      Reject(field, out, issue);
      Replace(out, in, [] { return Value::Null(); });
    }
  }
}

void RecordTyper::Reject(size_t field, const Value& v, const IssueSink& issue) const {
  const SchemaField& f = schema_->fields[field];
  issue.call(issue.fn, v,
             fmt::format("field '{}': {} is not a {}", f.name, ToJson(v), TypeLabel(f)));
}

// Replaces `v` (not null, not an empty string) by its value as the field's type,
// located where it is; false (and `v` unchanged) when it is not one.
bool RecordTyper::Convert(size_t field, Value& v, Arena& arena) {
  auto by_builtin = [&](const Builtin* fn, std::span<const Value> args) {
    CallContext ctx(arena);
    Value r = fn->fn(args, ctx);
    if (r.is_null()) return false;
    v = r.WithOriginOf(v);
    return true;
  };
  switch (plan_[field].kind) {
    case Kind::kString:
      if (v.is(Type::kString)) return true;
      if (v.is(Type::kDecimal) || v.is(Type::kBool)) {
        std::string_view s = MakeString(arena, ToText(v)).as_string();
        Replace(v, [&] { return Value::String(s); });
        return true;
      }
      return false;
    case Kind::kDecimal: {
      if (v.is(Type::kDecimal)) return true;
      if (!v.is(Type::kString)) return false;
      if (Decimal d; Decimal::ParsePlain(v.as_string(), &d)) {
        Replace(v, [&] { return Value::Number(d); });
        return true;
      }
      // Plain ASCII needs no Unicode trimming or digit mapping: parse it directly.
      if (std::string_view plain; AsciiTrimmed(v.as_string(), &plain)) {
        std::optional<Decimal> d = Decimal::Parse(plain);
        if (!d) return false;
        Replace(v, [&] { return Value::Number(*d); });
        return true;
      }
      // Bengali quantities: the builtin's answer, read directly.
      if (Decimal d; ParseBengaliDigits(v.as_string(), &d)) {
        Replace(v, [&] { return Value::Number(d); });
        return true;
      }
      return by_builtin(to_decimal_, std::span<const Value>(&v, 1));
    }
    case Kind::kDateIso: {
      if (!v.is(Type::kString)) return false;
      if (std::string_view plain; AsciiTrimmed(v.as_string(), &plain)) {
        std::optional<Date> d = Date::ParseIso(plain);
        if (!d) return false;
        Replace(v, [&] { return Value::OfDate(*d); });
        return true;
      }
      return by_builtin(to_date_, std::span<const Value>(&v, 1));
    }
    case Kind::kDatePattern: {
      if (!v.is(Type::kString)) return false;
      Value args[2] = {v, pattern_values_[field]};
      return by_builtin(to_date_, std::span<const Value>(args, 2));
    }
    case Kind::kBool:
      if (v.is(Type::kBool)) return true;
      if (v.is(Type::kString)) {
        std::string_view s = v.as_string();
        if (EqualsLowered(s, "true") || EqualsLowered(s, "false")) {
          bool b = EqualsLowered(s, "true");
          Replace(v, [b] { return Value::Bool(b); });
          return true;
        }
      }
      return false;
    case Kind::kOther:
      break;
  }
  return false;
}

}  // namespace policy::run
