#include "connectors/formats/json_message_decoder.h"

#include <cstring>
#include <string>

#include "ivm/error.h"

namespace connectors {
namespace {

namespace ondemand = simdjson::ondemand;

std::string_view TrimJsonSpace(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

bool IsTombstone(std::string_view value) {
  std::string_view v = TrimJsonSpace(value);
  return v.empty() || v == "null";
}

void ChangeSink::Emit(RowChange change) {
  out_->push_back(std::move(change));
  if (meta_ != nullptr) meta_->push_back(current_);
}

void ChangeSink::Insert(ivm::Row after) {
  Emit(RowChange{RowChange::Kind::kInsert, std::nullopt, std::move(after)});
}

void ChangeSink::Update(std::optional<ivm::Row> before, ivm::Row after) {
  Emit(RowChange{RowChange::Kind::kUpdate, std::move(before), std::move(after)});
}

void ChangeSink::Delete(ivm::Row before) {
  Emit(RowChange{RowChange::Kind::kDelete, std::move(before), std::nullopt});
}

FormatDecoder::~FormatDecoder() = default;

JsonMessageDecoder::JsonMessageDecoder(const FormatOptions& options, const TargetSchema& target)
    : options_(options), converter_(target) {}

void JsonMessageDecoder::Decode(std::string_view key, std::string_view value,
                                std::vector<RowChange>* out, std::vector<MessageMetadata>* meta) {
  const size_t out_size = out->size();
  const size_t meta_size = meta != nullptr ? meta->size() : 0;
  ChangeSink sink(out, meta);
  auto rollback = [&] {
    out->resize(out_size);
    if (meta != nullptr) meta->resize(meta_size);
  };
  try {
    if (IsTombstone(value)) {
      DecodeTombstone(key, &sink);
    } else {
      DecodeMessage(key, value, &sink);
    }
  } catch (const simdjson::simdjson_error& e) {
    rollback();
    if (options_.ignore_parse_errors) {
      ++ignored_messages_;
      return;
    }
    throw ivm::Error(ivm::sqlstate::kInvalidTextRepresentation,
                     std::string("malformed JSON in ") + FormatName(options_.format) +
                         " message: " + simdjson::error_message(e.error()));
  } catch (const ivm::Error&) {
    rollback();
    if (options_.ignore_parse_errors) {
      ++ignored_messages_;
      return;
    }
    throw;
  }
}

void JsonMessageDecoder::DecodeMessage(std::string_view key, std::string_view value,
                                       ChangeSink* sink) {
  ondemand::document& doc = Parse(value);
  DecodeDocument(key, doc, sink);
  RequireEnd(doc);
}

void JsonMessageDecoder::DecodeTombstone(std::string_view, ChangeSink*) {}

ondemand::document& JsonMessageDecoder::Parse(std::string_view json) {
  const size_t needed = json.size() + simdjson::SIMDJSON_PADDING;
  if (buffer_.size() < needed) buffer_.resize(needed);
  std::memcpy(buffer_.data(), json.data(), json.size());
  std::memset(buffer_.data() + json.size(), 0, simdjson::SIMDJSON_PADDING);
  doc_ = parser_.iterate(buffer_.data(), json.size(), buffer_.size());
  return doc_;
}

void JsonMessageDecoder::RequireEnd(ondemand::document& doc) {
  const char* location = nullptr;
  if (doc.current_depth() <= 0 && doc.current_location().get(location) == simdjson::OUT_OF_BOUNDS) {
    return;  // the root value was read to its end, and nothing follows it
  }
  // The format left part of the document unread (unordered lookups), or something follows
  // the value. Walk the whole value once: this also finds unbalanced braces.
  doc.rewind();
  (void)std::string_view(doc.raw_json());
  if (doc.current_location().get(location) != simdjson::OUT_OF_BOUNDS) {
    throw ivm::Error(ivm::sqlstate::kInvalidTextRepresentation,
                     std::string("malformed JSON in ") + FormatName(options_.format) +
                         " message: content after the end of the JSON value");
  }
}

ondemand::object JsonMessageDecoder::RootObject(ondemand::document& doc, const char* what) {
  ondemand::json_type type = doc.type();
  if (type != ondemand::json_type::object) {
    throw ivm::Error(ivm::sqlstate::kInvalidParameterValue,
                     std::string(what) + " must be a JSON object, not " + JsonKindName(type));
  }
  return doc.get_object();
}

}  // namespace connectors
