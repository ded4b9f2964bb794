#include "server/catalog_codec.h"

#include "ivm/error.h"
#include "ivm/row_codec.h"

namespace server {
namespace {

constexpr uint64_t kFormatVersion = 1;

void PutString(const std::string& s, std::string* out) {
  ivm::PutVarint64(s.size(), out);
  out->append(s);
}

std::string GetString(std::string_view* in) {
  uint64_t n = ivm::GetVarint64(in);
  if (in->size() < n) throw ivm::Error(ivm::sqlstate::kInternalError, "corrupt catalog entry");
  std::string s(in->substr(0, n));
  in->remove_prefix(n);
  return s;
}

}  // namespace

std::string EncodeRelation(const sql::RelationInfo& r) {
  std::string out;
  ivm::PutVarint64(kFormatVersion, &out);
  ivm::PutVarint64(r.id, &out);
  ivm::PutVarint64(static_cast<uint64_t>(r.kind), &out);
  PutString(r.schema, &out);
  PutString(r.name, &out);
  ivm::PutVarint64(r.columns.size(), &out);
  for (const sql::ColumnInfo& c : r.columns) {
    PutString(c.name, &out);
    ivm::PutVarint64(static_cast<uint64_t>(c.type.id), &out);
    ivm::PutSignedVarint64(c.type.precision, &out);
    ivm::PutSignedVarint64(c.type.scale, &out);
    ivm::PutSignedVarint64(c.type.length, &out);
    ivm::PutVarint64(c.not_null ? 1 : 0, &out);
  }
  ivm::PutVarint64(r.primary_key.size(), &out);
  for (int k : r.primary_key) ivm::PutVarint64(static_cast<uint64_t>(k), &out);
  PutString(r.definition, &out);
  ivm::PutVarint64(r.inputs.size(), &out);
  for (uint64_t id : r.inputs) ivm::PutVarint64(id, &out);
  ivm::PutVarint64(r.plan_fingerprint, &out);
  return out;
}

sql::RelationInfo DecodeRelation(std::string_view in) {
  if (ivm::GetVarint64(&in) != kFormatVersion) {
    throw ivm::Error(ivm::sqlstate::kInternalError,
                     "catalog entry written by an unknown version of Tributary");
  }
  sql::RelationInfo r;
  r.id = ivm::GetVarint64(&in);
  r.kind = static_cast<sql::RelationKind>(ivm::GetVarint64(&in));
  r.schema = GetString(&in);
  r.name = GetString(&in);
  uint64_t columns = ivm::GetVarint64(&in);
  for (uint64_t i = 0; i < columns; ++i) {
    sql::ColumnInfo c;
    c.name = GetString(&in);
    c.type.id = static_cast<ivm::TypeId>(ivm::GetVarint64(&in));
    c.type.precision = static_cast<int16_t>(ivm::GetSignedVarint64(&in));
    c.type.scale = static_cast<int16_t>(ivm::GetSignedVarint64(&in));
    c.type.length = static_cast<int32_t>(ivm::GetSignedVarint64(&in));
    c.not_null = ivm::GetVarint64(&in) != 0;
    r.columns.push_back(std::move(c));
  }
  uint64_t keys = ivm::GetVarint64(&in);
  for (uint64_t i = 0; i < keys; ++i)
    r.primary_key.push_back(static_cast<int>(ivm::GetVarint64(&in)));
  r.definition = GetString(&in);
  uint64_t inputs = ivm::GetVarint64(&in);
  for (uint64_t i = 0; i < inputs; ++i) r.inputs.push_back(ivm::GetVarint64(&in));
  r.plan_fingerprint = ivm::GetVarint64(&in);
  return r;
}

}  // namespace server
