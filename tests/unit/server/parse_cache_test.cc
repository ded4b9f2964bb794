// ParseCache: repeated query text is parsed once, the least recently used text goes first,
// errors are not cached, and sessions on many threads share it safely.
#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include "ivm/error.h"
#include "server/parse_cache.h"

TEST_CASE("repeated query text is parsed once and shared") {
  server::ParseCache cache(2);
  auto a = cache.Parse("select 1; select 2");
  auto b = cache.Parse("select 1; select 2");
  CHECK(a == b);  // the same parsed statements, not a re-parse
  CHECK(a->size() == 2);
  CHECK(cache.hits() == 1);
  CHECK(cache.misses() == 1);

  cache.Parse("select 3");
  cache.Parse("select 1; select 2");  // now the most recent
  cache.Parse("select 4");            // evicts "select 3"
  const size_t misses = cache.misses();
  cache.Parse("select 1; select 2");
  CHECK(cache.misses() == misses);
  cache.Parse("select 3");
  CHECK(cache.misses() == misses + 1);
}

TEST_CASE("a syntax error is thrown every time, never cached") {
  server::ParseCache cache;
  for (int i = 0; i < 2; ++i) {
    try {
      cache.Parse("selec 1");
      FAIL("no error");
    } catch (const ivm::Error& e) {
      CHECK(e.sqlstate() == "42601");
    }
  }
  CHECK(cache.hits() == 0);
}

TEST_CASE("many threads share the cache") {
  server::ParseCache cache(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 200; ++i) {
        auto parsed = cache.Parse("select " + std::to_string((i + t) % 12) + " as x");
        REQUIRE(parsed->size() == 1);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(cache.hits() + cache.misses() == 800);
}

TEST_CASE("long query texts are parsed every time, not kept") {
  server::ParseCache cache;
  const std::string insert =
      "select '" + std::string(server::ParseCache::kMaxCachedTextBytes, 'x') + "' as long_text";
  auto a = cache.Parse(insert);
  auto b = cache.Parse(insert);
  CHECK(a != b);
  CHECK(a->size() == 1);
  CHECK(cache.hits() + cache.misses() == 0);
}
