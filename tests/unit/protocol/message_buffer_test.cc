// Backend message encoding: exact bytes for fixed messages, and round trips through
// MessageReader for the variable ones.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "protocol/message_buffer.h"
#include "protocol/message_reader.h"

namespace protocol {
namespace {

using namespace std::string_literals;

// Splits one framed message: checks the length word and returns the body.
std::string_view Body(const std::string& data, char type) {
  REQUIRE(data.size() >= 5);
  CHECK(data[0] == type);
  CHECK(static_cast<size_t>(DecodeInt32(data.data() + 1)) == data.size() - 1);
  return std::string_view(data).substr(5);
}

std::map<char, std::string> ReadFields(std::string_view body) {
  MessageReader reader(body);
  std::map<char, std::string> fields;
  while (true) {
    const char code = static_cast<char>(reader.ReadByte());
    if (code == 0) break;
    fields[code] = reader.ReadCString();
  }
  CHECK(reader.AtEnd());
  return fields;
}

TEST_CASE("fixed backend messages have the exact wire bytes", "[protocol][encode]") {
  MessageBuffer buffer;
  buffer.AuthenticationOk();
  CHECK(buffer.data() == "R\0\0\0\x08\0\0\0\0"s);
  buffer.Clear();
  buffer.ReadyForQuery('T');
  CHECK(buffer.data() == "Z\0\0\0\x05T"s);
  buffer.Clear();
  buffer.EmptyQueryResponse();
  CHECK(buffer.data() == "I\0\0\0\x04"s);
  buffer.Clear();
  buffer.BackendKeyData(7, -2);
  CHECK(buffer.data() == "K\0\0\0\x0c\0\0\0\x07\xff\xff\xff\xfe"s);
  buffer.Clear();
  buffer.RawByte('N');
  CHECK(buffer.data() == "N");
}

TEST_CASE("ParameterStatus and CommandComplete carry C strings", "[protocol][encode]") {
  MessageBuffer buffer;
  buffer.ParameterStatus("server_version", "15.0");
  MessageReader status(Body(buffer.data(), 'S'));
  CHECK(status.ReadCString() == "server_version");
  CHECK(status.ReadCString() == "15.0");
  CHECK(status.AtEnd());

  buffer.Clear();
  buffer.CommandComplete("INSERT 0 3\0junk"s);  // an embedded NUL must not end the field early
  MessageReader tag(Body(buffer.data(), 'C'));
  CHECK(tag.ReadCString() == "INSERT 0 3");
  CHECK(tag.AtEnd());
}

TEST_CASE("RowDescription round trip", "[protocol][encode]") {
  std::vector<FieldDescription> fields(2);
  fields[0].name = "id";
  fields[0].type_oid = 23;
  fields[0].type_size = 4;
  fields[1].name = "name";
  fields[1].table_oid = 16384;
  fields[1].column_number = 2;
  fields[1].type_oid = 25;
  MessageBuffer buffer;
  buffer.RowDescription(fields);
  MessageReader reader(Body(buffer.data(), 'T'));
  REQUIRE(reader.ReadInt16() == 2);
  for (const FieldDescription& field : fields) {
    CHECK(reader.ReadCString() == field.name);
    CHECK(static_cast<uint32_t>(reader.ReadInt32()) == field.table_oid);
    CHECK(reader.ReadInt16() == field.column_number);
    CHECK(static_cast<uint32_t>(reader.ReadInt32()) == field.type_oid);
    CHECK(reader.ReadInt16() == field.type_size);
    CHECK(reader.ReadInt32() == field.type_modifier);
    CHECK(reader.ReadInt16() == 0);  // text format
  }
  CHECK(reader.AtEnd());
}

TEST_CASE("DataRow round trip with NULL and empty cells", "[protocol][encode]") {
  MessageBuffer buffer;
  buffer.DataRow({"42"s, std::nullopt, ""s, "with\0nul"s});
  MessageReader reader(Body(buffer.data(), 'D'));
  REQUIRE(reader.ReadInt16() == 4);
  CHECK(reader.ReadInt32() == 2);
  CHECK(reader.ReadBytes(2) == "42");
  CHECK(reader.ReadInt32() == -1);
  CHECK(reader.ReadInt32() == 0);
  CHECK(reader.ReadInt32() == 8);  // cells are counted bytes, NULs included
  CHECK(reader.ReadBytes(8) == "with\0nul"s);
  CHECK(reader.AtEnd());
}

TEST_CASE("ErrorResponse carries severity, SQLSTATE, message, detail, hint", "[protocol][encode]") {
  MessageBuffer buffer;
  buffer.ErrorResponse(Severity::kError,
                       ivm::Error("42601", "syntax error", "near x", "check the spelling"));
  auto fields = ReadFields(Body(buffer.data(), 'E'));
  CHECK(fields == std::map<char, std::string>{{'S', "ERROR"},
                                              {'V', "ERROR"},
                                              {'C', "42601"},
                                              {'M', "syntax error"},
                                              {'D', "near x"},
                                              {'H', "check the spelling"}});

  buffer.Clear();
  buffer.ErrorResponse(Severity::kFatal, ivm::Error("28000", "role \"x\" does not exist"));
  fields = ReadFields(Body(buffer.data(), 'E'));
  CHECK(fields.size() == 4);  // no D or H when they are empty
  CHECK(fields['S'] == "FATAL");
  CHECK(fields['C'] == "28000");

  buffer.Clear();
  buffer.NoticeResponse(Severity::kNotice, ivm::Error("00000", "nothing to do"));
  fields = ReadFields(Body(buffer.data(), 'N'));
  CHECK(fields['S'] == "NOTICE");
  CHECK(fields['M'] == "nothing to do");
}

TEST_CASE("several messages append into one buffer", "[protocol][encode]") {
  MessageBuffer buffer;
  buffer.CommandComplete("SELECT 1");
  buffer.ReadyForQuery('I');
  const std::string& data = buffer.data();
  const auto first = static_cast<size_t>(DecodeInt32(data.data() + 1)) + 1;
  CHECK(data[0] == 'C');
  CHECK(data.substr(first) == "Z\0\0\0\x05I"s);
}

}  // namespace
}  // namespace protocol
