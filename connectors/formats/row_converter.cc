#include "connectors/formats/row_converter.h"

#include "ivm/error.h"

namespace connectors {
namespace {

namespace ondemand = simdjson::ondemand;

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string FoldCase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

}  // namespace

ColumnLookup::ColumnLookup(std::vector<std::string> names) : names_(std::move(names)) {
  for (size_t i = 0; i < names_.size(); ++i) {
    exact_.emplace(names_[i], static_cast<int>(i));
    folded_.emplace(FoldCase(names_[i]), static_cast<int>(i));
  }
}

int ColumnLookup::Find(std::string_view name, int hint) const {
  if (hint >= 0 && hint < static_cast<int>(names_.size()) && names_[hint] == name) return hint;
  if (auto it = exact_.find(name); it != exact_.end()) return it->second;
  char buf[128];
  if (name.size() > sizeof buf) {
    auto it = folded_.find(FoldCase(name));
    return it == folded_.end() ? -1 : it->second;
  }
  for (size_t i = 0; i < name.size(); ++i) buf[i] = AsciiLower(name[i]);
  // unordered_map<std::string> has no heterogeneous lookup here: a short-string key costs no
  // allocation (SSO) for typical column names.
  auto it = folded_.find(std::string(buf, name.size()));
  return it == folded_.end() ? -1 : it->second;
}

RowConverter::RowConverter(const TargetSchema& target) : target_(target), lookup_(target.names) {}

ivm::Row RowConverter::NullRow() const {
  ivm::Row row;
  row.reserve(target_.types.size());
  for (const ivm::Type& t : target_.types) row.push_back(ivm::Value::Null(t.id));
  return row;
}

void RowConverter::SetColumn(int column, ondemand::value json, ivm::Row* row,
                             FieldEncoding encoding) const {
  try {
    (*row)[column] = JsonToValue(json, target_.types[column], encoding);
  } catch (const ivm::Error& e) {
    throw ivm::Error(e.sqlstate(), "column \"" + target_.names[column] + "\": " + e.message(),
                     e.detail(), e.hint());
  }
}

void RowConverter::Fill(ondemand::object object, ivm::Row* row, const FieldEncoding* encodings,
                        std::string_view capture_name, std::optional<std::string>* captured) const {
  int hint = 0;
  for (auto result : object) {
    ondemand::field field = std::move(result);
    std::string_view name = FieldName(field);
    int column = lookup_.Find(name, hint);
    if (column < 0) {
      if (captured != nullptr && name == capture_name) *captured = JsonText(field.value());
      continue;
    }
    SetColumn(column, field.value(), row, encodings ? encodings[column] : FieldEncoding{});
    hint = column + 1;
  }
}

ivm::Row RowConverter::Convert(ondemand::object object, const FieldEncoding* encodings) const {
  ivm::Row row = NullRow();
  Fill(object, &row, encodings);
  return row;
}

bool RowConverter::HasKey(const ivm::Row& row) const {
  for (int k : target_.key) {
    if (row[k].is_null()) return false;
  }
  return true;
}

void RowConverter::RequireKey(const ivm::Row& row, std::string_view what) const {
  for (int k : target_.key) {
    if (row[k].is_null()) {
      throw ivm::Error(
          ivm::sqlstate::kInvalidParameterValue,
          "key column \"" + target_.names[k] + "\" is missing or null in " + std::string(what));
    }
  }
}

}  // namespace connectors
