// The wire protocol under stress, against the real binary: a thousand sessions held at once,
// a client that stops reading a large result while others go on, and a generated corpus of
// malformed, truncated and oversized messages, each of which may close only its own
// connection.
#include <sys/resource.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <random>
#include <thread>

#include "tests/integration/raw_client.h"
#include "tests/integration/test_server.h"

using namespace tributary_it;
using Clock = std::chrono::steady_clock;

namespace {

void RaiseFileLimit() {
  rlimit limit{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &limit) == 0);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

}  // namespace

TEST_CASE("a thousand concurrent sessions are held and all answer", "[connections]") {
  RaiseFileLimit();
  TestServer server;
  constexpr int kSessions = 1000;
  std::vector<std::unique_ptr<Connection>> sessions;
  sessions.reserve(kSessions);
  const auto t0 = Clock::now();
  for (int i = 0; i < kSessions; ++i) sessions.push_back(std::make_unique<Connection>(server));
  const double open_s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::cout << kSessions << " sessions opened in " << open_s << " s\n";
  // Every one of them is live: each answers its own query.
  for (int i = 0; i < kSessions; i += 1) {
    CHECK(sessions[i]->Scalar("select " + std::to_string(i)) == std::to_string(i));
  }
  // And one more still gets in.
  Connection extra(server);
  CHECK(extra.Scalar("select 1") == "1");
  sessions.clear();
  CHECK(extra.Scalar("select 2") == "2");
}

TEST_CASE("a client that stops reading a large result does not stall other sessions",
          "[connections]") {
  TestServer server;
  Connection setup(server);
  setup.Exec("create table big (id int primary key, pad text)");
  for (int chunk = 0; chunk < 10; ++chunk) {
    std::string insert = "insert into big values ";
    for (int i = 0; i < 10000; ++i) {
      const int id = chunk * 10000 + i;
      insert += (i ? ",(" : "(") + std::to_string(id) + ", repeat('x', 100))";
    }
    setup.Exec(insert);
  }
  // ~11 MB of DataRows that this client never reads.
  RawSocket slow(server.port());
  REQUIRE(slow.Send(Startup() + Query("select * from big")));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  Connection other(server);
  const auto t0 = Clock::now();
  for (int i = 0; i < 50; ++i) CHECK(other.Scalar("select count(*) from big") == "100000");
  setup.Exec("insert into big values (-1, 'written while the slow client sleeps')");
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  std::cout << "50 queries and a write beside a stalled reader: " << seconds << " s\n";
  CHECK(seconds < 20);
  CHECK(other.Scalar("select count(*) from big") == "100001");
}

TEST_CASE("a generated corpus of malformed messages closes only its own connections",
          "[connections]") {
  TestServer server;
  Connection watcher(server);
  watcher.Exec("create table t (id int primary key)");
  watcher.Exec("insert into t values (1), (2), (3)");

  std::mt19937 rng(20261202);
  auto random_bytes = [&](size_t n) {
    std::string s(n, '\0');
    for (char& c : s) c = static_cast<char>(rng() & 0xff);
    return s;
  };
  const std::string good = Startup() + Query("select * from t");
  const char kTypes[] = "QPBEDSHCcdfFXpz?\x00\xff";
  int closed_by_server = 0;
  constexpr int kCases = 300;
  for (int i = 0; i < kCases; ++i) {
    std::string bytes;
    switch (i % 6) {
      case 0:  // random bytes instead of a startup packet
        bytes = random_bytes(1 + rng() % 64);
        break;
      case 1:  // a startup packet with random bytes flipped
        bytes = Startup();
        for (int k = 0; k < 3; ++k) bytes[rng() % bytes.size()] = static_cast<char>(rng());
        break;
      case 2:  // a good session cut short anywhere
        bytes = good.substr(0, rng() % good.size());
        break;
      case 3:  // a good startup, then a message of a random type, length and body
        bytes = Startup() + std::string(1, kTypes[rng() % (sizeof(kTypes) - 1)]) +
                Int32(rng() % 2 ? static_cast<uint32_t>(rng()) : 4 + rng() % 32) +
                random_bytes(rng() % 32);
        break;
      case 4:  // a good startup, then a Query whose length lies
        bytes = Startup() + "Q" + Int32(5 + rng() % 100000) + "select 1";
        break;
      case 5:  // a length word claiming more than the limit
        bytes = Startup() + "Q" + Int32(0x7fffffff) + random_bytes(16);
        break;
    }
    // The socket stays open: the server decides. A message cut short leaves it waiting for
    // the rest (as PostgreSQL does); anything it can tell is wrong closes the connection.
    RawSocket s(server.port());
    s.Send(bytes);
    bool closed = false;
    s.ReadUntilClosed(std::chrono::milliseconds(50), &closed);
    closed_by_server += closed;
    if (i % 50 == 49) CHECK(watcher.Scalar("select count(*) from t") == "3");
  }
  std::cout << closed_by_server << " of " << kCases
            << " malformed connections were closed by the server\n";
  // The server is alive and every other session unaffected.
  CHECK(watcher.Scalar("select count(*) from t") == "3");
  Connection fresh(server);
  CHECK(fresh.Scalar("select sum(id) from t") == "6");
  CHECK(server.running());
}
