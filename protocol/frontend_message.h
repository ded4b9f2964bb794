// Decoding of frontend (client → server) messages: the untyped startup-phase packets
// (StartupMessage, SSLRequest, GSSENCRequest, CancelRequest) and the typed messages after it.
// Decoders throw ivm::Error 08P01 on malformed input; the caller answers FATAL and closes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/backend.h"

namespace protocol {

inline constexpr int32_t kProtocolVersion3 = 196608;  // 3.0: major << 16 | minor
inline constexpr int32_t kCancelRequestCode = 80877102;
inline constexpr int32_t kSslRequestCode = 80877103;
inline constexpr int32_t kGssEncRequestCode = 80877104;

// Lengths count the 4-byte length word itself, as on the wire.
inline constexpr size_t kMaxStartupPacketBytes = 10000;
inline constexpr size_t kMaxMessageBytes = size_t{64} << 20;

struct StartupPacket {
  enum class Kind {
    kStartup,             // info is set; version is 3.x
    kSslRequest,          // answer 'N', then read another startup packet
    kGssEncRequest,       // answer 'N', then read another startup packet
    kCancelRequest,       // process_id and secret_key are set
    kUnsupportedVersion,  // version is neither 3.x nor a special code
  };
  Kind kind = Kind::kStartup;
  int32_t version = 0;
  StartupInfo info;
  // Protocol options ("_pq_.*") the client asked for; we recognise none of them.
  std::vector<std::string> protocol_options;
  int32_t process_id = 0;
  int32_t secret_key = 0;
};

// Validates the length word of a startup-phase packet (the first 4 bytes) and returns the
// body length that follows it.
size_t DecodeStartupLength(const char* length_word);

// Decodes a startup-phase packet body (everything after the length word). A StartupMessage
// must name a user; the database defaults to the user name, as in PostgreSQL.
StartupPacket DecodeStartupPacket(std::string_view body);

// The 5-byte header of a typed message.
struct MessageHeader {
  char type = 0;
  size_t body_length = 0;  // excludes the length word
};
MessageHeader DecodeMessageHeader(const char* header);

// The SQL text of a Query ('Q') message.
std::string DecodeQuery(std::string_view body);

// Parse ('P'), Bind ('B'), Describe ('D'), Execute ('E'), Close ('C') and Sync ('S').
// REQUIRES: `type` is one of those.
ExtendedMessage DecodeExtended(char type, std::string_view body);

}  // namespace protocol
