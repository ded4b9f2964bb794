// SQL LIKE / ILIKE matching with PostgreSQL's rules: '%' any run, '_' one character
// (UTF-8), an escape character (default backslash; none when the ESCAPE string is empty).
#pragma once

#include <string_view>

namespace ivm {

inline constexpr int kNoLikeEscape = -1;
inline constexpr int kDefaultLikeEscape = '\\';

// The escape character of an ESCAPE string: kNoLikeEscape for ''; throws 22025 unless it
// is empty or one character.
int LikeEscapeFromString(std::string_view escape);

// Throws 22025 when the pattern ends with the escape character. ILIKE folds ASCII case.
bool LikeMatch(std::string_view text, std::string_view pattern, int escape, bool ilike);

}  // namespace ivm
