// Read plans: a SELECT bound once against a catalog version and run many times, with the
// values of its parameters ($1 ...) supplied per execution. PlanCache shares them between
// sessions by statement text (and declared parameter types), so a simple query seen before
// and a prepared statement both skip binding until DDL changes the catalog.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "ivm/types.h"
#include "ivm/value.h"
#include "protocol/backend.h"
#include "server/lru_cache.h"
#include "sql/ast.h"
#include "sql/binder.h"
#include "sql/catalog.h"
#include "sql/logical_plan.h"
#include "storage/database.h"

namespace server {

// What a read or write plan has in common: it is bound to one catalog version.
struct BoundPlan {
  std::weak_ptr<const sql::Catalog> catalog;  // the version it was bound to
  std::vector<ivm::Type> parameter_types;     // declared, then inferred ones (text if neither)

  // Whether the plan is still right for `current` (the catalog has not changed since).
  bool ValidFor(const std::shared_ptr<const sql::Catalog>& current) const {
    return catalog.lock() == current;
  }
};

struct ReadPlan : BoundPlan {
  sql::BoundQuery bound;
  std::vector<protocol::FieldDescription> fields;  // text format
  bool key_lookup = false;  // IsKeyLookup: cheap enough to run on the I/O thread
};

// Binds `select` against `catalog`, with the given parameter types (kUnknown: infer).
// Throws ivm::Error as the binder does.
std::shared_ptr<const ReadPlan> BindReadPlan(const sql::SelectStmt& select,
                                             const std::shared_ptr<const sql::Catalog>& catalog,
                                             const std::vector<ivm::Type>& declared);

// The types of the parameters of a statement that is not a SELECT (INSERT, UPDATE, DELETE
// infer them from their columns), bound against `catalog` to find them. Throws ivm::Error.
std::vector<ivm::Type> InferParameterTypes(const sql::Statement& statement,
                                           const std::shared_ptr<const sql::Catalog>& catalog,
                                           const std::vector<ivm::Type>& declared);

// A write (INSERT, UPDATE or DELETE) bound once against a catalog version, like a read
// plan. Binding a single-row UPDATE cost the writer as much as its join view's probe.
// Its BoundModify has no key_lookup: the key depends on the parameters' values, so the
// writer works it out for each execution (sql::KeyLookup).
struct WritePlan : BoundPlan {
  std::variant<sql::BoundInsert, sql::BoundModify> bound;
};

// Binds `statement`, an INSERT, UPDATE or DELETE, against `catalog` with the given
// parameter types (kUnknown: infer). Throws ivm::Error as the binder does.
std::shared_ptr<const WritePlan> BindWritePlan(const sql::Statement& statement,
                                               const std::shared_ptr<const sql::Catalog>& catalog,
                                               const std::vector<ivm::Type>& declared);

// Runs `plan` with `parameters` (each of its parameter's type) over what `reader` sees.
// Errors come back as a kError result.
protocol::StatementResult ExecuteReadPlan(const ReadPlan& plan,
                                          const std::vector<ivm::Value>& parameters,
                                          const sql::Catalog& catalog, storage::Reader& reader);

class PlanCache {
 public:
  explicit PlanCache(size_t capacity = 1024) : cache_(capacity) {}

  // The plan of `select` (whose text is `text`) for `catalog`, bound now if there is none
  // for this catalog version yet.
  std::shared_ptr<const ReadPlan> Get(const std::string& text, const sql::SelectStmt& select,
                                      const std::shared_ptr<const sql::Catalog>& catalog,
                                      const std::vector<ivm::Type>& declared = {});
  // The cached plan of `text` if it is still valid for `catalog`; never binds.
  std::shared_ptr<const ReadPlan> Find(const std::string& text,
                                       const std::shared_ptr<const sql::Catalog>& catalog,
                                       const std::vector<ivm::Type>& declared = {});

  size_t hits() const { return cache_.hits(); }
  size_t misses() const { return cache_.misses(); }

 private:
  LruCache<ReadPlan> cache_;
};

// Write plans by statement text and parameter types, shared by the sessions (which infer
// parameter types from them) and the writer (which runs them).
class WritePlanCache {
 public:
  explicit WritePlanCache(size_t capacity = 1024) : cache_(capacity) {}

  // The plan of `statement` (whose text is `text`) for `catalog`, bound now if there is
  // none for this catalog version yet. Throws ivm::Error as the binder does.
  std::shared_ptr<const WritePlan> Get(const std::string& text, const sql::Statement& statement,
                                       const std::shared_ptr<const sql::Catalog>& catalog,
                                       const std::vector<ivm::Type>& declared);

 private:
  LruCache<WritePlan> cache_;
};

}  // namespace server
