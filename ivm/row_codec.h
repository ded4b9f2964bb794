// Byte encodings of values and rows. Two kinds:
//  - key encoding: memcomparable (byte order = Value::Compare order, equal values give
//    equal bytes, prefix-free), for storage keys; it is not decoded;
//  - row serialization: exact and compact (keeps numeric display scale), decodable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ivm/value.h"

namespace ivm {

void EncodeKeyValue(const Value& value, std::string* out);
// Values by SQL equality (1.5 and 1.50 meet): for join, group and partition keys.
void EncodeKeyRow(const Row& row, std::string* out);
// Rows by identity: like EncodeKeyRow, but numerics also carry their display scale, so
// 0 and 0.00 are different rows of a Z-set (a change from one to the other is a change).
void EncodeRowIdentity(const Row& row, std::string* out);

void SerializeValue(const Value& value, std::string* out);
void SerializeRow(const Row& row, std::string* out);
// Reads one value from the front of `in` and advances it. Throws ivm::Error XX000 on
// corrupt input.
Value DeserializeValue(std::string_view* in);
Row DeserializeRow(std::string_view in);
// Reads one row from the front of `in` and advances it past the row.
Row DeserializeRow(std::string_view* in);

// Variable-length integers (zigzag for signed), used by storage formats too.
void PutVarint64(uint64_t v, std::string* out);
uint64_t GetVarint64(std::string_view* in);
void PutSignedVarint64(int64_t v, std::string* out);
int64_t GetSignedVarint64(std::string_view* in);
// Big-endian fixed-width integers: sort correctly as bytes.
void PutBigEndian64(uint64_t v, std::string* out);
uint64_t GetBigEndian64(std::string_view in);
void PutBigEndian32(uint32_t v, std::string* out);
uint32_t GetBigEndian32(std::string_view in);

}  // namespace ivm
