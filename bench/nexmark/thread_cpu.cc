#include "bench/nexmark/thread_cpu.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

namespace nexmark {
namespace {

std::string GroupOf(std::string_view name) {
  if (name == "writer") return "writer";
  if (name.starts_with("src:")) return "sources";
  if (name == "rdk:mock") return "mock broker";
  if (name.starts_with("rdk:")) return "kafka client";
  if (name.starts_with("rocksdb:")) return "rocksdb";
  return "other";
}

}  // namespace

ThreadCpu SnapshotThreadCpu() {
  ThreadCpu cpu;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    std::ifstream in(task.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // "tid (name) state ppid ...": the name may hold spaces and parentheses, so split at the
    // last ')'; utime and stime are fields 14 and 15, the 12th and 13th after it.
    size_t open = stat.find('(');
    size_t close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    double utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
      if (i == 14) utime = std::stod(field);
      if (i == 15) stime = std::stod(field);
    }
    cpu[GroupOf(std::string_view(stat).substr(open + 1, close - open - 1))] +=
        (utime + stime) / ticks;
  }
  return cpu;
}

ThreadCpu Subtract(const ThreadCpu& after, const ThreadCpu& before) {
  ThreadCpu diff = after;
  for (const auto& [group, seconds] : before) diff[group] -= seconds;
  return diff;
}

}  // namespace nexmark
