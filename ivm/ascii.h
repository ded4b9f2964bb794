// ASCII text helpers shared by the parsers of SQL text and of values.
#pragma once

#include <cctype>
#include <string_view>

namespace ivm {

// Whether `text` is `lower` (a lower-case ASCII word) written in any case.
inline bool EqualsIgnoreCase(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != lower[i]) return false;
  }
  return true;
}

}  // namespace ivm
