// The built-in types as pg_type lists them: PostgreSQL's oids, names, lengths and
// categories for every type Tributary has (plus oid, name, "char", the reg* types and the
// 1-D arrays clients read), and format_type() over them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ivm {

struct BuiltinType {
  uint32_t oid;
  const char* name;      // typname: "int4", "varchar"
  const char* sql_name;  // format_type without modifiers: "integer", "character varying"
  int16_t length;        // typlen
  char category;         // typcategory
  uint32_t array_oid;    // typarray (0: none)
  uint32_t element_oid;  // typelem, for array types (0: not an array)
};
const std::vector<BuiltinType>& BuiltinTypes();
const BuiltinType* FindBuiltinType(uint32_t oid);
// format_type(oid, typmod): "integer", "numeric(12,2)", "character varying(40)", "text[]".
std::string FormatType(uint32_t oid, int32_t typmod);

}  // namespace ivm
