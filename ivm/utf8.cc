#include "ivm/utf8.h"

#include <cstdio>

#include "ivm/error.h"

namespace ivm {
namespace {

// The length of the sequence `lead` starts, 0 for a byte that cannot start one.
size_t SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;  // a continuation byte, an overlong two-byte lead (0xc0, 0xc1), or above U+10FFFF
}

bool IsContinuation(unsigned char c) { return (c & 0xc0) == 0x80; }

}  // namespace

bool ValidUtf8(std::string_view s, size_t* bad) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    if (p[i] < 0x80) {  // ASCII, the common case
      ++i;
      continue;
    }
    const size_t len = SequenceLength(p[i]);
    bool ok = len > 0 && i + len <= n;
    for (size_t k = 1; ok && k < len; ++k) ok = IsContinuation(p[i + k]);
    if (ok && len >= 3) {
      // The second byte's range rules out overlong forms, surrogates and > U+10FFFF.
      const unsigned char lead = p[i], second = p[i + 1];
      if ((lead == 0xe0 && second < 0xa0) || (lead == 0xed && second > 0x9f) ||
          (lead == 0xf0 && second < 0x90) || (lead == 0xf4 && second > 0x8f)) {
        ok = false;
      }
    }
    if (!ok) {
      *bad = i;
      return false;
    }
    i += len;
  }
  return true;
}

std::string InvalidUtf8Message(std::string_view s, size_t bad) {
  // The bytes the lead byte says the character has, as far as there are (pg_utf_mblen).
  const auto lead = static_cast<unsigned char>(s[bad]);
  const size_t len = (lead & 0xe0) == 0xc0 ? 2 : (lead & 0xf0) == 0xe0 ? 3
                     : (lead & 0xf8) == 0xf0 ? 4 : 1;
  std::string message = "invalid byte sequence for encoding \"UTF8\":";
  for (size_t k = 0; k < len && bad + k < s.size(); ++k) {
    char hex[8];
    std::snprintf(hex, sizeof hex, " 0x%02x", static_cast<unsigned char>(s[bad + k]));
    message += hex;
  }
  return message;
}

void CheckUtf8(std::string_view s) {
  size_t bad = 0;
  if (!ValidUtf8(s, &bad)) {
    throw Error(sqlstate::kCharacterNotInRepertoire, InvalidUtf8Message(s, bad));
  }
}

}  // namespace ivm
