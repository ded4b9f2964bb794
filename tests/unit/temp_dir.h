// TempDir: a fresh directory under /tmp for one test's database, removed with everything
// in it when the test ends.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace tributary_test {

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/tributary-unit-test.XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

}  // namespace tributary_test
