#include "connectors/formats/plain_json.h"

#include "ivm/error.h"

namespace connectors {
namespace {

namespace ondemand = simdjson::ondemand;
namespace sqlstate = ivm::sqlstate;

[[noreturn]] void BadPath(std::string_view path, const char* why) {
  throw ivm::Error(sqlstate::kInvalidParameterValue,
                   "invalid jsonpath \"" + std::string(path) + "\": " + why, {},
                   "Write paths as \"$.a.b\", \"$.a[0]\" or \"$['a']\".");
}

void AppendPointerToken(std::string_view token, std::string* out) {
  out->push_back('/');
  for (char c : token) {
    if (c == '~') {
      out->append("~0");
    } else if (c == '/') {
      out->append("~1");
    } else {
      out->push_back(c);
    }
  }
}

bool IsOpName(std::string_view name) {
  return name.size() == 4 && name[0] == '_' && name[1] == '_' &&
         (name[2] == 'o' || name[2] == 'O') && (name[3] == 'p' || name[3] == 'P');
}

}  // namespace

std::string JsonPathToPointer(std::string_view path) {
  std::string_view p = path;
  while (!p.empty() && p.front() == ' ') p.remove_prefix(1);
  while (!p.empty() && p.back() == ' ') p.remove_suffix(1);
  if (p.empty() || p.front() != '$') BadPath(path, "it must start with $");
  p.remove_prefix(1);
  std::string pointer;
  while (!p.empty()) {
    if (p.front() == '.') {
      p.remove_prefix(1);
      size_t end = p.find_first_of(".[");
      std::string_view name = p.substr(0, end);
      if (name.empty()) BadPath(path, "an empty field name");
      AppendPointerToken(name, &pointer);
      p.remove_prefix(name.size());
    } else if (p.front() == '[') {
      size_t close;
      if (p.size() > 1 && (p[1] == '\'' || p[1] == '"')) {
        const char quote = p[1];
        close = p.find(quote, 2);
        if (close == std::string_view::npos || close + 1 >= p.size() || p[close + 1] != ']') {
          BadPath(path, "an unterminated ['name']");
        }
        AppendPointerToken(p.substr(2, close - 2), &pointer);
        p.remove_prefix(close + 2);
      } else {
        close = p.find(']');
        if (close == std::string_view::npos) BadPath(path, "an unterminated [index]");
        std::string_view index = p.substr(1, close - 1);
        if (index.empty() || index.find_first_not_of("0123456789") != std::string_view::npos) {
          BadPath(path, "an array index must be a non-negative integer");
        }
        AppendPointerToken(index, &pointer);
        p.remove_prefix(close + 1);
      }
    } else {
      BadPath(path, "expected . or [ after a step");
    }
  }
  return pointer;
}

PlainJsonDecoder::PlainJsonDecoder(const FormatOptions& options, const TargetSchema& target)
    : JsonMessageDecoder(options, target) {
  if (!options.json_root.empty()) root_pointer_ = JsonPathToPointer(options.json_root);
  const RowConverter& rows = converter();
  if (options.jsonpaths.empty()) {
    if (!options.jsonpath_columns.empty()) {
      throw ivm::Error(sqlstate::kInvalidParameterValue,
                       "columns for jsonpaths were given without jsonpaths");
    }
    return;
  }
  const size_t count =
      options.jsonpath_columns.empty() ? target.names.size() : options.jsonpath_columns.size();
  if (options.jsonpaths.size() != count) {
    throw ivm::Error(
        sqlstate::kInvalidParameterValue,
        "jsonpaths has " + std::to_string(options.jsonpaths.size()) + " paths for " +
            std::to_string(count) + " columns",
        {}, "Give one path per column, in the order of the COLUMNS list (or of the table).");
  }
  for (size_t i = 0; i < count; ++i) {
    path_pointers_.push_back(JsonPathToPointer(options.jsonpaths[i]));
    if (options.jsonpath_columns.empty()) {
      path_columns_.push_back(static_cast<int>(i));
      continue;
    }
    const std::string& name = options.jsonpath_columns[i];
    int column = rows.FindColumn(name);
    if (column < 0 && IsOpName(name)) column = kOpColumn;
    if (column == -1) {
      throw ivm::Error(sqlstate::kUndefinedColumn,
                       "column \"" + name + "\" of the jsonpaths columns does not exist");
    }
    path_columns_.push_back(column);
  }
}

void PlainJsonDecoder::DecodeDocument(std::string_view, ondemand::document& doc, ChangeSink* sink) {
  if (!path_pointers_.empty() || !root_pointer_.empty()) {
    DecodeWithPaths(doc, sink);
    // at_pointer() rewinds: walk the whole document once so RequireEnd() can check it.
    doc.rewind();
    (void)std::string_view(doc.raw_json());
    return;
  }
  ondemand::json_type type = doc.type();
  if (type == ondemand::json_type::array) {
    if (!options().strip_outer_array) {
      throw ivm::Error(sqlstate::kInvalidParameterValue,
                       "a JSON message is an array, not an object", {},
                       "Set strip_outer_array to load each element as a row.");
    }
    for (ondemand::value element : doc.get_array()) {
      DecodeObject(ExpectObject(element, "an element of the outer array"), sink);
    }
    return;
  }
  DecodeObject(RootObject(doc, "a JSON message"), sink);
}

void PlainJsonDecoder::DecodeObject(ondemand::object object, ChangeSink* sink) {
  const RowConverter& rows = converter();
  ivm::Row row = rows.NullRow();
  std::optional<std::string> op;
  rows.Fill(object, &row, nullptr, "__op", &op);
  EmitRow(std::move(row), op, sink);
}

void PlainJsonDecoder::DecodeWithPaths(ondemand::document& doc, ChangeSink* sink) {
  // JSON pointers need an object or array at the top; say so rather than let simdjson
  // report a pointer syntax error for a message that is not JSON at all.
  ondemand::json_type top;
  if (doc.type().get(top) != simdjson::SUCCESS ||
      (top != ondemand::json_type::object && top != ondemand::json_type::array)) {
    throw ivm::Error(sqlstate::kInvalidTextRepresentation,
                     "malformed JSON in json message: expected a JSON object or array");
  }
  if (!options().strip_outer_array) {
    DecodePathRow(doc, root_pointer_, sink);
    return;
  }
  ondemand::value root;
  simdjson::error_code error = doc.at_pointer(root_pointer_).get(root);
  if (error == simdjson::NO_SUCH_FIELD || error == simdjson::INDEX_OUT_OF_BOUNDS) {
    throw ivm::Error(sqlstate::kInvalidParameterValue,
                     "json_root \"" + options().json_root + "\" is not in the message");
  }
  if (error) throw simdjson::simdjson_error(error);
  if (root.type() != ondemand::json_type::array) {
    throw ivm::Error(sqlstate::kInvalidParameterValue,
                     "with strip_outer_array the rows must be a JSON array, not " +
                         std::string(JsonKindName(root.type())));
  }
  ondemand::array rows_array = root.get_array();
  const size_t count = rows_array.count_elements();
  for (size_t i = 0; i < count; ++i) {
    DecodePathRow(doc, root_pointer_ + "/" + std::to_string(i), sink);
  }
}

void PlainJsonDecoder::DecodePathRow(ondemand::document& doc, const std::string& prefix,
                                     ChangeSink* sink) {
  const RowConverter& rows = converter();
  ivm::Row row = rows.NullRow();
  std::optional<std::string> op;
  bool found_any = false;
  for (size_t i = 0; i < path_pointers_.size(); ++i) {
    pointer_.assign(prefix);
    pointer_.append(path_pointers_[i]);
    ondemand::value value;
    simdjson::error_code error = doc.at_pointer(pointer_).get(value);
    if (error == simdjson::NO_SUCH_FIELD || error == simdjson::INDEX_OUT_OF_BOUNDS ||
        error == simdjson::INCORRECT_TYPE) {
      continue;  // StarRocks: a path that matches nothing loads NULL
    }
    if (error) throw simdjson::simdjson_error(error);
    found_any = true;
    if (path_columns_[i] == kOpColumn) {
      op = JsonText(value);
    } else {
      rows.SetColumn(path_columns_[i], value, &row);
    }
  }
  if (path_pointers_.empty()) {
    // json_root without jsonpaths: the object there holds the row by field names.
    ondemand::value value;
    simdjson::error_code error = doc.at_pointer(prefix).get(value);
    if (error == simdjson::NO_SUCH_FIELD || error == simdjson::INDEX_OUT_OF_BOUNDS) {
      throw ivm::Error(sqlstate::kInvalidParameterValue,
                       "json_root \"" + options().json_root + "\" is not in the message");
    }
    if (error) throw simdjson::simdjson_error(error);
    DecodeObject(ExpectObject(value, "the value at json_root"), sink);
    return;
  }
  if (!found_any) {
    throw ivm::Error(sqlstate::kInvalidParameterValue,
                     "no jsonpath matches anything in the message");
  }
  EmitRow(std::move(row), op, sink);
}

void PlainJsonDecoder::EmitRow(ivm::Row row, const std::optional<std::string>& op,
                               ChangeSink* sink) {
  const RowConverter& rows = converter();
  if (sink->wants_metadata()) sink->metadata().op = op.value_or("");
  if (!op) {
    rows.RequireKey(row, "a JSON row");
    sink->Insert(std::move(row));
  } else if (*op == "0" || *op == "upsert" || *op == "UPSERT") {
    rows.RequireKey(row, "a JSON row with __op 0 (upsert)");
    if (rows.keyed()) {
      sink->Update(std::nullopt, std::move(row));
    } else {
      sink->Insert(std::move(row));
    }
  } else if (*op == "1" || *op == "delete" || *op == "DELETE") {
    rows.RequireKey(row, "a JSON row with __op 1 (delete)");
    sink->Delete(std::move(row));
  } else {
    throw ivm::Error(sqlstate::kInvalidParameterValue,
                     "__op must be 0 (upsert) or 1 (delete), not \"" + *op + "\"");
  }
}

}  // namespace connectors
