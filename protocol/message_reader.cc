#include "protocol/message_reader.h"

#include "ivm/error.h"

namespace protocol {

int32_t DecodeInt32(const char* bytes) {
  const auto* b = reinterpret_cast<const unsigned char*>(bytes);
  return static_cast<int32_t>((uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) |
                              (uint32_t{b[2]} << 8) | uint32_t{b[3]});
}

void MessageReader::Require(size_t count) const {
  if (remaining() < count) {
    throw ivm::Error(ivm::sqlstate::kProtocolViolation, "invalid message format",
                     "The message ended before all of its fields were read.");
  }
}

uint8_t MessageReader::ReadByte() {
  Require(1);
  return static_cast<uint8_t>(body_[position_++]);
}

int16_t MessageReader::ReadInt16() {
  Require(2);
  const auto* b = reinterpret_cast<const unsigned char*>(body_.data() + position_);
  position_ += 2;
  return static_cast<int16_t>((b[0] << 8) | b[1]);
}

int32_t MessageReader::ReadInt32() {
  Require(4);
  const int32_t value = DecodeInt32(body_.data() + position_);
  position_ += 4;
  return value;
}

std::string MessageReader::ReadCString() {
  const size_t nul = body_.find('\0', position_);
  if (nul == std::string_view::npos) {
    throw ivm::Error(ivm::sqlstate::kProtocolViolation, "invalid string in message",
                     "A string field is not terminated by a NUL byte.");
  }
  std::string text(body_.substr(position_, nul - position_));
  position_ = nul + 1;
  return text;
}

std::string_view MessageReader::ReadBytes(size_t count) {
  Require(count);
  std::string_view bytes = body_.substr(position_, count);
  position_ += count;
  return bytes;
}

}  // namespace protocol
