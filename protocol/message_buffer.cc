#include "protocol/message_buffer.h"

namespace protocol {

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "ERROR";
    case Severity::kFatal:
      return "FATAL";
    case Severity::kWarning:
      return "WARNING";
    case Severity::kNotice:
      return "NOTICE";
  }
  return "ERROR";
}

void MessageBuffer::Begin(char type) {
  data_.push_back(type);
  message_start_ = data_.size();
  PutInt32(0);  // patched by End()
}

void MessageBuffer::End() {
  const auto length = static_cast<uint32_t>(data_.size() - message_start_);
  data_[message_start_ + 0] = static_cast<char>(length >> 24);
  data_[message_start_ + 1] = static_cast<char>(length >> 16);
  data_[message_start_ + 2] = static_cast<char>(length >> 8);
  data_[message_start_ + 3] = static_cast<char>(length);
}

void MessageBuffer::PutInt16(int16_t value) {
  const auto v = static_cast<uint16_t>(value);
  data_.push_back(static_cast<char>(v >> 8));
  data_.push_back(static_cast<char>(v));
}

void MessageBuffer::PutInt32(int32_t value) {
  const auto v = static_cast<uint32_t>(value);
  data_.push_back(static_cast<char>(v >> 24));
  data_.push_back(static_cast<char>(v >> 16));
  data_.push_back(static_cast<char>(v >> 8));
  data_.push_back(static_cast<char>(v));
}

void MessageBuffer::PutCString(std::string_view text) {
  // An embedded NUL would end the field early on the client; cut the text there instead.
  data_.append(text.substr(0, text.find('\0')));
  data_.push_back('\0');
}

void MessageBuffer::AuthenticationOk() {
  Begin('R');
  PutInt32(0);
  End();
}

void MessageBuffer::AuthenticationRequest(int32_t code, std::string_view payload) {
  Begin('R');
  PutInt32(code);
  data_.append(payload);
  End();
}

void MessageBuffer::ParameterStatus(std::string_view name, std::string_view value) {
  Begin('S');
  PutCString(name);
  PutCString(value);
  End();
}

void MessageBuffer::BackendKeyData(int32_t process_id, int32_t secret_key) {
  Begin('K');
  PutInt32(process_id);
  PutInt32(secret_key);
  End();
}

void MessageBuffer::NegotiateProtocolVersion(int32_t newest_minor,
                                             const std::vector<std::string>& unrecognized_options) {
  Begin('v');
  PutInt32(newest_minor);
  PutInt32(static_cast<int32_t>(unrecognized_options.size()));
  for (const std::string& option : unrecognized_options) PutCString(option);
  End();
}

void MessageBuffer::ReadyForQuery(char transaction_status) {
  Begin('Z');
  data_.push_back(transaction_status);
  End();
}

void MessageBuffer::RowDescription(const std::vector<FieldDescription>& fields) {
  Begin('T');
  PutInt16(static_cast<int16_t>(fields.size()));
  for (const FieldDescription& field : fields) {
    PutCString(field.name);
    PutInt32(static_cast<int32_t>(field.table_oid));
    PutInt16(field.column_number);
    PutInt32(static_cast<int32_t>(field.type_oid));
    PutInt16(field.type_size);
    PutInt32(field.type_modifier);
    PutInt16(field.format);
  }
  End();
}

void MessageBuffer::ParseComplete() {
  Begin('1');
  End();
}

void MessageBuffer::BindComplete() {
  Begin('2');
  End();
}

void MessageBuffer::CloseComplete() {
  Begin('3');
  End();
}

void MessageBuffer::ParameterDescription(const std::vector<uint32_t>& type_oids) {
  Begin('t');
  PutInt16(static_cast<int16_t>(type_oids.size()));
  for (uint32_t oid : type_oids) PutInt32(static_cast<int32_t>(oid));
  End();
}

void MessageBuffer::NoData() {
  Begin('n');
  End();
}

void MessageBuffer::PortalSuspended() {
  Begin('s');
  End();
}

void MessageBuffer::DataRow(const std::vector<std::optional<std::string>>& cells) {
  Begin('D');
  PutInt16(static_cast<int16_t>(cells.size()));
  for (const std::optional<std::string>& cell : cells) {
    if (!cell) {
      PutInt32(-1);
      continue;
    }
    PutInt32(static_cast<int32_t>(cell->size()));
    data_.append(*cell);
  }
  End();
}

void MessageBuffer::CommandComplete(std::string_view tag) {
  Begin('C');
  PutCString(tag);
  End();
}

void MessageBuffer::EmptyQueryResponse() {
  Begin('I');
  End();
}

void MessageBuffer::PutFields(Severity severity, const ivm::Error& error) {
  const char* name = SeverityName(severity);
  data_.push_back('S');
  PutCString(name);
  data_.push_back('V');
  PutCString(name);
  data_.push_back('C');
  PutCString(error.sqlstate());
  data_.push_back('M');
  PutCString(error.message());
  if (!error.detail().empty()) {
    data_.push_back('D');
    PutCString(error.detail());
  }
  if (!error.hint().empty()) {
    data_.push_back('H');
    PutCString(error.hint());
  }
  data_.push_back('\0');
}

void MessageBuffer::ErrorResponse(Severity severity, const ivm::Error& error) {
  Begin('E');
  PutFields(severity, error);
  End();
}

void MessageBuffer::NoticeResponse(Severity severity, const ivm::Error& error) {
  Begin('N');
  PutFields(severity, error);
  End();
}

void MessageBuffer::RawByte(char byte) { data_.push_back(byte); }

}  // namespace protocol
