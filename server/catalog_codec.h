// Serialises catalog entries to the opaque, versioned blobs storage/ keeps per object id.
#pragma once

#include <string>
#include <string_view>

#include "sql/catalog.h"

namespace server {

std::string EncodeRelation(const sql::RelationInfo& relation);
// Throws ivm::Error XX000 on a blob it cannot read (corruption or a newer format).
sql::RelationInfo DecodeRelation(std::string_view blob);

std::string EncodeRole(const sql::RoleInfo& role);
// Throws ivm::Error XX000 on a blob it cannot read.
sql::RoleInfo DecodeRole(std::string_view blob);

}  // namespace server
