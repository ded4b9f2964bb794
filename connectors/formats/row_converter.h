// RowConverter builds rows of one target table from JSON objects: it finds the target
// column of each JSON field (ColumnLookup) and converts the field's value by the rules of
// json_values.h. Fields the target does not have are ignored; columns the object does not
// mention stay NULL.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "connectors/change.h"
#include "connectors/formats/json_values.h"
#include "ivm/value.h"

namespace connectors {

// Finds target columns by JSON field name: exact match first, then ASCII case-insensitive
// (SQL folds unquoted column names to lower case; source systems often do not).
class ColumnLookup {
 public:
  explicit ColumnLookup(std::vector<std::string> names);
  ColumnLookup(const ColumnLookup&) = delete;
  ColumnLookup& operator=(const ColumnLookup&) = delete;

  // The column index, or -1. `hint` is the column expected next (fields usually arrive in
  // column order), checked before any hashing.
  int Find(std::string_view name, int hint = -1) const;

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string_view, int> exact_;
  std::unordered_map<std::string, int> folded_;
};

// Builds rows of one target table from JSON objects.
class RowConverter {
 public:
  explicit RowConverter(const TargetSchema& target);

  const TargetSchema& target() const { return target_; }
  bool keyed() const { return !target_.key.empty(); }
  int column_count() const { return static_cast<int>(target_.types.size()); }
  int FindColumn(std::string_view name) const { return lookup_.Find(name); }

  // A row of typed NULLs.
  ivm::Row NullRow() const;

  // Sets, for each field of `object` that names a target column, that column's value; other
  // fields are ignored (and a field named `capture_name`, when given, is copied to
  // *captured as its JSON text: string contents unquoted). `encodings` is per target column,
  // or null. Throws ivm::Error naming the column.
  void Fill(simdjson::ondemand::object object, ivm::Row* row,
            const FieldEncoding* encodings = nullptr, std::string_view capture_name = {},
            std::optional<std::string>* captured = nullptr) const;
  // Sets column `column` of *row from one JSON value, naming the column in errors.
  void SetColumn(int column, simdjson::ondemand::value json, ivm::Row* row,
                 FieldEncoding encoding = {}) const;
  // NullRow() then Fill().
  ivm::Row Convert(simdjson::ondemand::object object,
                   const FieldEncoding* encodings = nullptr) const;

  // Whether every key column of `row` is non-NULL (true for a keyless table).
  bool HasKey(const ivm::Row& row) const;
  // Throws 22023 naming the first NULL key column; `what` says which row ("the after-image
  // of a Canal INSERT").
  void RequireKey(const ivm::Row& row, std::string_view what) const;

 private:
  TargetSchema target_;
  ColumnLookup lookup_;
};

}  // namespace connectors
