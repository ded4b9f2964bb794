#include "server/plan_cache.h"

#include "ivm/expression.h"
#include "server/query_executor.h"
#include "server/read_executor.h"
#include "sql/binder.h"

namespace server {

std::shared_ptr<const ReadPlan> BindReadPlan(const sql::SelectStmt& select,
                                             const std::shared_ptr<const sql::Catalog>& catalog,
                                             const std::vector<ivm::Type>& declared) {
  auto plan = std::make_shared<ReadPlan>();
  plan->catalog = catalog;
  ivm::ParameterTyping typing(declared);
  plan->bound = sql::Binder(*catalog).BindQuery(*select.query);
  plan->parameter_types = typing.Resolved();
  plan->fields = FieldsFor(plan->bound.column_names, plan->bound.column_types);
  plan->key_lookup = IsKeyLookup(plan->bound, *catalog);
  return plan;
}

std::vector<ivm::Type> InferParameterTypes(const sql::Statement& statement,
                                           const std::shared_ptr<const sql::Catalog>& catalog,
                                           const std::vector<ivm::Type>& declared) {
  if (sql::IsDml(statement)) {
    return BindWritePlan(statement, catalog, declared)->parameter_types;
  }
  ivm::ParameterTyping typing(declared);
  if (auto* explain = std::get_if<sql::ExplainStmt>(&statement); explain && explain->query) {
    sql::Binder(*catalog).BindQuery(*explain->query);
  }
  return typing.Resolved();
}

std::shared_ptr<const WritePlan> BindWritePlan(const sql::Statement& statement,
                                               const std::shared_ptr<const sql::Catalog>& catalog,
                                               const std::vector<ivm::Type>& declared) {
  auto plan = std::make_shared<WritePlan>();
  plan->catalog = catalog;
  ivm::ParameterTyping typing(declared);
  sql::Binder binder(*catalog);
  if (auto* insert = std::get_if<sql::InsertStmt>(&statement)) {
    plan->bound = binder.BindInsert(*insert);
  } else {
    sql::BoundModify modify = std::holds_alternative<sql::UpdateStmt>(statement)
                                  ? binder.BindUpdate(std::get<sql::UpdateStmt>(statement))
                                  : binder.BindDelete(std::get<sql::DeleteStmt>(statement));
    modify.key_lookup.reset();  // of this execution's parameters, if any
    plan->bound = std::move(modify);
  }
  plan->parameter_types = typing.Resolved();
  return plan;
}

protocol::StatementResult ExecuteReadPlan(const ReadPlan& plan,
                                          const std::vector<ivm::Value>& parameters,
                                          const sql::Catalog& catalog, storage::Reader& reader) {
  try {
    ivm::ParameterValues values(&parameters);
    return RowsResult(plan.bound.column_names, plan.bound.column_types,
                      RunQuery(plan.bound, catalog, reader));
  } catch (const ivm::Error& e) {
    return ErrorResult(e);
  }
}

namespace {

std::string CacheKey(const std::string& text, const std::vector<ivm::Type>& declared) {
  std::string key = text;
  for (const ivm::Type& t : declared) key += "\x01" + t.ToString();
  return key;
}

}  // namespace

std::shared_ptr<const ReadPlan> PlanCache::Get(const std::string& text,
                                               const sql::SelectStmt& select,
                                               const std::shared_ptr<const sql::Catalog>& catalog,
                                               const std::vector<ivm::Type>& declared) {
  if (std::shared_ptr<const ReadPlan> cached = Find(text, catalog, declared)) return cached;
  std::shared_ptr<const ReadPlan> plan = BindReadPlan(select, catalog, declared);
  cache_.Put(CacheKey(text, declared), plan);
  return plan;
}

std::shared_ptr<const ReadPlan> PlanCache::Find(const std::string& text,
                                                const std::shared_ptr<const sql::Catalog>& catalog,
                                                const std::vector<ivm::Type>& declared) {
  std::shared_ptr<const ReadPlan> cached = cache_.Get(CacheKey(text, declared));
  return cached && cached->ValidFor(catalog) ? cached : nullptr;
}

std::shared_ptr<const WritePlan> WritePlanCache::Get(
    const std::string& text, const sql::Statement& statement,
    const std::shared_ptr<const sql::Catalog>& catalog, const std::vector<ivm::Type>& declared) {
  const std::string key = CacheKey(text, declared);
  std::shared_ptr<const WritePlan> plan = cache_.Get(key);
  if (plan && plan->ValidFor(catalog)) return plan;
  plan = BindWritePlan(statement, catalog, declared);
  cache_.Put(key, plan);
  return plan;
}

}  // namespace server
