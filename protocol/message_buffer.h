// MessageBuffer frames backend (server → client) messages of the PostgreSQL v3 protocol into
// one contiguous byte string, so a whole query's answer can go out in a single socket write.
// It only appends; the caller sends data() and then calls Clear().
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ivm/error.h"
#include "protocol/backend.h"

namespace protocol {

// The S and V fields of ErrorResponse and NoticeResponse.
enum class Severity { kError, kFatal, kWarning, kNotice };

const char* SeverityName(Severity severity);

class MessageBuffer {
 public:
  void AuthenticationOk();                                              // 'R', code 0
  // 'R' with another code (3 cleartext, 5 md5 + salt, 10 SASL mechanisms, 11 SASL continue,
  // 12 SASL final) followed by `payload` as is.
  void AuthenticationRequest(int32_t code, std::string_view payload);
  void ParameterStatus(std::string_view name, std::string_view value);  // 'S'
  void BackendKeyData(int32_t process_id, int32_t secret_key);          // 'K'
  void NegotiateProtocolVersion(int32_t newest_minor,
                                const std::vector<std::string>& unrecognized_options);  // 'v'
  void ReadyForQuery(char transaction_status);                         // 'Z': 'I', 'T' or 'E'
  void RowDescription(const std::vector<FieldDescription>& fields);    // 'T'
  void ParseComplete();                                                // '1'
  void BindComplete();                                                 // '2'
  void CloseComplete();                                                // '3'
  void ParameterDescription(const std::vector<uint32_t>& type_oids);  // 't'
  void NoData();                                                       // 'n'
  void PortalSuspended();                                              // 's'
  void DataRow(const std::vector<std::optional<std::string>>& cells);  // 'D', NULL = -1
  void CommandComplete(std::string_view tag);                          // 'C'
  void EmptyQueryResponse();                                           // 'I'
  // 'E': S and V (severity), C (sqlstate), M, then D and H when non-empty.
  void ErrorResponse(Severity severity, const ivm::Error& error);
  void NoticeResponse(Severity severity, const ivm::Error& error);  // 'N', same fields
  // One byte outside any framing: the answer 'N' to SSLRequest and GSSENCRequest.
  void RawByte(char byte);

  const std::string& data() const { return data_; }
  size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  void Clear() { data_.clear(); }

 private:
  // Begin writes the type byte and a length placeholder; End patches the length in.
  void Begin(char type);
  void End();
  void PutInt16(int16_t value);
  void PutInt32(int32_t value);
  void PutCString(std::string_view text);  // text, then a NUL byte
  void PutFields(Severity severity, const ivm::Error& error);

  std::string data_;
  size_t message_start_ = 0;
};

}  // namespace protocol
