// JsonMessageDecoder: the part every JSON format shares. It recognises tombstones, copies the
// message into a reused padded buffer, runs simdjson's on-demand parser, turns parse errors
// into ivm::Error (22P02), rejects trailing content, and undoes a message's partial output
// when it fails, so formats only walk a parsed document.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "connectors/formats/format_decoder.h"
#include "connectors/formats/json_values.h"
#include "connectors/formats/row_converter.h"

namespace connectors {

// Where a format puts its changes: appends to the caller's vectors, with one copy of the
// message's metadata per change when the caller asked for metadata.
class ChangeSink {
 public:
  ChangeSink(std::vector<RowChange>* out, std::vector<MessageMetadata>* meta)
      : out_(out), meta_(meta) {}

  // Whether the caller wants metadata (formats skip collecting it otherwise).
  bool wants_metadata() const { return meta_ != nullptr; }
  // The metadata attached to changes emitted from now on. REQUIRES: wants_metadata().
  MessageMetadata& metadata() { return current_; }

  void Insert(ivm::Row after);
  void Update(std::optional<ivm::Row> before, ivm::Row after);
  void Delete(ivm::Row before);

 private:
  void Emit(RowChange change);

  std::vector<RowChange>* out_;
  std::vector<MessageMetadata>* meta_;
  MessageMetadata current_;
};

class JsonMessageDecoder : public FormatDecoder {
 public:
  void Decode(std::string_view key, std::string_view value, std::vector<RowChange>* out,
              std::vector<MessageMetadata>* meta) final;
  int64_t ignored_messages() const final { return ignored_messages_; }

 protected:
  JsonMessageDecoder(const FormatOptions& options, const TargetSchema& target);

  // Decodes one message whose value is not a tombstone. The default parses the value and
  // calls DecodeDocument(); formats that also parse the key override it.
  virtual void DecodeMessage(std::string_view key, std::string_view value, ChangeSink* sink);
  virtual void DecodeDocument(std::string_view key, simdjson::ondemand::document& doc,
                              ChangeSink* sink) = 0;
  // A tombstone (empty value or JSON null): nothing by default.
  virtual void DecodeTombstone(std::string_view key, ChangeSink* sink);

  // Parses `json` with the decoder's parser (invalidating any earlier document).
  simdjson::ondemand::document& Parse(std::string_view json);
  // Throws 22P02 unless the last parsed document has been read to its end.
  void RequireEnd(simdjson::ondemand::document& doc);
  // The document's root as an object; 22023 naming `what` if it is another kind of JSON.
  simdjson::ondemand::object RootObject(simdjson::ondemand::document& doc, const char* what);

  const FormatOptions& options() const { return options_; }
  const RowConverter& converter() const { return converter_; }

 private:
  FormatOptions options_;
  RowConverter converter_;
  simdjson::ondemand::parser parser_;
  simdjson::ondemand::document doc_;
  std::vector<char> buffer_;  // the message, copied with simdjson's padding after it
  int64_t ignored_messages_ = 0;
};

// Whether a value is a tombstone: empty, only whitespace, or the JSON literal null.
bool IsTombstone(std::string_view value);

}  // namespace connectors
