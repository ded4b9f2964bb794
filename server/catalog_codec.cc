#include "server/catalog_codec.h"

#include "ivm/error.h"
#include "ivm/row_codec.h"

namespace server {
namespace {

// Version 2 added the source of a Kafka-fed table, version 3 the owner and the SELECT
// grantees; older entries still decode.
constexpr uint64_t kFormatVersion = 6;
constexpr uint64_t kRoleFormatVersion = 1;

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

void PutStrings(const std::vector<std::string>& v, std::string* out) {
  ivm::PutVarint64(v.size(), out);
  for (const std::string& s : v) PutString(s, out);
}

std::vector<std::string> GetStrings(std::string_view* in) {
  std::vector<std::string> v(ivm::GetVarint64(in));
  for (std::string& s : v) s = GetString(in);
  return v;
}

void PutSource(const sql::SourceSpec& s, std::string* out) {
  PutStrings({s.connector, s.topic, s.bootstrap_servers, s.group_id, s.startup_mode, s.format,
              s.database_include, s.table_include, s.job, s.json_root},
             out);
  ivm::PutVarint64((s.schema_include ? 1 : 0) | (s.ignore_parse_errors ? 2 : 0) |
                       (s.stop_on_error ? 4 : 0) | (s.paused ? 8 : 0) |
                       (s.strip_outer_array ? 16 : 0),
                   out);
  PutStrings(s.jsonpaths, out);
  ivm::PutVarint64(s.load_columns.size(), out);
  for (int c : s.load_columns) ivm::PutSignedVarint64(c, out);
  ivm::PutVarint64(s.metadata.size(), out);
  for (const auto& [column, key] : s.metadata) {
    ivm::PutVarint64(static_cast<uint64_t>(column), out);
    PutString(key, out);
  }
  ivm::PutVarint64(s.properties.size(), out);
  for (const auto& [key, value] : s.properties) {
    PutString(key, out);
    PutString(value, out);
  }
}

sql::SourceSpec GetSource(std::string_view* in) {
  sql::SourceSpec s;
  std::vector<std::string> f = GetStrings(in);
  if (f.size() != 10) throw ivm::Error(ivm::sqlstate::kInternalError, "corrupt catalog entry");
  s.connector = f[0];
  s.topic = f[1];
  s.bootstrap_servers = f[2];
  s.group_id = f[3];
  s.startup_mode = f[4];
  s.format = f[5];
  s.database_include = f[6];
  s.table_include = f[7];
  s.job = f[8];
  s.json_root = f[9];
  uint64_t flags = ivm::GetVarint64(in);
  s.schema_include = flags & 1;
  s.ignore_parse_errors = flags & 2;
  s.stop_on_error = flags & 4;
  s.paused = flags & 8;
  s.strip_outer_array = flags & 16;
  s.jsonpaths = GetStrings(in);
  s.load_columns.resize(ivm::GetVarint64(in));
  for (int& c : s.load_columns) c = static_cast<int>(ivm::GetSignedVarint64(in));
  uint64_t metadata = ivm::GetVarint64(in);
  for (uint64_t i = 0; i < metadata; ++i) {
    int column = static_cast<int>(ivm::GetVarint64(in));
    s.metadata.emplace_back(column, GetString(in));
  }
  uint64_t properties = ivm::GetVarint64(in);
  for (uint64_t i = 0; i < properties; ++i) {
    std::string key = GetString(in);
    s.properties[key] = GetString(in);
  }
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
  PutSource(r.source, &out);
  PutString(r.owner, &out);
  PutStrings(r.select_grantees, &out);
  ivm::PutVarint64(r.view_references.size(), &out);
  for (uint64_t id : r.view_references) ivm::PutVarint64(id, &out);
  ivm::PutVarint64(static_cast<uint64_t>(r.unique_prefix), &out);
  ivm::PutVarint64(r.keyed_rows ? 1 : 0, &out);
  return out;
}

sql::RelationInfo DecodeRelation(std::string_view in) {
  const uint64_t version = ivm::GetVarint64(&in);
  if (version < 1 || version > kFormatVersion) {
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
  if (version >= 2) r.source = GetSource(&in);
  if (version >= 3) {
    r.owner = GetString(&in);
    r.select_grantees = GetStrings(&in);
  }
  if (version >= 4) {
    const uint64_t views = ivm::GetVarint64(&in);
    for (uint64_t i = 0; i < views; ++i) r.view_references.push_back(ivm::GetVarint64(&in));
  }
  if (version >= 5) r.unique_prefix = static_cast<int>(ivm::GetVarint64(&in));
  if (version >= 6) r.keyed_rows = ivm::GetVarint64(&in) != 0;
  return r;
}

std::string EncodeRole(const sql::RoleInfo& role) {
  std::string out;
  ivm::PutVarint64(kRoleFormatVersion, &out);
  PutString(role.name, &out);
  ivm::PutVarint64((role.login ? 1 : 0) | (role.superuser ? 2 : 0), &out);
  PutString(role.secret, &out);
  return out;
}

sql::RoleInfo DecodeRole(std::string_view in) {
  if (ivm::GetVarint64(&in) != kRoleFormatVersion) {
    throw ivm::Error(ivm::sqlstate::kInternalError,
                     "role entry written by an unknown version of Tributary");
  }
  sql::RoleInfo role;
  role.name = GetString(&in);
  const uint64_t flags = ivm::GetVarint64(&in);
  role.login = flags & 1;
  role.superuser = flags & 2;
  role.secret = GetString(&in);
  return role;
}

}  // namespace server
