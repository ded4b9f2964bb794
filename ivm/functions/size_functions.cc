// Storage sizes as PostgreSQL's administration functions report them: pg_relation_size,
// pg_table_size, pg_total_relation_size, pg_indexes_size, pg_database_size (estimates from
// the storage engine, through the thread's CatalogContext), and pg_size_pretty.
#include <string>

#include "ivm/error.h"
#include "ivm/functions/catalog_context.h"
#include "ivm/functions/function_sets.h"

namespace ivm {
namespace {

using Args = std::span<const Value>;
constexpr TypeId kOid = TypeId::kInt64;  // oids are bigint values here
constexpr TypeId kText = TypeId::kText;
constexpr TypeId kSize = TypeId::kInt64;

const CatalogContext& Context(const char* function) {
  const CatalogContext* c = CurrentCatalogContext();
  if (!c) {
    throw Error(sqlstate::kFeatureNotSupported,
                std::string(function) + "() is only available in queries");
  }
  return *c;
}

// A relation named by oid, or by text: a name ('public.t') or, as regclass input takes it,
// an oid in digits. nullopt when it names nothing.
std::optional<int64_t> RelationArgument(const Value& v, const CatalogContext& c) {
  if (v.type() != kText) return v.int_value();
  const std::string& s = v.string_value();
  if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos) {
    return std::stoll(s);
  }
  return c.RelationOid(s);
}

Value SizeOf(Args a, const char* function, bool total) {
  const CatalogContext& c = Context(function);
  std::optional<int64_t> oid = RelationArgument(a[0], c);
  if (!oid) {
    throw Error(sqlstate::kUndefinedTable,
                "relation \"" + a[0].string_value() + "\" does not exist");
  }
  std::optional<int64_t> bytes = c.RelationSizeBytes(*oid, total);
  return bytes ? Value::Int64(*bytes) : Value::Null(kSize);
}

Value RelationSize(Args a) { return SizeOf(a, "pg_relation_size", false); }
Value TotalRelationSize(Args a) { return SizeOf(a, "pg_total_relation_size", true); }
// A primary key is the table's own key order: it takes no space of its own.
Value IndexesSize(Args a) {
  const CatalogContext& c = Context("pg_indexes_size");
  std::optional<int64_t> oid = RelationArgument(a[0], c);
  if (!oid || !c.RelationSizeBytes(*oid, false)) return Value::Null(kSize);
  return Value::Int64(0);
}
Value DatabaseSize(Args) { return Value::Int64(Context("pg_database_size").DatabaseSizeBytes()); }

// pg_size_pretty: bytes below 10 kB, then kB, MB, GB, TB, PB, each halving-rounded, with a
// unit while the value stays under 20 of it (PostgreSQL 15's rule).
Value SizePretty(Args a) {
  int64_t size = a[0].int_value();
  auto half_rounded = [](int64_t x) { return (x + (x < 0 ? -1 : 1)) / 2; };
  auto abs = [](int64_t x) { return x < 0 ? -x : x; };
  if (abs(size) < 10 * 1024) return Value::Text(std::to_string(size) + " bytes");
  size >>= 9;  // kB, keeping one bit for rounding
  for (const char* unit : {"kB", "MB", "GB", "TB"}) {
    if (abs(size) < 20 * 1024 - 1) return Value::Text(std::to_string(half_rounded(size)) + " " + unit);
    size >>= 10;
  }
  return Value::Text(std::to_string(half_rounded(size)) + " PB");
}

}  // namespace

void AddSizeFunctions(std::vector<ScalarFunction>* out) {
  // Sizes change with every step: not deterministic, so views never use them.
  auto sized = [&](const char* name, std::vector<TypeId> params, ScalarBody body) {
    out->push_back({name, std::move(params), kSize, body, /*strict=*/true,
                    /*deterministic=*/false});
  };
  for (TypeId arg : {kOid, kText}) {
    sized("pg_relation_size", {arg}, RelationSize);
    sized("pg_relation_size", {arg, kText}, RelationSize);
    sized("pg_table_size", {arg}, RelationSize);
    sized("pg_total_relation_size", {arg}, TotalRelationSize);
    sized("pg_indexes_size", {arg}, IndexesSize);
    sized("pg_database_size", {arg}, DatabaseSize);
  }
  out->push_back({"pg_size_pretty", {kSize}, kText, SizePretty});
}

}  // namespace ivm
