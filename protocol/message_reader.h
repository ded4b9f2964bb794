// MessageReader is a cursor over the body of one frontend message. Every read checks the
// bounds and throws ivm::Error 08P01 (protocol_violation) when the message is too short.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace protocol {

class MessageReader {
 public:
  explicit MessageReader(std::string_view body) : body_(body) {}

  uint8_t ReadByte();
  int16_t ReadInt16();
  int32_t ReadInt32();
  // Bytes up to the next NUL, which is consumed too.
  std::string ReadCString();
  std::string_view ReadBytes(size_t count);

  size_t remaining() const { return body_.size() - position_; }
  bool AtEnd() const { return remaining() == 0; }

 private:
  void Require(size_t count) const;

  std::string_view body_;
  size_t position_ = 0;
};

// Reads a big-endian int32 from four bytes.
int32_t DecodeInt32(const char* bytes);

}  // namespace protocol
