// PostgreSQL's binary wire formats (the typsend/typrecv functions) for our types, and the
// mapping from a type OID a client names to our type. Used by the extended query protocol
// for parameters and result columns a client asks to have in binary.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ivm/types.h"
#include "ivm/value.h"
#include "protocol/backend.h"

namespace server {

// The type a client means by `oid` (a Parse message's parameter type). Throws 0A000 for a
// type Tributary does not have. REQUIRES: oid != 0 (0 means "infer").
ivm::Type TypeFromOid(uint32_t oid);

// `value` in PostgreSQL's binary format for its type. REQUIRES: !value.is_null().
std::string EncodeBinary(const ivm::Value& value);

// Decodes a binary parameter of `type`. Throws 22P03 when the bytes are not a valid value
// (wrong length, bad numeric digits ...).
ivm::Value DecodeBinary(std::string_view bytes, const ivm::Type& type);

// A parameter as the client sent it (text or binary, per `format`) as a value of `type`.
// Throws 22P02/22P03 (and the type's own input errors) for a malformed value.
ivm::Value DecodeParameter(const std::optional<std::string>& raw, int16_t format,
                           const ivm::Type& type);

// Re-encodes the columns of a text-format result that `formats` asks for in binary (Bind's
// result format codes: none means all text, one applies to all, else one per column), and
// sets the fields' format codes. Throws 08P01 when the count fits neither rule. A result
// sent as it is made (more_rows) has its later rows re-encoded as they come.
void ApplyResultFormats(const std::vector<int16_t>& formats, protocol::StatementResult* result);
// The same for a RowDescription's fields alone (Describe of a portal).
void ApplyResultFormats(const std::vector<int16_t>& formats,
                        std::vector<protocol::FieldDescription>* fields);

}  // namespace server
