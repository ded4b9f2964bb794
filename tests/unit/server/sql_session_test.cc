// A session in-process, without the wire: simple-protocol statements that differ only in
// their literals share one parse (ANTLR costs more than a point read or a single-row change).
#include <catch2/catch.hpp>

#include <boost/asio/thread_pool.hpp>

#include <future>
#include <string>
#include <vector>

#include "server/engine.h"
#include "server/sql_session.h"
#include "tests/unit/temp_dir.h"

namespace {

using tributary_test::TempDir;

// The query string's results, waited for.
std::vector<protocol::StatementResult> Run(protocol::Session& session, const std::string& sql) {
  std::promise<std::vector<protocol::StatementResult>> answer;
  session.SimpleQuery(sql, [&](std::vector<protocol::StatementResult> results) {
    answer.set_value(std::move(results));
  });
  return answer.get_future().get();
}

std::string Tag(protocol::Session& session, const std::string& sql) {
  std::vector<protocol::StatementResult> results = Run(session, sql);
  REQUIRE(results.size() == 1);
  if (results[0].error) FAIL(sql + ": " + results[0].error->message());
  return results[0].command_tag;
}

}  // namespace

TEST_CASE("literal UPDATEs, DELETEs, INSERTs and SELECTs of one shape are parsed once") {
  TempDir dir;
  auto engine = server::Engine::Open(dir.path);
  engine->Start();
  boost::asio::thread_pool pool(2);
  {
    server::SqlBackend backend(*engine, pool);
    protocol::StartupInfo startup;
    startup.user = startup.database = "tributary";
    std::unique_ptr<protocol::Session> session = backend.Connect(startup);
    Tag(*session, "CREATE TABLE t (id int PRIMARY KEY, v int, s text)");
    Tag(*session, "INSERT INTO t SELECT i, 0, 'x' FROM generate_series(1, 100) i");

    size_t after_first = 0;
    for (int i = 1; i <= 50; ++i) {
      const std::string id = std::to_string(i);
      CHECK(Tag(*session, "UPDATE t SET v = " + id + ", s = 'y" + id + "' WHERE id = " + id) ==
            "UPDATE 1");
      CHECK(Tag(*session, "DELETE FROM t WHERE id = " + std::to_string(101 - i)) == "DELETE 1");
      CHECK(Tag(*session, "INSERT INTO t VALUES (" + std::to_string(1000 + i) + ", " + id + ", 'z" +
                              id + "')") == "INSERT 0 1");
      std::vector<protocol::StatementResult> read =
          Run(*session, "SELECT v, s FROM t WHERE id = " + id);
      REQUIRE(read.size() == 1);
      REQUIRE(read[0].rows.size() == 1);
      CHECK(*read[0].rows[0][0] == id);
      CHECK(*read[0].rows[0][1] == "y" + id);
      if (i == 1) after_first = backend.parses().misses();
    }
    // Each shape (the UPDATE, the DELETE, the INSERT, the SELECT) was parsed in the first
    // round only.
    CHECK(backend.parses().misses() == after_first);
    // A value that does not convert is the statement's own error, from the text as written.
    std::vector<protocol::StatementResult> bad =
        Run(*session, "UPDATE t SET v = 'abc' WHERE id = 1");
    REQUIRE(bad.size() == 1);
    REQUIRE(bad[0].error);
    CHECK(bad[0].error->sqlstate() == "22P02");
    std::vector<protocol::StatementResult> inserted =
        Run(*session, "SELECT count(*) FROM t WHERE id > 1000");
    REQUIRE(inserted.size() == 1);
    CHECK(*inserted[0].rows.at(0)[0] == "50");
  }
  pool.join();
}
