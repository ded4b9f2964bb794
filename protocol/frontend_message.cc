#include "protocol/frontend_message.h"

#include "ivm/error.h"
#include "protocol/message_reader.h"

namespace protocol {
namespace {

ivm::Error ProtocolViolation(std::string message, std::string detail = {}) {
  return ivm::Error(ivm::sqlstate::kProtocolViolation, std::move(message), std::move(detail));
}

}  // namespace

size_t DecodeStartupLength(const char* length_word) {
  const int32_t length = DecodeInt32(length_word);
  if (length < 8 || static_cast<size_t>(length) > kMaxStartupPacketBytes) {
    throw ProtocolViolation(
        "invalid length of startup packet",
        "A startup packet must be 8 to " + std::to_string(kMaxStartupPacketBytes) + " bytes long.");
  }
  return static_cast<size_t>(length) - 4;
}

StartupPacket DecodeStartupPacket(std::string_view body) {
  MessageReader reader(body);
  StartupPacket packet;
  packet.version = reader.ReadInt32();
  switch (packet.version) {
    case kSslRequestCode:
      packet.kind = StartupPacket::Kind::kSslRequest;
      return packet;
    case kGssEncRequestCode:
      packet.kind = StartupPacket::Kind::kGssEncRequest;
      return packet;
    case kCancelRequestCode:
      packet.kind = StartupPacket::Kind::kCancelRequest;
      packet.process_id = reader.ReadInt32();
      packet.secret_key = reader.ReadInt32();
      return packet;
    default:
      break;
  }
  if ((packet.version >> 16) != 3) {
    packet.kind = StartupPacket::Kind::kUnsupportedVersion;
    return packet;
  }
  packet.kind = StartupPacket::Kind::kStartup;
  // Name/value pairs, ended by an empty name.
  while (true) {
    std::string name = reader.ReadCString();
    if (name.empty()) break;
    std::string value = reader.ReadCString();
    if (name.rfind("_pq_.", 0) == 0) {
      packet.protocol_options.push_back(name);
      continue;
    }
    packet.info.parameters[name] = std::move(value);
  }
  if (!reader.AtEnd()) {
    throw ProtocolViolation("invalid startup packet layout: expected terminator as last byte");
  }
  auto& params = packet.info.parameters;
  if (auto user = params.find("user"); user == params.end() || user->second.empty()) {
    throw ivm::Error(ivm::sqlstate::kInvalidAuthorization,
                     "no PostgreSQL user name specified in startup packet");
  }
  packet.info.user = params["user"];
  auto database = params.find("database");
  if (database == params.end() || database->second.empty()) {
    params["database"] = packet.info.user;
  }
  packet.info.database = params["database"];
  return packet;
}

MessageHeader DecodeMessageHeader(const char* header) {
  MessageHeader decoded;
  decoded.type = header[0];
  const int32_t length = DecodeInt32(header + 1);
  if (length < 4) {
    throw ProtocolViolation("invalid message length",
                            "A message length must count at least its own 4 bytes.");
  }
  if (static_cast<size_t>(length) > kMaxMessageBytes) {
    throw ProtocolViolation(
        "message too long",
        "Messages are limited to " + std::to_string(kMaxMessageBytes >> 20) + " MiB.");
  }
  decoded.body_length = static_cast<size_t>(length) - 4;
  return decoded;
}

std::string DecodeQuery(std::string_view body) {
  MessageReader reader(body);
  std::string sql = reader.ReadCString();
  if (!reader.AtEnd()) throw ProtocolViolation("invalid Query message: trailing bytes");
  return sql;
}

}  // namespace protocol
