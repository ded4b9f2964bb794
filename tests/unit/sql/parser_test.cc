#include <catch2/catch.hpp>

#include "ivm/error.h"
#include "sql/parser.h"

using sql::ParseScript;

namespace {

std::string SyntaxError(const std::string& text) {
  try {
    ParseScript(text);
  } catch (const ivm::Error& e) {
    CHECK(e.sqlstate() == "42601");
    return e.message();
  }
  return "";
}

// The SQLSTATE ParseScript throws for `text`, or "none".
std::string SqlState(const std::string& text) {
  try {
    ParseScript(text);
  } catch (const ivm::Error& e) {
    return e.sqlstate();
  }
  return "none";
}

}  // namespace

TEST_CASE("a script splits into statements and keeps each statement's text") {
  auto statements = ParseScript("create table t (a int); ; select a from t;");
  REQUIRE(statements.size() == 2);
  CHECK(std::holds_alternative<sql::CreateTableStmt>(statements[0].statement));
  CHECK(statements[1].text == "select a from t");
  CHECK(ParseScript("  ").empty());
  CHECK(ParseScript("-- just a comment\n").empty());
}

TEST_CASE("keywords are case-insensitive and non-reserved words work as names") {
  auto s = ParseScript("CrEaTe TaBlE Key (date date, name text, first int, \"Quoted\"\"Id\" int)");
  const auto& create = std::get<sql::CreateTableStmt>(s[0].statement);
  CHECK(create.name.name == "key");
  REQUIRE(create.columns.size() == 4);
  CHECK(create.columns[0].name == "date");
  CHECK(create.columns[0].type.name == "date");
  CHECK(create.columns[3].name == "Quoted\"Id");
}

TEST_CASE("type names with modifiers and multi-word names") {
  auto s = ParseScript(
      "create table t (a numeric(12,2), b double precision, c character varying(40), "
      "d timestamp without time zone, e varchar(3))");
  const auto& cols = std::get<sql::CreateTableStmt>(s[0].statement).columns;
  CHECK(cols[0].type.name == "numeric");
  CHECK(cols[0].type.args == std::vector<int>{12, 2});
  CHECK(cols[1].type.name == "double precision");
  CHECK(cols[2].type.name == "varchar");
  CHECK(cols[3].type.name == "timestamp");
  CHECK(cols[4].type.args == std::vector<int>{3});
}

TEST_CASE("expressions follow PostgreSQL precedence") {
  auto s = ParseScript("select 1 + 2 * 3, a = b is null, not a and b or c from t");
  const auto& items = std::get<sql::SelectStmt>(s[0].statement).query->body.select.items;
  CHECK(items[0].expr->op == "+");
  CHECK(items[0].expr->args[1]->op == "*");
  CHECK(items[1].expr->kind == sql::AstExpr::Kind::kIsNull);  // (a = b) IS NULL
  CHECK(items[2].expr->op == "OR");
  CHECK(items[2].expr->args[0]->op == "AND");
}

TEST_CASE("string literals unescape doubled quotes") {
  auto s = ParseScript("select 'it''s'");
  CHECK(std::get<sql::SelectStmt>(s[0].statement).query->body.select.items[0].expr->text == "it's");
}

TEST_CASE("syntax errors name the offending token, as PostgreSQL does") {
  CHECK(SyntaxError("selec 1") == "syntax error at or near \"selec\"");
  CHECK(SyntaxError("select 1 from") == "syntax error at end of input");
  CHECK(SyntaxError("select (1") == "syntax error at end of input");
  CHECK(SyntaxError("select 1; garbage") == "syntax error at or near \"garbage\"");
}

TEST_CASE("set operations, WITH, outer joins, window functions and special forms parse") {
  auto s = ParseScript(
      "with a as (select 1 as x) select x from a union all select 2 intersect select 3 "
      "order by 1 limit 5");
  const auto& q = *std::get<sql::SelectStmt>(s[0].statement).query;
  REQUIRE(q.ctes.size() == 1);
  CHECK(q.ctes[0].name == "a");
  REQUIRE(q.body.kind == sql::AstQueryBody::Kind::kSetOperation);
  CHECK(q.body.op == sql::AstQueryBody::SetOp::kUnion);
  CHECK(q.body.all);
  CHECK(q.body.right->op == sql::AstQueryBody::SetOp::kIntersect);  // INTERSECT binds tighter

  auto j = ParseScript("select * from a left join b using (id) natural full join c");
  const auto& from = std::get<sql::SelectStmt>(j[0].statement).query->body.select.from[0];
  CHECK(from->natural);
  CHECK(from->join_type == sql::AstFromItem::JoinType::kFull);
  CHECK(from->left->using_columns == std::vector<std::string>{"id"});

  auto w = ParseScript(
      "select row_number() over (partition by a order by b desc), string_agg(s, ',' order by s), "
      "extract(year from t), substring(s from 2 for 3), position('b' in s), trim(leading 'x' from "
      "s), "
      "interval '5 minutes', interval '10' minute, s ilike 'a%', a is not distinct from b from "
      "tumble(t, ts, interval '5 minutes') where exists (select 1) and a not in (select 2)");
  const auto& sel = std::get<sql::SelectStmt>(w[0].statement).query->body.select;
  CHECK(sel.items[0].expr->has_over);
  CHECK(sel.items[0].expr->partition_by.size() == 1);
  CHECK(sel.items[1].expr->order_by.size() == 1);
  CHECK(sel.items[2].expr->name == "extract");
  CHECK(sel.items[3].expr->args.size() == 3);
  CHECK(sel.items[5].expr->name == "ltrim");
  CHECK(sel.items[7].expr->op == "minute");
  CHECK(sel.items[8].expr->op == "ILIKE");
  CHECK(sel.from[0]->kind == sql::AstFromItem::Kind::kFunction);
  CHECK(sel.where->args[0]->kind == sql::AstExpr::Kind::kExists);
  CHECK(sel.where->args[1]->kind == sql::AstExpr::Kind::kInSubquery);
  CHECK(std::holds_alternative<sql::VerifyStmt>(
      ParseScript("verify materialized view v")[0].statement));
}

TEST_CASE("BETWEEN bounds and LIKE patterns stop before AND and OR") {
  auto s = ParseScript("select 1 from t where x between 1 and 2 and y = 3 or g like 'a%' or h");
  const auto& where = *std::get<sql::SelectStmt>(s[0].statement).query->body.select.where;
  REQUIRE(where.op == "OR");  // ((between AND y = 3) OR like) OR h
  const auto& left = *where.args[0];
  REQUIRE(left.op == "OR");
  CHECK(left.args[0]->op == "AND");
  CHECK(left.args[0]->args[0]->kind == sql::AstExpr::Kind::kBetween);
  CHECK(left.args[1]->kind == sql::AstExpr::Kind::kLike);
  CHECK(where.args[1]->kind == sql::AstExpr::Kind::kColumnRef);
}

TEST_CASE("SET, RESET and SHOW in PostgreSQL's forms") {
  auto set = [](const std::string& text) {
    return std::get<sql::SetStmt>(ParseScript(text)[0].statement);
  };
  sql::SetStmt s = set("SET application_name = 'Metabase v0.49'");
  CHECK(s.name == "application_name");
  CHECK(s.values == std::vector<std::string>{"Metabase v0.49"});
  s = set("set session DateStyle to ISO, MDY");
  CHECK(s.name == "datestyle");
  CHECK(s.values == std::vector<std::string>{"iso", "mdy"});
  s = set("SET search_path TO \"$user\", public");
  CHECK(s.values == std::vector<std::string>{"$user", "public"});
  s = set("set extra_float_digits = -3");
  CHECK(s.values == std::vector<std::string>{"-3"});
  s = set("SET TIME ZONE 'UTC'");
  CHECK(s.name == "timezone");
  CHECK(s.values == std::vector<std::string>{"UTC"});
  CHECK(set("set time zone local").to_default);
  CHECK(set("set statement_timeout to default").to_default);
  s = set("RESET ALL");
  CHECK((s.name == "all" && s.reset && s.to_default));
  CHECK(set("set local lock_timeout = 0").local);
  CHECK(std::get<sql::ShowStmt>(ParseScript("SHOW ALL")[0].statement).name == "all");
  CHECK(std::get<sql::ShowStmt>(ParseScript("show TimeZone")[0].statement).name == "timezone");
  CHECK(std::get<sql::ShowStmt>(ParseScript("show time zone")[0].statement).name == "timezone");
  CHECK(std::holds_alternative<sql::RoutineLoadControlStmt>(
      ParseScript("SHOW ROUTINE LOAD")[0].statement));
  // The new words still name columns.
  auto create = std::get<sql::CreateTableStmt>(
      ParseScript("create table t (session int, local int, reset int, to int)")[0].statement);
  CHECK(create.columns.size() == 4);
}

TEST_CASE("a script that is not UTF-8 is refused with 22021, bulk INSERTs included") {
  CHECK(SqlState("select 'caf\xe9'") == "22021");
  std::string bulk = "insert into t values (0, 'a')";
  for (int i = 1; i < 500; ++i) bulk += ", (" + std::to_string(i) + ", 'a')";
  CHECK(SqlState(bulk) == "none");
  CHECK(SqlState(bulk + ", (500, '\xff')") == "22021");
}

TEST_CASE("deeply nested parentheses are refused with 54001 before the parser runs") {
  const size_t limit = sql::kMaxParenthesisDepth;
  CHECK(SqlState("select " + std::string(200, '(') + "1" + std::string(200, ')')) == "none");
  // At 100,000 this took ANTLR a core and 4 GiB for longer than 15 minutes.
  CHECK(SqlState("select " + std::string(100000, '(') + "1" + std::string(100000, ')')) == "54001");
  CHECK(SqlState("select " + std::string(limit + 1, '(') + "1" + std::string(limit + 1, ')')) ==
        "54001");
  // Parentheses in strings, quoted names and comments do not count.
  const std::string many(limit + 1, '(');
  CHECK(SqlState("select '" + many + "', 1 as \"" + many + "\" -- " + many + "\n") == "none");
  CHECK(SqlState("select 1 /* " + many + " */") == "none");
}
