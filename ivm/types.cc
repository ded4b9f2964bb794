#include "ivm/types.h"

namespace ivm {

std::string Type::ToString() const {
  switch (id) {
    case TypeId::kUnknown:
      return "unknown";
    case TypeId::kBool:
      return "boolean";
    case TypeId::kInt16:
      return "smallint";
    case TypeId::kInt32:
      return "integer";
    case TypeId::kInt64:
      return "bigint";
    case TypeId::kFloat32:
      return "real";
    case TypeId::kFloat64:
      return "double precision";
    case TypeId::kNumeric:
      if (precision < 0) return "numeric";
      return "numeric(" + std::to_string(precision) + "," + std::to_string(scale) + ")";
    case TypeId::kText:
      return "text";
    case TypeId::kVarchar:
      if (length < 0) return "character varying";
      return "character varying(" + std::to_string(length) + ")";
    case TypeId::kChar:
      if (length < 0) return "bpchar";
      return "character(" + std::to_string(length) + ")";
    case TypeId::kDate:
      return "date";
    case TypeId::kTimestamp:
      return "timestamp without time zone";
    case TypeId::kTimestampTz:
      return "timestamp with time zone";
    case TypeId::kInterval:
      return "interval";
    case TypeId::kBytea:
      return "bytea";
    case TypeId::kArray:
      if (vector) return element == TypeId::kInt16 ? "int2vector" : "oidvector";
      return Type::Of(element).ToString() + "[]";
    case TypeId::kRecord:
      return "record";
  }
  return "unknown";
}

uint32_t TypeOid(TypeId id) {
  switch (id) {
    case TypeId::kUnknown:
      return 705;
    case TypeId::kBool:
      return 16;
    case TypeId::kInt16:
      return 21;
    case TypeId::kInt32:
      return 23;
    case TypeId::kInt64:
      return 20;
    case TypeId::kFloat32:
      return 700;
    case TypeId::kFloat64:
      return 701;
    case TypeId::kNumeric:
      return 1700;
    case TypeId::kText:
      return 25;
    case TypeId::kVarchar:
      return 1043;
    case TypeId::kChar:
      return 1042;
    case TypeId::kDate:
      return 1082;
    case TypeId::kTimestamp:
      return 1114;
    case TypeId::kTimestampTz:
      return 1184;
    case TypeId::kInterval:
      return 1186;
    case TypeId::kBytea:
      return 17;
    case TypeId::kArray:
      return 2277;  // anyarray; TypeOid(const Type&) gives the element's array type
    case TypeId::kRecord:
      return 2249;
  }
  return 705;
}

uint32_t TypeOid(const Type& type) {
  if (type.id != TypeId::kArray) return TypeOid(type.id);
  if (type.vector) return type.element == TypeId::kInt16 ? 22 : 30;
  uint32_t oid = ArrayTypeOid(type.element);
  return oid ? oid : 2277;
}

uint32_t ArrayTypeOid(TypeId element) {
  switch (element) {
    case TypeId::kBool:
      return 1000;
    case TypeId::kInt16:
      return 1005;
    case TypeId::kInt32:
      return 1007;
    case TypeId::kInt64:
      return 1016;
    case TypeId::kFloat32:
      return 1021;
    case TypeId::kFloat64:
      return 1022;
    case TypeId::kNumeric:
      return 1231;
    case TypeId::kText:
      return 1009;
    case TypeId::kVarchar:
      return 1015;
    case TypeId::kChar:
      return 1014;
    case TypeId::kDate:
      return 1182;
    case TypeId::kTimestamp:
      return 1115;
    case TypeId::kTimestampTz:
      return 1185;
    case TypeId::kInterval:
      return 1187;
    case TypeId::kBytea:
      return 1001;
    default:
      return 0;
  }
}

int16_t TypeLength(TypeId id) {
  switch (id) {
    case TypeId::kBool:
      return 1;
    case TypeId::kInt16:
      return 2;
    case TypeId::kInt32:
      return 4;
    case TypeId::kInt64:
      return 8;
    case TypeId::kFloat32:
      return 4;
    case TypeId::kFloat64:
      return 8;
    case TypeId::kDate:
      return 4;
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return 8;
    case TypeId::kInterval:
      return 16;
    case TypeId::kUnknown:
      return -2;
    default:
      return -1;
  }
}

int32_t TypeModifier(const Type& type) {
  if (type.id == TypeId::kNumeric && type.precision >= 0) {
    return ((type.precision << 16) | type.scale) + 4;
  }
  if ((type.id == TypeId::kVarchar || type.id == TypeId::kChar) && type.length >= 0) {
    return type.length + 4;
  }
  return -1;
}

}  // namespace ivm
