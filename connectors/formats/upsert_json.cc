#include "connectors/formats/upsert_json.h"

#include <string>

#include "ivm/error.h"

namespace connectors {
namespace {

namespace ondemand = simdjson::ondemand;
namespace sqlstate = ivm::sqlstate;

}  // namespace

UpsertJsonDecoder::UpsertJsonDecoder(const FormatOptions& options, const TargetSchema& target)
    : JsonMessageDecoder(options, target) {}

std::optional<ivm::Row> UpsertJsonDecoder::DecodeKey(std::string_view key) {
  if (IsTombstone(key)) return std::nullopt;
  const RowConverter& rows = converter();
  ivm::Row row = rows.NullRow();
  ondemand::document& doc = Parse(key);
  ondemand::json_type type = doc.type();
  if (type == ondemand::json_type::object) {
    rows.Fill(doc.get_object(), &row);
    RequireEnd(doc);
  } else if (type == ondemand::json_type::array) {
    throw ivm::Error(sqlstate::kInvalidParameterValue,
                     "the Kafka key of an upsert-json message must be a JSON object, not an array");
  } else {
    if (rows.target().key.size() != 1) {
      throw ivm::Error(sqlstate::kInvalidParameterValue,
                       "the Kafka key of an upsert-json message must be a JSON object holding "
                       "the key columns");
    }
    // A bare scalar: parse it as the one element of an array to get an on-demand value.
    std::string wrapped = "[" + std::string(key) + "]";
    ondemand::document& scalar = Parse(wrapped);
    ondemand::array array = scalar.get_array();
    for (ondemand::value element : array) {
      rows.SetColumn(rows.target().key[0], element, &row);
      break;
    }
  }
  rows.RequireKey(row, "the Kafka key of an upsert-json message");
  return row;
}

void UpsertJsonDecoder::DecodeMessage(std::string_view key, std::string_view value,
                                      ChangeSink* sink) {
  std::optional<ivm::Row> key_row = DecodeKey(key);  // before Parse(value): one document at a time
  ondemand::document& doc = Parse(value);
  const RowConverter& rows = converter();
  ivm::Row row = rows.Convert(RootObject(doc, "an upsert-json value"));
  RequireEnd(doc);
  if (key_row) {
    for (int k : rows.target().key) row[k] = std::move((*key_row)[k]);
  }
  rows.RequireKey(row, "an upsert-json message (its Kafka key or its value)");
  if (sink->wants_metadata()) sink->metadata().op = "upsert";
  sink->Update(std::nullopt, std::move(row));
}

void UpsertJsonDecoder::DecodeDocument(std::string_view, ondemand::document&, ChangeSink*) {
  // Unused: DecodeMessage parses the key and the value itself.
}

void UpsertJsonDecoder::DecodeTombstone(std::string_view key, ChangeSink* sink) {
  std::optional<ivm::Row> key_row = DecodeKey(key);
  if (!key_row) {
    throw ivm::Error(sqlstate::kInvalidParameterValue,
                     "an upsert-json message with a null value (a delete) has no Kafka key");
  }
  if (sink->wants_metadata()) sink->metadata().op = "delete";
  sink->Delete(std::move(*key_row));
}

}  // namespace connectors
