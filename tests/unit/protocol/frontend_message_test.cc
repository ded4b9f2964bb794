// Frontend message decoding: startup-phase packets, typed message headers, Query, and the
// 08P01 errors for malformed or oversized input.
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "ivm/error.h"
#include "protocol/frontend_message.h"
#include "protocol/message_reader.h"

namespace protocol {
namespace {

using namespace std::string_literals;

std::string Int32(int32_t value) {
  const auto v = static_cast<uint32_t>(value);
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

// A whole startup packet as a client sends it, length word included.
std::string StartupBytes(int32_t version,
                         const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string body = Int32(version);
  for (const auto& [name, value] : pairs) body += name + '\0' + value + '\0';
  body += '\0';
  return Int32(static_cast<int32_t>(body.size() + 4)) + body;
}

StartupPacket Decode(const std::string& packet) {
  const size_t body_length = DecodeStartupLength(packet.data());
  REQUIRE(body_length == packet.size() - 4);
  return DecodeStartupPacket(std::string_view(packet).substr(4));
}

std::string SqlState(const std::function<void()>& action) {
  try {
    action();
  } catch (const ivm::Error& error) {
    return error.sqlstate();
  }
  return "no error";
}

TEST_CASE("StartupMessage round trip", "[protocol][decode]") {
  const StartupPacket packet = Decode(StartupBytes(
      kProtocolVersion3, {{"user", "alice"}, {"database", "shop"}, {"application_name", "psql"}}));
  CHECK(packet.kind == StartupPacket::Kind::kStartup);
  CHECK(packet.version == kProtocolVersion3);
  CHECK(packet.info.user == "alice");
  CHECK(packet.info.database == "shop");
  CHECK(packet.info.parameters.at("application_name") == "psql");
  CHECK(packet.info.parameters.size() == 3);
}

TEST_CASE("database defaults to the user name", "[protocol][decode]") {
  const StartupPacket packet = Decode(StartupBytes(kProtocolVersion3, {{"user", "bob"}}));
  CHECK(packet.info.database == "bob");
  CHECK(packet.info.parameters.at("database") == "bob");
}

TEST_CASE("a newer 3.x minor version and _pq_ options are kept for negotiation",
          "[protocol][decode]") {
  const StartupPacket packet =
      Decode(StartupBytes(kProtocolVersion3 + 2, {{"user", "u"}, {"_pq_.magic", "on"}}));
  CHECK(packet.kind == StartupPacket::Kind::kStartup);
  CHECK(packet.version == kProtocolVersion3 + 2);
  CHECK(packet.protocol_options == std::vector<std::string>{"_pq_.magic"});
  CHECK(packet.info.parameters.count("_pq_.magic") == 0);
}

TEST_CASE("special startup codes", "[protocol][decode]") {
  CHECK(Decode(Int32(8) + Int32(kSslRequestCode)).kind == StartupPacket::Kind::kSslRequest);
  CHECK(Decode(Int32(8) + Int32(kGssEncRequestCode)).kind == StartupPacket::Kind::kGssEncRequest);
  const StartupPacket cancel =
      Decode(Int32(16) + Int32(kCancelRequestCode) + Int32(12) + Int32(-5));
  CHECK(cancel.kind == StartupPacket::Kind::kCancelRequest);
  CHECK(cancel.process_id == 12);
  CHECK(cancel.secret_key == -5);
  CHECK(Decode(Int32(8) + Int32(2 << 16)).kind == StartupPacket::Kind::kUnsupportedVersion);
}

TEST_CASE("malformed startup packets are protocol violations", "[protocol][decode]") {
  CHECK(SqlState([] { DecodeStartupLength(Int32(4).data()); }) == "08P01");
  CHECK(SqlState([] { DecodeStartupLength(Int32(10001).data()); }) == "08P01");
  CHECK(SqlState([] { DecodeStartupLength(Int32(-1).data()); }) == "08P01");
  CHECK(SqlState([] { DecodeStartupLength("GET "); }) == "08P01");
  // A name without its value, and a missing final terminator.
  CHECK(SqlState([] { DecodeStartupPacket(Int32(kProtocolVersion3) + "user\0"s); }) == "08P01");
  CHECK(SqlState([] { DecodeStartupPacket(Int32(kProtocolVersion3) + "user\0u\0"s); }) == "08P01");
  CHECK(SqlState([] { DecodeStartupPacket(Int32(kProtocolVersion3) + "user\0u\0\0x"s); }) ==
        "08P01");
  CHECK(SqlState([] { DecodeStartupPacket(Int32(kCancelRequestCode) + Int32(1)); }) == "08P01");
  CHECK(SqlState([] { DecodeStartupPacket("\x01\x02"s); }) == "08P01");
  // No user at all is an authorization error, as in PostgreSQL.
  CHECK(SqlState([] { DecodeStartupPacket(Int32(kProtocolVersion3) + "database\0d\0\0"s); }) ==
        "28000");
}

TEST_CASE("typed message headers", "[protocol][decode]") {
  const MessageHeader header = DecodeMessageHeader(("Q" + Int32(13)).data());
  CHECK(header.type == 'Q');
  CHECK(header.body_length == 9);
  CHECK(DecodeMessageHeader(("X" + Int32(4)).data()).body_length == 0);
  CHECK(SqlState([] { DecodeMessageHeader(("Q" + Int32(3)).data()); }) == "08P01");
  CHECK(SqlState([] { DecodeMessageHeader(("Q" + Int32(-7)).data()); }) == "08P01");
  CHECK(SqlState([] {
          DecodeMessageHeader(("Q" + Int32(static_cast<int32_t>(kMaxMessageBytes) + 1)).data());
        }) == "08P01");
  CHECK(DecodeMessageHeader(("Q" + Int32(static_cast<int32_t>(kMaxMessageBytes))).data())
            .body_length == kMaxMessageBytes - 4);
}

TEST_CASE("Query message body", "[protocol][decode]") {
  CHECK(DecodeQuery("select 1\0"s) == "select 1");
  CHECK(DecodeQuery("\0"s).empty());
  CHECK(SqlState([] { DecodeQuery("select 1"); }) == "08P01");
  CHECK(SqlState([] { DecodeQuery("a\0b"s); }) == "08P01");
}

TEST_CASE("MessageReader bounds checks", "[protocol][decode]") {
  const std::string bytes = "\x00\x01\x00\x00\x00\x02z"s;
  MessageReader reader(bytes);
  CHECK(reader.ReadInt16() == 1);
  CHECK(reader.ReadInt32() == 2);
  CHECK(reader.ReadByte() == 'z');
  CHECK(reader.AtEnd());
  CHECK(SqlState([&] { reader.ReadByte(); }) == "08P01");
  CHECK(SqlState([&] { reader.ReadInt32(); }) == "08P01");
  CHECK(SqlState([&] { reader.ReadBytes(1); }) == "08P01");
}

}  // namespace
}  // namespace protocol
