// Which literals of a simple-protocol SELECT, UPDATE, DELETE or INSERT become parameters, and
// which stay: only an operand of a comparison (or an UPDATE's SET value, or an item of an
// INSERT's single VALUES row) is a value for certain.
#include <catch2/catch.hpp>

#include "server/literal_parameters.h"

namespace {

std::string Text(const std::string& sql) {
  auto p = server::ParameterizeLiterals(sql);
  return p ? p->text : "(unchanged)";
}

}  // namespace

TEST_CASE("compared literals become parameters, typed as PostgreSQL types the literal") {
  auto p = server::ParameterizeLiterals(
      "SELECT a FROM t WHERE id = 42 AND big >= 3000000000 AND x <> 1.5 AND s != 'it''s'");
  REQUIRE(p);
  CHECK(p->text == "SELECT a FROM t WHERE id = $1 AND big >= $2 AND x <> $3 AND s != $4");
  REQUIRE(p->parameters.size() == 4);
  CHECK(p->parameters[0].type.id == ivm::TypeId::kInt32);
  CHECK(p->parameters[1].type.id == ivm::TypeId::kInt64);
  CHECK(p->parameters[2].type.id == ivm::TypeId::kNumeric);
  CHECK(p->parameters[3].type.id == ivm::TypeId::kUnknown);
  CHECK(p->parameters[3].text == "it's");
  CHECK(Text("select v from kv where k=7;") == "select v from kv where k=$1;");
}

TEST_CASE("an UPDATE's SET values and an UPDATE's or DELETE's compared literals too") {
  auto p = server::ParameterizeLiterals("UPDATE t SET a = 'x', b = b + 1 WHERE id = 7");
  REQUIRE(p);
  CHECK(p->text == "UPDATE t SET a = $1, b = b + 1 WHERE id = $2");
  REQUIRE(p->parameters.size() == 2);
  CHECK(p->parameters[0].type.id == ivm::TypeId::kUnknown);
  CHECK(p->parameters[1].type.id == ivm::TypeId::kInt32);
  CHECK(Text("delete from t where k >= 1.5") == "delete from t where k >= $1");
  CHECK(Text("UPDATE t SET a = b") == "(unchanged)");
  CHECK(Text("updated_at = 1") == "(unchanged)");  // a word that only starts like one
  CHECK(Text("CREATE TABLE t (a int CHECK (a = 1))") == "(unchanged)");
}

TEST_CASE("literals that are positions, counts, type inputs or escapes stay") {
  CHECK(Text("SELECT a, b FROM t ORDER BY 1 LIMIT 10") == "(unchanged)");
  CHECK(Text("SELECT a FROM t WHERE d = DATE '2024-01-01'") == "(unchanged)");
  CHECK(Text("SELECT a FROM t WHERE i = INTERVAL '1 day'") == "(unchanged)");
  CHECK(Text("SELECT a FROM t WHERE s = E'a\\\\b'") == "(unchanged)");
  CHECK(Text("SELECT a FROM t WHERE n = -1") == "(unchanged)");
  CHECK(Text("SELECT a FROM t WHERE n IN (1, 2) AND m BETWEEN 1 AND 5") == "(unchanged)");
  CHECK(Text("SELECT a FROM t WHERE x = $1") == "(unchanged)");  // already parameterized
  CHECK(Text("SELECT 1; SELECT 2") == "(unchanged)");           // one statement only
  CHECK(Text("CREATE TABLE t (a int DEFAULT 1)") == "(unchanged)");
  CHECK(Text("SELECT \"a = 1\" FROM t WHERE b = 2 -- c = 3\n") ==
        "SELECT \"a = 1\" FROM t WHERE b = $1 -- c = 3\n");
  CHECK(Text("SELECT a FROM t WHERE b = 2 /* c = 3 */") == "SELECT a FROM t WHERE b = $1 /* c = 3 */");
}

TEST_CASE("a single-row INSERT's whole values too, and nothing of a multi-row one") {
  auto p =
      server::ParameterizeLiterals("INSERT INTO t (id, name, amount) VALUES (42, 'it''s', 1.50)");
  REQUIRE(p);
  CHECK(p->text == "INSERT INTO t (id, name, amount) VALUES ($1, $2, $3)");
  REQUIRE(p->parameters.size() == 3);
  CHECK(p->parameters[0].type.id == ivm::TypeId::kInt32);
  CHECK(p->parameters[1].type.id == ivm::TypeId::kUnknown);
  CHECK(p->parameters[1].text == "it's");
  CHECK(p->parameters[2].type.id == ivm::TypeId::kNumeric);
  CHECK(Text("insert into t values ( 7 ,'x' );") == "insert into t values ( $1 ,$2 );");
  // Only whole items: not an operand of an expression, a function's argument, a typed
  // literal or a negative number.
  CHECK(Text("INSERT INTO t VALUES (1 + 2, lower('A'), DATE '2024-01-01', -5, 3)") ==
        "INSERT INTO t VALUES (1 + 2, lower('A'), DATE '2024-01-01', -5, $1)");
  CHECK(Text("INSERT INTO t VALUES (1 + 2, null)") == "(unchanged)");
  // Several rows are left to the bulk path.
  CHECK(Text("INSERT INTO t VALUES (1, 'a'), (2, 'b')") == "(unchanged)");
  CHECK(Text("INSERT INTO t VALUES (1, 'a') ON CONFLICT (id) DO NOTHING") == "(unchanged)");
  // INSERT ... SELECT: only compared literals.
  CHECK(Text("INSERT INTO t SELECT id, 5 FROM s WHERE id = 3") ==
        "INSERT INTO t SELECT id, 5 FROM s WHERE id = $1");
  CHECK(Text("INSERT INTO t (a, b) SELECT 1, 2") == "(unchanged)");
}

TEST_CASE("a text that is not UTF-8 is left to the parser, which reports it") {
  CHECK(Text("UPDATE t SET name = '\xff\xfe' WHERE id = 1") == "(unchanged)");
  CHECK(Text("SELECT a FROM t WHERE name = '\xff\xfe'") == "(unchanged)");
  CHECK(Text("INSERT INTO t VALUES (9, '\xff\xfe')") == "(unchanged)");
}
