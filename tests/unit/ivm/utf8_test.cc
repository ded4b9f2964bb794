#include <catch2/catch.hpp>

#include <string>

#include "ivm/error.h"
#include "ivm/utf8.h"

namespace {

// Where ValidUtf8 finds the first bad character, or -1 when there is none.
long FirstBad(const std::string& s) {
  size_t bad = 0;
  return ivm::ValidUtf8(s, &bad) ? -1 : static_cast<long>(bad);
}

}  // namespace

TEST_CASE("UTF-8 validation accepts well-formed text and finds the first bad character") {
  CHECK(FirstBad("") == -1);
  CHECK(FirstBad("plain ascii") == -1);
  CHECK(FirstBad("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") == -1);  // é € 😀
  CHECK(FirstBad("\xf4\x8f\xbf\xbf") == -1);                           // U+10FFFF
  CHECK(FirstBad("\xed\x9f\xbf") == -1);                               // U+D7FF
  CHECK(FirstBad("ab\xff") == 2);                                      // not a lead byte
  CHECK(FirstBad("a\x80") == 1);                                       // a stray continuation
  CHECK(FirstBad("a\xc3") == 1);                                       // truncated
  CHECK(FirstBad("a\xe2\x28\xa1") == 1);                               // a bad continuation
  CHECK(FirstBad("\xc0\xaf") == 0);                                    // overlong '/'
  CHECK(FirstBad("\xe0\x80\xaf") == 0);                                // overlong, 3 bytes
  CHECK(FirstBad("\xf0\x80\x80\xaf") == 0);                            // overlong, 4 bytes
  CHECK(FirstBad("\xed\xa0\x80") == 0);                                // a surrogate
  CHECK(FirstBad("\xf4\x90\x80\x80") == 0);                            // above U+10FFFF
  CHECK(FirstBad("\xf5\x80\x80\x80") == 0);
}

TEST_CASE("malformed UTF-8 is error 22021 with the bytes PostgreSQL shows") {
  auto message = [](const std::string& s) {
    try {
      ivm::CheckUtf8(s);
    } catch (const ivm::Error& e) {
      CHECK(e.sqlstate() == "22021");
      return e.message();
    }
    return std::string("no error");
  };
  CHECK(message("caf\xc3\xa9") == "no error");
  CHECK(message("x\xff") == "invalid byte sequence for encoding \"UTF8\": 0xff");
  CHECK(message("x\xe2\x28\xa1y") == "invalid byte sequence for encoding \"UTF8\": 0xe2 0x28 0xa1");
  CHECK(message("x\xf0\x9f") == "invalid byte sequence for encoding \"UTF8\": 0xf0 0x9f");
}
