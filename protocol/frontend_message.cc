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

namespace {

// Describe and Close name a statement or a portal.
char ReadTarget(MessageReader& reader, const char* message) {
  const char target = static_cast<char>(reader.ReadByte());
  if (target != 'S' && target != 'P') {
    throw ProtocolViolation(std::string("invalid ") + message + " message subtype " +
                            std::to_string(static_cast<unsigned char>(target)));
  }
  return target;
}

std::vector<int16_t> ReadFormats(MessageReader& reader) {
  const int16_t count = reader.ReadInt16();
  if (count < 0) throw ProtocolViolation("invalid format code count");
  std::vector<int16_t> formats(static_cast<size_t>(count));
  for (int16_t& format : formats) {
    format = reader.ReadInt16();
    if (format != 0 && format != 1) {
      throw ProtocolViolation("unsupported format code: " + std::to_string(format));
    }
  }
  return formats;
}

}  // namespace

ExtendedMessage DecodeExtended(char type, std::string_view body) {
  MessageReader reader(body);
  ExtendedMessage m;
  switch (type) {
    case 'P': {
      m.kind = ExtendedMessage::Kind::kParse;
      m.name = reader.ReadCString();
      m.query = reader.ReadCString();
      const int16_t count = reader.ReadInt16();
      if (count < 0) throw ProtocolViolation("invalid parameter count in Parse message");
      m.parameter_types.resize(static_cast<size_t>(count));
      for (uint32_t& oid : m.parameter_types) oid = static_cast<uint32_t>(reader.ReadInt32());
      break;
    }
    case 'B': {
      m.kind = ExtendedMessage::Kind::kBind;
      m.name = reader.ReadCString();
      m.statement = reader.ReadCString();
      m.parameter_formats = ReadFormats(reader);
      const int16_t count = reader.ReadInt16();
      if (count < 0) throw ProtocolViolation("invalid parameter count in Bind message");
      m.parameters.reserve(static_cast<size_t>(count));
      for (int16_t i = 0; i < count; ++i) {
        const int32_t length = reader.ReadInt32();
        if (length == -1) {
          m.parameters.emplace_back(std::nullopt);
        } else if (length < 0) {
          throw ProtocolViolation("invalid parameter length in Bind message");
        } else {
          m.parameters.emplace_back(std::string(reader.ReadBytes(static_cast<size_t>(length))));
        }
      }
      m.result_formats = ReadFormats(reader);
      break;
    }
    case 'D':
      m.kind = ExtendedMessage::Kind::kDescribe;
      m.target = ReadTarget(reader, "Describe");
      m.name = reader.ReadCString();
      break;
    case 'E':
      m.kind = ExtendedMessage::Kind::kExecute;
      m.name = reader.ReadCString();
      m.max_rows = reader.ReadInt32();
      break;
    case 'C':
      m.kind = ExtendedMessage::Kind::kClose;
      m.target = ReadTarget(reader, "Close");
      m.name = reader.ReadCString();
      break;
    case 'S':
      m.kind = ExtendedMessage::Kind::kSync;
      break;
    default:
      throw ProtocolViolation("not an extended-protocol message");
  }
  if (!reader.AtEnd()) {
    throw ProtocolViolation(std::string("invalid message format: trailing bytes in '") + type +
                            "' message");
  }
  return m;
}

}  // namespace protocol
