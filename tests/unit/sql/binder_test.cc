#include <catch2/catch.hpp>

#include "ivm/error.h"
#include "sql/binder.h"
#include "sql/lower_to_circuit.h"
#include "sql/parser.h"

namespace {

sql::Catalog MakeCatalog() {
  sql::Catalog catalog;
  sql::RelationInfo t;
  t.id = 1;
  t.name = "t";
  t.columns = {{"id", ivm::Type::Of(ivm::TypeId::kInt32), true},
               {"g", ivm::Type::Of(ivm::TypeId::kText), false},
               {"amount", ivm::Type::Numeric(12, 2), false},
               {"small", ivm::Type::Of(ivm::TypeId::kInt16), false},
               {"f", ivm::Type::Of(ivm::TypeId::kFloat64), false}};
  t.primary_key = {0};
  catalog.Put(t);
  sql::RelationInfo u = t;
  u.id = 2;
  u.name = "u";
  catalog.Put(u);
  return catalog;
}

sql::BoundQuery Bind(const std::string& text) {
  sql::Catalog catalog = MakeCatalog();
  auto parsed = sql::ParseScript(text);
  return sql::Binder(catalog).BindQuery(*std::get<sql::SelectStmt>(parsed[0].statement).query);
}

// MakeCatalog's tables and `bag`, like t but without a key (a multiset).
sql::Catalog CatalogWithBag() {
  sql::Catalog catalog = MakeCatalog();
  sql::RelationInfo bag = *catalog.FindById(1);
  bag.id = 3;
  bag.name = "bag";
  bag.primary_key.clear();
  catalog.Put(bag);
  return catalog;
}

// The circuit a view of `text` would run, as EXPLAIN shows it.
std::string PlanOf(const sql::Catalog& catalog, const std::string& text) {
  auto parsed = sql::ParseScript(text);
  sql::BoundQuery q =
      sql::Binder(catalog).BindQuery(*std::get<sql::SelectStmt>(parsed[0].statement).query);
  return sql::LowerToCircuit(*q.plan).circuit->Explain();
}

std::string ErrorOf(const std::string& text) {
  try {
    Bind(text);
  } catch (const ivm::Error& e) {
    return e.sqlstate();
  }
  return "";
}

}  // namespace

TEST_CASE("result types follow PostgreSQL") {
  using ivm::TypeId;
  auto agg = Bind("select count(*), sum(id), sum(amount), avg(id), min(amount), sum(f) from t");
  std::vector<TypeId> want = {TypeId::kInt64,   TypeId::kInt64,   TypeId::kNumeric,
                              TypeId::kNumeric, TypeId::kNumeric, TypeId::kFloat64};
  REQUIRE(agg.column_types.size() == want.size());
  for (size_t i = 0; i < want.size(); ++i) CHECK(agg.column_types[i].id == want[i]);
  CHECK(agg.column_types[4].scale == 2);  // min keeps numeric(12,2)
  CHECK(agg.column_names[0] == "count");

  auto q = Bind("select small + small, id + 1.5, f * id, 2147483648, 'x', small + id from t");
  want = {TypeId::kInt16, TypeId::kNumeric, TypeId::kFloat64,
          TypeId::kInt64, TypeId::kText,    TypeId::kInt32};
  REQUIRE(q.column_types.size() == want.size());
  for (size_t i = 0; i < want.size(); ++i) CHECK(q.column_types[i].id == want[i]);
  CHECK(q.column_names[0] == "?column?");
}

TEST_CASE("name and grouping errors carry PostgreSQL's SQLSTATEs") {
  CHECK(ErrorOf("select * from nope") == "42P01");
  CHECK(ErrorOf("select nope from t") == "42703");
  CHECK(ErrorOf("select x.id from t") == "42P01");
  CHECK(ErrorOf("select id from t, u") == "42702");
  CHECK(ErrorOf("select g, count(*) from t") == "42803");
  CHECK(ErrorOf("select id from t where count(*) > 1") == "42803");
  CHECK(ErrorOf("select id from t where id") == "42804");
  CHECK(ErrorOf("select g + 1 from t") == "42883");
  CHECK(ErrorOf("select 'abc' + 1") == "22P02");
  CHECK(ErrorOf("select 1/0") == "22012");
  CHECK(ErrorOf("select id from t order by 9") == "42P10");
  CHECK(ErrorOf("select rank() over (order by id) from t").empty());
  CHECK(ErrorOf("select percentile_cont(0.5) over (order by id) from t") == "42883");
  CHECK(ErrorOf("select id from t where id not in (select id from u where u.g = t.g)") == "0A000");
}

TEST_CASE("equalities between FROM items become join keys and one-side filters go below") {
  auto q = Bind("select t.g from t, u where t.id = u.id and t.g = 'a' and t.f < u.f");
  // Project <- Filter(t.f < u.f) <- Join(t.id = u.id) <- [Filter(g = 'a') <- Scan t, Scan u]
  auto residual = q.plan->children[0];
  REQUIRE(residual->kind == sql::PlanNode::Kind::kFilter);
  auto join = residual->children[0];
  REQUIRE(join->kind == sql::PlanNode::Kind::kJoin);
  CHECK(join->left_keys.size() == 1);
  CHECK(join->children[0]->kind == sql::PlanNode::Kind::kFilter);
  CHECK(join->children[1]->kind == sql::PlanNode::Kind::kScan);
}

TEST_CASE("a join knows which of its inputs hold each row at most once") {
  const sql::Catalog catalog = CatalogWithBag();
  auto join_of = [&](const std::string& text) {
    const std::string plan = PlanOf(catalog, text);
    const size_t at = plan.find("Join keys=");
    REQUIRE(at != std::string::npos);
    return plan.substr(at, plan.find('\n', at) - at);
  };
  // Keyed tables, filtered, grouped or with every column kept, hold a row once; a projection
  // that drops one may not, nor a table without a key.
  CHECK_THAT(join_of("select * from t join u on t.g = u.g"),
             Catch::Contains("unique=[left, right]"));
  CHECK_THAT(join_of("select * from t join (select * from u where f > 0) v on t.g = v.g"),
             Catch::Contains("unique=[left, right]"));
  CHECK_THAT(join_of("select * from t join (select g, count(*) from u group by g) v on t.g = v.g"),
             Catch::Contains("unique=[left, right]"));
  CHECK_THAT(join_of("select * from bag join u on bag.g = u.g"), Catch::Contains("unique=[right]"));
  CHECK_THAT(join_of("select * from t join (select g from u) v on t.g = v.g"),
             Catch::Contains("unique=[left]"));
  CHECK_THAT(join_of("select * from (select g from t) w join bag on w.g = bag.g"),
             !Catch::Contains("unique"));
}

TEST_CASE("a semi-join knows whether its outer rows are each there once") {
  const sql::Catalog catalog = CatalogWithBag();
  CHECK_THAT(PlanOf(catalog, "select * from t where exists (select 1 from bag where bag.g = t.g)"),
             Catch::Contains("unique=[outer]"));
  CHECK_THAT(PlanOf(catalog, "select * from t where g in (select g from bag)"),
             Catch::Contains("unique=[outer]"));
  CHECK_THAT(PlanOf(catalog, "select * from bag where exists (select 1 from t where t.g = bag.g)"),
             !Catch::Contains("unique"));
}

TEST_CASE("group by expressions and select items match") {
  auto q = Bind(
      "select g, sum(amount) as total from t group by g having sum(amount) > 10 order by total "
      "desc");
  CHECK(q.column_names == std::vector<std::string>{"g", "total"});
  REQUIRE(q.order_by.size() == 1);
  CHECK(q.order_by[0].column == 1);
  CHECK(q.order_by[0].descending);
}

TEST_CASE("views refuse what cannot be maintained yet") {
  sql::Catalog catalog = MakeCatalog();
  auto parsed = sql::ParseScript("select id, (select max(u.id) from u where u.g = t.g) from t");
  const auto& query = *std::get<sql::SelectStmt>(parsed[0].statement).query;
  try {
    sql::Binder(catalog).BindViewQuery(query);
    FAIL("a correlated scalar subquery was accepted in a view");
  } catch (const ivm::Error& e) {
    CHECK(e.sqlstate() == "0A000");
  }
}
