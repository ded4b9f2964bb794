// The key layout of Tributary's RocksDB database. Every key starts with a one-byte tag:
//   'm' + name                                  -> metadata (step number, next object id)
//   'c' + be64(object id)                       -> catalog object (opaque blob from server/)
//   'r' + be64(relation id) + row key           -> a row of a table or view: weight, row
//   's' + be64(view id) + be32(operator id) + k -> operator state
//   'o' + be64(table id) + be32(partition)      -> a Kafka source's next offset: be64
// Big-endian ids keep each object's keys contiguous and ordered.
#pragma once

#include <cstdint>
#include <string>

#include "ivm/row_codec.h"

namespace storage {

inline std::string MetaKey(const std::string& name) { return "m" + name; }

inline std::string CatalogKey(uint64_t id) {
  std::string key = "c";
  ivm::PutBigEndian64(id, &key);
  return key;
}
inline constexpr char kCatalogPrefix[] = "c";

inline std::string RelationPrefix(uint64_t relation_id) {
  std::string key = "r";
  ivm::PutBigEndian64(relation_id, &key);
  return key;
}

inline std::string ViewStatePrefix(uint64_t view_id) {
  std::string key = "s";
  ivm::PutBigEndian64(view_id, &key);
  return key;
}

inline std::string OperatorStatePrefix(uint64_t view_id, uint32_t operator_id) {
  std::string key = ViewStatePrefix(view_id);
  ivm::PutBigEndian32(operator_id, &key);
  return key;
}

// A Kafka-fed table's stored offsets, written in the same atomic write as the rows they
// produced (exactly once).
inline std::string SourceOffsetPrefix(uint64_t table_id) {
  std::string key = "o";
  ivm::PutBigEndian64(table_id, &key);
  return key;
}

inline std::string SourceOffsetKey(uint64_t table_id, int32_t partition) {
  std::string key = SourceOffsetPrefix(table_id);
  ivm::PutBigEndian32(static_cast<uint32_t>(partition), &key);
  return key;
}

}  // namespace storage
