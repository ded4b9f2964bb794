// oracle_test: differential test of Tributary's materialized views against PostgreSQL 15
// (see oracle_run.h for what one run does). Registered with ctest by CMakeLists.txt.
//
//   oracle_test --binary path/to/tributary [--seeds 1,2] [--batches 12] [--batch-size 6]
//               [--rows 30] [--hand] [--random N] [--views REGEX] [--list] [--cdc]
//               [--query-chunk-rows N]
//   --cdc: the keyed tables reach Tributary as Debezium events through Kafka (cdc_feed.h)
//   --query-chunk-rows: the server's; each view's query also runs as a one-shot SELECT,
//     which then reads every table of over N rows in chunks of N
//
// Environment (overrides the command line, for reproducing and for working on a subset):
//   TRIBUTARY_ORACLE_SEED=7        (or 7,8,9) the seeds to run
//   TRIBUTARY_ORACLE_VIEWS=regex   only views whose name matches (and the views they read)
//   TRIBUTARY_ORACLE_BATCHES=N     batches per seed
// Exit code 0 only when every selected view was created and stayed equal to PostgreSQL's
// answer after every batch: views the engine refuses (0A000) count as failures, reported
// as "unsupported: <message>".
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "tests/oracle/oracle_run.h"
#include "tests/oracle/query_gen.h"

using namespace tributary_oracle;

namespace {

std::vector<uint64_t> ParseSeeds(const std::string& s) {
  std::vector<uint64_t> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(std::stoull(item));
  }
  return out;
}

const char* StatusName(ViewStatus s) {
  switch (s) {
    case ViewStatus::kOk:
      return "ok";
    case ViewStatus::kUnsupported:
      return "UNSUPPORTED";
    case ViewStatus::kCreateFailed:
      return "CREATE FAILED";
    case ViewStatus::kWrong:
      return "WRONG RESULT";
    case ViewStatus::kReadFailed:
      return "READ FAILED";
    case ViewStatus::kPgRejected:
      return "TEST BUG (PostgreSQL rejects it)";
  }
  return "?";
}

// The selected views plus everything they read, in definition order.
std::vector<ViewDef> Select(const std::vector<ViewDef>& all, const std::string& filter) {
  std::map<std::string, const ViewDef*> by_name;
  for (const ViewDef& v : all) by_name[v.name] = &v;
  std::set<std::string> keep;
  std::function<void(const std::string&)> add = [&](const std::string& name) {
    if (!keep.insert(name).second) return;
    for (const std::string& d : by_name.at(name)->deps) add(d);
  };
  const std::regex re(filter.empty() ? ".*" : filter);
  for (const ViewDef& v : all) {
    if (std::regex_search(v.name, re)) add(v.name);
  }
  std::vector<ViewDef> out;
  for (const ViewDef& v : all) {
    if (keep.count(v.name)) out.push_back(v);
  }
  return out;
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  RunOptions base;
  std::vector<uint64_t> seeds = {1};
  bool hand = false, list = false;
  int random = 0;
  std::string filter;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--binary")
      base.binary = next();
    else if (a == "--seeds")
      seeds = ParseSeeds(next());
    else if (a == "--batches")
      base.batches = std::stoi(next());
    else if (a == "--batch-size")
      base.batch_size = std::stoi(next());
    else if (a == "--rows")
      base.initial_rows = std::stoi(next());
    else if (a == "--hand")
      hand = true;
    else if (a == "--random")
      random = std::stoi(next());
    else if (a == "--views")
      filter = next();
    else if (a == "--list")
      list = true;
    else if (a == "--cdc")
      base.cdc = true;
    else if (a == "--query-chunk-rows")
      base.server_options = {"--query-chunk-rows", next()};
    else {
      std::cerr << "unknown argument " << a << "\n";
      return 2;
    }
  }
  if (const char* e = std::getenv("TRIBUTARY_ORACLE_SEED"); e && *e) seeds = ParseSeeds(e);
  if (const char* e = std::getenv("TRIBUTARY_ORACLE_VIEWS"); e && *e) filter = e;
  if (const char* e = std::getenv("TRIBUTARY_ORACLE_BATCHES"); e && *e) base.batches = std::atoi(e);
  if (!hand && random == 0) hand = true;

  bool all_ok = true;
  for (uint64_t seed : seeds) {
    std::vector<ViewDef> views;
    if (hand) views = HandWrittenViews();
    for (ViewDef& v : RandomViews(seed, random)) views.push_back(std::move(v));
    views = Select(views, filter);
    if (list) {
      for (const ViewDef& v : views) std::cout << v.name << ": " << v.sql << "\n";
      continue;
    }
    if (base.binary.empty()) {
      std::cerr << "--binary is required\n";
      return 2;
    }
    RunOptions o = base;
    o.seed = seed;
    o.views = views;
    o.one_by_one = seed % 2 == 0;
    std::cout << "seed " << seed << ": " << views.size() << " views, " << o.batches
              << " batches of " << o.batch_size << " statements"
              << (o.one_by_one ? " run one by one, synchronous_commit off" : "")
              << (o.cdc ? ", keyed tables through Kafka (Debezium)" : "")
              << (o.server_options.empty() ? "" : ", server options " + Join(o.server_options))
              << std::endl;
    RunResult r = RunOracle(o);
    std::map<ViewStatus, int> counts;
    for (const auto& [name, outcome] : r.views) ++counts[outcome.status];
    std::cout << "seed " << seed << " summary: " << counts[ViewStatus::kOk] << " ok, "
              << counts[ViewStatus::kUnsupported] << " unsupported, " << counts[ViewStatus::kWrong]
              << " wrong, "
              << counts[ViewStatus::kCreateFailed] + counts[ViewStatus::kReadFailed] +
                     counts[ViewStatus::kPgRejected]
              << " other failures" << (r.fatal.empty() ? "" : ", FATAL") << "\n";
    for (const ViewDef& v : views) {
      auto it = r.views.find(v.name);
      if (it == r.views.end() || it->second.status == ViewStatus::kOk) continue;
      std::cout << "  " << StatusName(it->second.status) << " " << v.name << ": "
                << (it->second.status == ViewStatus::kUnsupported ? "unsupported: " : "")
                << it->second.detail << "\n";
    }
    all_ok = all_ok && r.ok();
  }
  return all_ok ? 0 : 1;
}
