// UTF-8 validation, as PostgreSQL checks text arriving in the server encoding (UTF8).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ivm {

// Whether `s` is well-formed UTF-8: no stray continuation byte, no truncated or overlong
// sequence, no surrogate (U+D800-U+DFFF), nothing above U+10FFFF. When it is not, *bad is
// the offset of the first character that is not.
bool ValidUtf8(std::string_view s, size_t* bad);

// What is wrong at `bad`, worded as PostgreSQL words it (error 22021):
// invalid byte sequence for encoding "UTF8": 0xe2 0x28 0xa1
std::string InvalidUtf8Message(std::string_view s, size_t bad);

// Throws ivm::Error 22021 with that message unless `s` is well-formed UTF-8.
void CheckUtf8(std::string_view s);

}  // namespace ivm
