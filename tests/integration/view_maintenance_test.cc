// Materialized views follow their inputs, compared after every change with the view's
// query run directly, and with PostgreSQL's results at the key steps: grouped aggregates
// (MIN/MAX surviving deletion of the current extreme, NULLs, groups that appear, move and
// vanish), a global aggregate, filters and projections, and keyless tables as multisets
// under a many-to-many join.
#include <memory>

#include "tests/integration/test_server.h"

using namespace tributary_it;

namespace {

void Run(Connection& c, const std::string& sql, const std::string& tag) {
  c.Exec(sql);
  INFO("statement: " << sql);
  CHECK(c.Tag() == tag);
}

constexpr const char* kAggSelect =
    "select g, count(*) as cnt, count(x) as cnt_x, sum(x) as sum_x, avg(x) as avg_x, "
    "min(x) as min_x, max(x) as max_x, sum(n) as sum_n, min(n) as min_n, max(d) as max_d "
    "from m group by g";

Rows AggView(Connection& c) {
  return c.Exec(
      "select g, cnt, cnt_x, sum_x, avg_x, min_x, max_x, sum_n, min_n, max_d from agg order by g");
}
Rows AggDirect(Connection& c) { return c.Exec(std::string(kAggSelect) + " order by g"); }

void CheckAgg(Connection& c, const std::string& step, const Rows& expected) {
  INFO("after: " << step);
  const Rows view = AggView(c);
  CHECK_ROWS(view, AggDirect(c));
  CHECK_ROWS(view, expected);
}

}  // namespace

TEST_CASE("a grouped aggregate view follows changes, and MIN/MAX survive deleting the extreme",
          "[views]") {
  TestServer server;
  auto conn = std::make_unique<Connection>(server);
  Connection* c = conn.get();
  Run(*c, "create table m (id int primary key, g text, x int, d double precision, n numeric(10,2))",
      "CREATE TABLE");
  Run(*c, std::string("create materialized view agg as ") + kAggSelect, "SELECT 0");

  Run(*c,
      "insert into m values (1, 'a', 5, 0.5, 1.10), (2, 'a', 9, 1.5, 2.20), "
      "(3, 'a', 9, 2.5, 3.30), (4, 'b', 1, NULL, NULL), (5, 'b', NULL, NULL, NULL), "
      "(6, 'c', -3, -1, 0.01)",
      "INSERT 0 6");
  // avg of a single 1 has 20 decimals in PostgreSQL (its division-scale rule), of -3 16.
  const std::vector<std::string> b_one = {"b", "2", "1",   "1",   "1.00000000000000000000",
                                          "1", "1", kNull, kNull, kNull};
  const std::vector<std::string> c_row = {"c",  "1",  "1",    "-3",   "-3.0000000000000000",
                                          "-3", "-3", "0.01", "0.01", "-1"};
  CheckAgg(
      *c, "the first inserts",
      {{"a", "3", "3", "23", "7.6666666666666667", "5", "9", "6.60", "1.10", "2.5"}, b_one, c_row});

  Run(*c, "delete from m where id = 3", "DELETE 1");  // one of two rows holding max 9
  CheckAgg(
      *c, "deleting one of the two maxima",
      {{"a", "2", "2", "14", "7.0000000000000000", "5", "9", "3.30", "1.10", "1.5"}, b_one, c_row});

  Run(*c, "delete from m where id = 2", "DELETE 1");  // the last row holding the max
  CheckAgg(
      *c, "deleting the remaining maximum",
      {{"a", "1", "1", "5", "5.0000000000000000", "5", "5", "1.10", "1.10", "0.5"}, b_one, c_row});

  Run(*c, "update m set x = 100 where id = 1", "UPDATE 1");
  Run(*c, "insert into m values (7, 'a', -50, 0.25, -7.5)", "INSERT 0 1");
  CheckAgg(*c, "a new maximum and a new minimum",
           {{"a", "2", "2", "50", "25.0000000000000000", "-50", "100", "-6.40", "-7.50", "0.5"},
            b_one,
            c_row});

  Run(*c, "delete from m where g = 'c'", "DELETE 1");
  Run(*c, "update m set x = NULL where g = 'b'", "UPDATE 2");
  CheckAgg(*c, "group c deleted; group b has only NULL x",
           {{"a", "2", "2", "50", "25.0000000000000000", "-50", "100", "-6.40", "-7.50", "0.5"},
            {"b", "2", "0", kNull, kNull, kNull, kNull, kNull, kNull, kNull}});

  Run(*c, "update m set g = 'b' where id = 1", "UPDATE 1");
  CheckAgg(*c, "row 1 moves from group a to group b",
           {{"a", "1", "1", "-50", "-50.0000000000000000", "-50", "-50", "-7.50", "-7.50", "0.25"},
            {"b", "3", "1", "100", "100.0000000000000000", "100", "100", "1.10", "1.10", "0.5"}});

  // MIN/MAX state comes back with a restart: delete an extreme afterwards.
  conn.reset();
  server.Restart();
  conn = std::make_unique<Connection>(server);
  c = conn.get();
  Run(*c, "insert into m values (8, 'b', 7, 9.5, 0.5)", "INSERT 0 1");
  Run(*c, "delete from m where id = 1", "DELETE 1");  // b's max (100) goes
  CheckAgg(*c, "after a restart, b's maximum deleted",
           {{"a", "1", "1", "-50", "-50.0000000000000000", "-50", "-50", "-7.50", "-7.50", "0.25"},
            {"b", "3", "1", "7", "7.0000000000000000", "7", "7", "0.50", "0.50", "9.5"}});

  Run(*c, "delete from m", "DELETE 4");
  CheckAgg(*c, "every row deleted", {});
}

TEST_CASE("an aggregate view without GROUP BY has exactly one row, also over no rows", "[views]") {
  TestServer server;
  Connection c(server);
  Run(c, "create table e (x int)", "CREATE TABLE");
  Run(c, "create materialized view ge as select count(*) as c, sum(x) as s, min(x) as mn from e",
      "SELECT 1");
  CHECK(c.Exec("select c, s, mn from ge") == Rows{{"0", kNull, kNull}});
  Run(c, "insert into e values (3), (4)", "INSERT 0 2");
  CHECK(c.Exec("select c, s, mn from ge") == Rows{{"2", "7", "3"}});
  Run(c, "delete from e", "DELETE 2");
  CHECK(c.Exec("select c, s, mn from ge") == Rows{{"0", kNull, kNull}});
}

TEST_CASE("a filter-and-projection view gains and loses rows as they cross its WHERE", "[views]") {
  TestServer server;
  Connection c(server);
  Run(c, "create table p (id int primary key, v int, s text)", "CREATE TABLE");
  Run(c, "insert into p values (1, 5, 'a'), (2, 15, 'b'), (3, 20, 'c')", "INSERT 0 3");
  Run(c,
      "create materialized view pv as select id, v * 2 as v2, s || '!' as s2 from p where v > 10",
      "SELECT 2");
  auto view = [&] { return c.Exec("select id, v2, s2 from pv order by id"); };
  auto direct = [&] {
    return c.Exec("select id, v * 2 as v2, s || '!' as s2 from p where v > 10 order by id");
  };
  CHECK(view() == Rows{{"2", "30", "b!"}, {"3", "40", "c!"}});

  Run(c, "update p set v = 11 where id = 1", "UPDATE 1");   // enters
  Run(c, "update p set v = 10 where id = 2", "UPDATE 1");   // leaves
  Run(c, "update p set s = 'z' where id = 3", "UPDATE 1");  // changes inside
  CHECK(view() == Rows{{"1", "22", "a!"}, {"3", "40", "z!"}});
  CHECK(view() == direct());

  Run(c, "update p set v = v + 100", "UPDATE 3");
  CHECK(view() == Rows{{"1", "222", "a!"}, {"2", "220", "b!"}, {"3", "240", "z!"}});
  Run(c, "delete from p where id <> 2", "DELETE 2");
  CHECK(view() == Rows{{"2", "220", "b!"}});
  CHECK(view() == direct());
}

TEST_CASE("keyless tables are multisets: duplicates join many-to-many and delete together",
          "[views]") {
  TestServer server;
  Connection c(server);
  Run(c, "create table k1 (a int, b text)", "CREATE TABLE");
  Run(c, "create table k2 (a int, c text)", "CREATE TABLE");
  Run(c, "create materialized view kj as select k1.a, k1.b, k2.c from k1 join k2 on k1.a = k2.a",
      "SELECT 0");
  Run(c, "create materialized view kc as select a, count(*) as n from kj group by a", "SELECT 0");
  auto kj = [&] { return c.Exec("select a, b, c from kj order by a, b, c"); };
  auto kj_direct = [&] {
    return c.Exec("select k1.a, k1.b, k2.c from k1 join k2 on k1.a = k2.a order by a, b, c");
  };
  auto kc = [&] { return c.Exec("select a, n from kc order by a"); };

  Run(c, "insert into k1 values (1, 'x'), (1, 'x'), (2, 'y')", "INSERT 0 3");
  Run(c, "insert into k2 values (1, 'p'), (1, 'q'), (2, 'r'), (2, 'r')", "INSERT 0 4");
  CHECK(kj() == Rows{{"1", "x", "p"},
                     {"1", "x", "p"},
                     {"1", "x", "q"},
                     {"1", "x", "q"},
                     {"2", "y", "r"},
                     {"2", "y", "r"}});
  CHECK(kj() == kj_direct());
  CHECK(kc() == Rows{{"1", "4"}, {"2", "2"}});
  CHECK(c.Scalar("select count(*) from k1") == "3");

  Run(c, "delete from k2 where c = 'q'", "DELETE 1");
  CHECK(kc() == Rows{{"1", "2"}, {"2", "2"}});
  Run(c, "delete from k2 where c = 'r'", "DELETE 2");
  CHECK(kc() == Rows{{"1", "2"}});
  Run(c, "insert into k2 values (2, 'r')", "INSERT 0 1");
  Run(c, "insert into k1 values (2, 'y')", "INSERT 0 1");
  CHECK(kc() == Rows{{"1", "2"}, {"2", "2"}});
  Run(c, "update k1 set b = 'w' where a = 1", "UPDATE 2");
  CHECK(kj() == Rows{{"1", "w", "p"}, {"1", "w", "p"}, {"2", "y", "r"}, {"2", "y", "r"}});
  CHECK(kj() == kj_direct());
  Run(c, "delete from k1 where a = 1", "DELETE 2");
  CHECK(kc() == Rows{{"2", "2"}});
  CHECK(kj() == kj_direct());
}
