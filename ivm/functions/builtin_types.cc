#include "ivm/functions/builtin_types.h"

namespace ivm {

const std::vector<BuiltinType>& BuiltinTypes() {
  // oid, typname, format_type name, typlen, typcategory, typarray, typelem.
  static const std::vector<BuiltinType> kTypes = {
      {16, "bool", "boolean", 1, 'B', 1000, 0},
      {17, "bytea", "bytea", -1, 'U', 1001, 0},
      {18, "char", "\"char\"", 1, 'Z', 1002, 0},
      {19, "name", "name", 64, 'S', 1003, 0},
      {20, "int8", "bigint", 8, 'N', 1016, 0},
      {21, "int2", "smallint", 2, 'N', 1005, 0},
      {23, "int4", "integer", 4, 'N', 1007, 0},
      {24, "regproc", "regproc", 4, 'N', 1008, 0},
      {25, "text", "text", -1, 'S', 1009, 0},
      {26, "oid", "oid", 4, 'N', 1028, 0},
      {700, "float4", "real", 4, 'N', 1021, 0},
      {701, "float8", "double precision", 8, 'N', 1022, 0},
      {1042, "bpchar", "bpchar", -1, 'S', 1014, 0},
      {1043, "varchar", "character varying", -1, 'S', 1015, 0},
      {1082, "date", "date", 4, 'D', 1182, 0},
      {1114, "timestamp", "timestamp without time zone", 8, 'D', 1115, 0},
      {1184, "timestamptz", "timestamp with time zone", 8, 'D', 1185, 0},
      {1186, "interval", "interval", 16, 'T', 1187, 0},
      {1700, "numeric", "numeric", -1, 'N', 1231, 0},
      {2205, "regclass", "regclass", 4, 'N', 2210, 0},
      {2206, "regtype", "regtype", 4, 'N', 2211, 0},
      {4089, "regnamespace", "regnamespace", 4, 'N', 4090, 0},
      {1000, "_bool", "boolean[]", -1, 'A', 0, 16},
      {1001, "_bytea", "bytea[]", -1, 'A', 0, 17},
      {1002, "_char", "\"char\"[]", -1, 'A', 0, 18},
      {1003, "_name", "name[]", -1, 'A', 0, 19},
      {1016, "_int8", "bigint[]", -1, 'A', 0, 20},
      {1005, "_int2", "smallint[]", -1, 'A', 0, 21},
      {1007, "_int4", "integer[]", -1, 'A', 0, 23},
      {1008, "_regproc", "regproc[]", -1, 'A', 0, 24},
      {1009, "_text", "text[]", -1, 'A', 0, 25},
      {1028, "_oid", "oid[]", -1, 'A', 0, 26},
      {1021, "_float4", "real[]", -1, 'A', 0, 700},
      {1022, "_float8", "double precision[]", -1, 'A', 0, 701},
      {1014, "_bpchar", "character[]", -1, 'A', 0, 1042},
      {1015, "_varchar", "character varying[]", -1, 'A', 0, 1043},
      {1182, "_date", "date[]", -1, 'A', 0, 1082},
      {1115, "_timestamp", "timestamp without time zone[]", -1, 'A', 0, 1114},
      {1185, "_timestamptz", "timestamp with time zone[]", -1, 'A', 0, 1184},
      {1187, "_interval", "interval[]", -1, 'A', 0, 1186},
      {1231, "_numeric", "numeric[]", -1, 'A', 0, 1700},
      {2210, "_regclass", "regclass[]", -1, 'A', 0, 2205},
      {2211, "_regtype", "regtype[]", -1, 'A', 0, 2206},
      {4090, "_regnamespace", "regnamespace[]", -1, 'A', 0, 4089},
  };
  return kTypes;
}

const BuiltinType* FindBuiltinType(uint32_t oid) {
  for (const BuiltinType& t : BuiltinTypes()) {
    if (t.oid == oid) return &t;
  }
  return nullptr;
}

std::string FormatType(uint32_t oid, int32_t typmod) {
  const BuiltinType* t = FindBuiltinType(oid);
  if (!t) return "???";
  if (typmod < 0) return t->sql_name;
  const int32_t mod = typmod - 4;
  switch (oid) {
    case 1700:
      return "numeric(" + std::to_string((mod >> 16) & 0xffff) + "," +
             std::to_string(mod & 0xffff) + ")";
    case 1043:
      return "character varying(" + std::to_string(mod) + ")";
    case 1042:
      return "character(" + std::to_string(mod) + ")";
    default:
      return t->sql_name;
  }
}

}  // namespace ivm
