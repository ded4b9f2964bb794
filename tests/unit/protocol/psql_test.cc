// The real psql binary against PgServer, through popen.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "tests/unit/protocol/test_server.h"

namespace protocol::testing {
namespace {

std::string RunPsql(const TestServer& server, const std::string& sql) {
  const std::string command =
      "PGCONNECT_TIMEOUT=10 /usr/bin/psql \"host=127.0.0.1 port=" + std::to_string(server.port()) +
      " user=tributary dbname=tributary\" -X -A -t -c '" + sql + "' 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char chunk[512];
  while (size_t n = fread(chunk, 1, sizeof(chunk), pipe)) output.append(chunk, n);
  pclose(pipe);
  return output;
}

TEST_CASE("psql runs queries against PgServer", "[protocol][server][psql]") {
  TestServer server;
  CHECK(RunPsql(server, "select") == "1|one\n2|\n");
  CHECK(RunPsql(server, "create") == "CREATE TABLE\n");
  CHECK_THAT(RunPsql(server, "bad"), Catch::Contains("ERROR:  syntax error at or near \"bad\""));
}

}  // namespace
}  // namespace protocol::testing
