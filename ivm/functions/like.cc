#include "ivm/functions/like.h"

#include <cctype>

#include "ivm/error.h"

namespace ivm {
namespace {

constexpr const char* kInvalidEscapeSequence = "22025";

enum class Match { kTrue, kFalse, kAbort };

class LikeMatcher {
 public:
  LikeMatcher(int escape, bool ilike) : escape_(escape), ilike_(ilike) {}

  // PostgreSQL's MatchText (like_match.c): kAbort means no later start can match either.
  Match Run(std::string_view t, std::string_view p) const {
    if (p.size() == 1 && p[0] == '%') return Match::kTrue;
    while (!t.empty() && !p.empty()) {
      if (IsEscape(p[0])) {
        p.remove_prefix(1);
        if (p.empty()) EndsWithEscape();
        if (Fold(p[0]) != Fold(t[0])) return Match::kFalse;
      } else if (p[0] == '%') {
        p.remove_prefix(1);
        while (!p.empty()) {
          if (p[0] == '%') {
            p.remove_prefix(1);
          } else if (p[0] == '_') {
            if (t.empty()) return Match::kAbort;
            NextChar(&t);
            p.remove_prefix(1);
          } else {
            break;
          }
        }
        if (p.empty()) return Match::kTrue;
        char first;
        if (IsEscape(p[0])) {
          if (p.size() < 2) EndsWithEscape();
          first = Fold(p[1]);
        } else {
          first = Fold(p[0]);
        }
        while (!t.empty()) {
          if (Fold(t[0]) == first) {
            Match m = Run(t, p);
            if (m != Match::kFalse) return m;
          }
          NextChar(&t);
        }
        return Match::kAbort;
      } else if (p[0] == '_') {
        NextChar(&t);
        p.remove_prefix(1);
        continue;
      } else if (Fold(p[0]) != Fold(t[0])) {
        return Match::kFalse;
      }
      t.remove_prefix(1);
      p.remove_prefix(1);
    }
    if (!t.empty()) return Match::kFalse;
    while (!p.empty() && p[0] == '%') p.remove_prefix(1);
    if (p.empty()) return Match::kTrue;
    return Match::kAbort;
  }

 private:
  bool IsEscape(char c) const {
    return escape_ != kNoLikeEscape && c == static_cast<char>(escape_);
  }
  char Fold(char c) const {
    return ilike_ ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
  }
  static void NextChar(std::string_view* s) {
    size_t n = 1;
    while (n < s->size() && (static_cast<unsigned char>((*s)[n]) & 0xC0) == 0x80) ++n;
    s->remove_prefix(n);
  }
  [[noreturn]] static void EndsWithEscape() {
    throw Error(kInvalidEscapeSequence, "LIKE pattern must not end with escape character");
  }

  int escape_;
  bool ilike_;
};

}  // namespace

int LikeEscapeFromString(std::string_view escape) {
  if (escape.empty()) return kNoLikeEscape;
  size_t n = 1;
  while (n < escape.size() && (static_cast<unsigned char>(escape[n]) & 0xC0) == 0x80) ++n;
  if (n != escape.size() || n > 1) {
    throw Error(kInvalidEscapeSequence, "invalid escape string", "",
                "Escape string must be empty or one character.");
  }
  return static_cast<unsigned char>(escape[0]);
}

bool LikeMatch(std::string_view text, std::string_view pattern, int escape, bool ilike) {
  return LikeMatcher(escape, ilike).Run(text, pattern) == Match::kTrue;
}

}  // namespace ivm
