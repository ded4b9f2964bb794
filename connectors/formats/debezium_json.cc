#include "connectors/formats/debezium_json.h"

#include <charconv>

#include "ivm/error.h"

namespace connectors {
namespace {

namespace ondemand = simdjson::ondemand;
namespace sqlstate = ivm::sqlstate;

constexpr const char* kReplicaIdentityHint =
    "If the source is the Debezium PostgreSQL connector, set REPLICA IDENTITY FULL on the "
    "source table (ALTER TABLE ... REPLICA IDENTITY FULL) so that updates and deletes carry "
    "the old row.";

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// The encodings of the target columns named in the "after" (else "before") struct of a
// Kafka Connect envelope schema.
std::vector<FieldEncoding> EncodingsFromSchema(simdjson::dom::element schema,
                                               const RowConverter& converter, bool* any) {
  std::vector<FieldEncoding> encodings(converter.column_count());
  *any = false;
  simdjson::dom::array fields;
  if (schema["fields"].get_array().get(fields) != simdjson::SUCCESS) return encodings;
  simdjson::dom::element row_struct;
  bool found = false;
  for (simdjson::dom::element f : fields) {
    std::string_view name;
    if (f["field"].get_string().get(name) != simdjson::SUCCESS) continue;
    if (name == "after" || (name == "before" && !found)) {
      row_struct = f;
      found = true;
      if (name == "after") break;
    }
  }
  simdjson::dom::array columns;
  if (!found || row_struct["fields"].get_array().get(columns) != simdjson::SUCCESS) {
    return encodings;
  }
  for (simdjson::dom::element c : columns) {
    std::string_view field, logical;
    if (c["field"].get_string().get(field) != simdjson::SUCCESS) continue;
    int column = converter.FindColumn(field);
    if (column < 0 || c["name"].get_string().get(logical) != simdjson::SUCCESS) continue;
    int scale = 0;
    std::string_view scale_text;
    if (c.at_pointer("/parameters/scale").get_string().get(scale_text) == simdjson::SUCCESS) {
      auto [end, ec] =
          std::from_chars(scale_text.data(), scale_text.data() + scale_text.size(), scale);
      if (ec != std::errc() || end != scale_text.data() + scale_text.size() || scale < 0 ||
          scale > ivm::Decimal::kMaxScale) {
        throw ivm::Error(sqlstate::kInvalidParameterValue,
                         "the Debezium schema gives column \"" + std::string(field) +
                             "\" an invalid decimal scale \"" + std::string(scale_text) + "\"");
      }
    }
    encodings[column] = EncodingFromSchemaName(logical, scale);
    *any = *any || encodings[column].encoding != JsonEncoding::kPlain;
  }
  return encodings;
}

}  // namespace

DebeziumJsonDecoder::DebeziumJsonDecoder(const FormatOptions& options, const TargetSchema& target)
    : JsonMessageDecoder(options, target) {}

void DebeziumJsonDecoder::DecodeDocument(std::string_view, ondemand::document& doc,
                                         ChangeSink* sink) {
  ondemand::object top = RootObject(doc, "a Debezium message");
  encodings_ = nullptr;
  Envelope env;
  for (auto result : top) {
    ondemand::field field = std::move(result);
    std::string_view name = FieldName(field);
    ondemand::value value = field.value();
    if (name == "payload") {
      env.wrapped = true;
      if (value.type() == ondemand::json_type::null) {
        env.null_payload = true;
        continue;
      }
      for (auto payload_result : ExpectObject(value, "the Debezium \"payload\"")) {
        ondemand::field f = std::move(payload_result);
        std::string_view payload_name = FieldName(f);
        ReadEnvelopeField(payload_name, f.value(), &env, sink);
      }
    } else if (name == "schema") {
      if (value.type() == ondemand::json_type::null) continue;
      std::string_view text = TrimRight(ExpectObject(value, "the Debezium \"schema\"").raw_json());
      UseSchema(text);
      if (sink->wants_metadata()) sink->metadata().schema_json = std::string(text);
    } else {
      ReadEnvelopeField(name, value, &env, sink);
    }
  }
  Apply(&env, sink);
}

void DebeziumJsonDecoder::ReadEnvelopeField(std::string_view name, ondemand::value value,
                                            Envelope* env, ChangeSink* sink) {
  if (name == "after") {
    env->after = ReadRow(name, value);
  } else if (name == "before") {
    env->before = ReadRow(name, value);
  } else if (name == "op") {
    ondemand::json_type type = value.type();
    if (type != ondemand::json_type::string) {
      throw ivm::Error(
          sqlstate::kInvalidParameterValue,
          std::string("the Debezium \"op\" must be a string, not ") + JsonKindName(type));
    }
    env->op = std::string_view(value.get_string());
  } else if (sink->wants_metadata()) {
    if (name == "source") {
      ReadSource(value, &sink->metadata());
    } else if (name == "ts_ms" && value.type() == ondemand::json_type::number) {
      sink->metadata().ingestion_ts_ms = int64_t(value.get_int64());
    }
  }
}

std::optional<ivm::Row> DebeziumJsonDecoder::ReadRow(std::string_view name, ondemand::value value) {
  ondemand::json_type type = value.type();
  if (type == ondemand::json_type::null) return std::nullopt;
  if (type != ondemand::json_type::object) {
    throw ivm::Error(sqlstate::kInvalidParameterValue,
                     "the Debezium \"" + std::string(name) +
                         "\" must be a JSON object or null, not " + JsonKindName(type));
  }
  try {
    return converter().Convert(value.get_object(), encodings_);
  } catch (const ivm::Error& e) {
    throw ivm::Error(e.sqlstate(),
                     "in the Debezium \"" + std::string(name) + "\" row, " + e.message(),
                     e.detail(), e.hint());
  }
}

void DebeziumJsonDecoder::ReadSource(ondemand::value value, MessageMetadata* meta) {
  if (value.type() == ondemand::json_type::null) return;
  meta->source_properties.clear();
  for (auto field : ExpectObject(value, "the Debezium \"source\"")) {
    std::string name(std::string_view(field.unescaped_key()));
    std::optional<std::string> text = JsonText(field.value());
    if (name == "db") {
      meta->database = text;
    } else if (name == "schema") {
      meta->schema = text;
    } else if (name == "table" || (name == "collection" && !meta->table)) {
      meta->table = text;
    } else if (name == "ts_ms" && text) {
      int64_t ts = 0;
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), ts);
      if (ec == std::errc() && end == text->data() + text->size()) meta->event_ts_ms = ts;
    }
    meta->source_properties.emplace_back(std::move(name), std::move(text));
  }
}

void DebeziumJsonDecoder::UseSchema(std::string_view schema_json) {
  if (schema_json != schema_text_) {
    simdjson::dom::element root = schema_parser_.parse(schema_json.data(), schema_json.size());
    bool any = false;
    std::vector<FieldEncoding> encodings = EncodingsFromSchema(root, converter(), &any);
    schema_encodings_ = std::move(encodings);
    schema_has_encodings_ = any;
    schema_text_.assign(schema_json);
  }
  encodings_ = schema_has_encodings_ ? schema_encodings_.data() : nullptr;
}

void DebeziumJsonDecoder::Apply(Envelope* env, ChangeSink* sink) {
  if (!env->op) {
    if (env->null_payload) return;  // {"schema":...,"payload":null}: a tombstone
    throw ivm::Error(sqlstate::kInvalidParameterValue,
                     env->wrapped ? "the Debezium \"payload\" has no \"op\" field"
                                  : "not a Debezium change event: no \"op\" field",
                     {},
                     env->wrapped || !options().schema_include
                         ? std::string()
                         : "With schema-include the message must be "
                           "{\"schema\": ..., \"payload\": {...}}.");
  }
  std::string_view op = *env->op;
  if (sink->wants_metadata()) sink->metadata().op = std::string(op);
  const RowConverter& rows = converter();
  if (op == "c" || op == "r") {
    if (!env->after) {
      throw ivm::Error(
          sqlstate::kInvalidParameterValue,
          "the \"after\" field of a Debezium insert (op \"" + std::string(op) + "\") is null");
    }
    rows.RequireKey(*env->after, "the \"after\" row of a Debezium insert");
    sink->Insert(std::move(*env->after));
  } else if (op == "u") {
    if (!env->after) {
      throw ivm::Error(sqlstate::kInvalidParameterValue,
                       "the \"after\" field of a Debezium UPDATE message is null");
    }
    rows.RequireKey(*env->after, "the \"after\" row of a Debezium update");
    // A before-image without its key (PostgreSQL's REPLICA IDENTITY DEFAULT) says nothing the
    // key of "after" does not: the engine replaces the row stored for that key.
    if (env->before && rows.keyed() && !rows.HasKey(*env->before)) env->before.reset();
    if (!env->before && !rows.keyed()) {
      throw ivm::Error(sqlstate::kInvalidParameterValue,
                       "the \"before\" field of a Debezium UPDATE message is null, and the "
                       "table has no primary key to find the old row by",
                       {}, kReplicaIdentityHint);
    }
    sink->Update(std::move(env->before), std::move(*env->after));
  } else if (op == "d") {
    if (!env->before) {
      throw ivm::Error(sqlstate::kInvalidParameterValue,
                       "the \"before\" field of a Debezium DELETE message is null, so the "
                       "deleted row cannot be identified",
                       {}, kReplicaIdentityHint);
    }
    if (!rows.HasKey(*env->before)) {
      try {
        rows.RequireKey(*env->before, "the \"before\" row of a Debezium delete");
      } catch (const ivm::Error& e) {
        throw ivm::Error(e.sqlstate(), e.message(), e.detail(), kReplicaIdentityHint);
      }
    }
    sink->Delete(std::move(*env->before));
  } else if (op == "t") {
    throw ivm::Error(sqlstate::kFeatureNotSupported,
                     "Debezium truncate events (op \"t\") are not supported", {},
                     "Set skipped.operations=t on the Debezium connector.");
  } else {
    throw ivm::Error(
        sqlstate::kInvalidParameterValue,
        "unknown Debezium \"op\" value \"" + std::string(op) + "\" (expected c, r, u or d)");
  }
}

}  // namespace connectors
