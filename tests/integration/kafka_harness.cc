#include "tests/integration/kafka_harness.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#ifndef TRIBUTARY_FIXTURES_DIR
#error "TRIBUTARY_FIXTURES_DIR must be defined (path of tests/fixtures)"
#endif

namespace tributary_it {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kKcat = "/usr/bin/kcat";
// kcat delimiters: bytes that never occur in JSON text or in our keys.
constexpr char kMessageDelimiter = '\x1e';  // ASCII record separator
constexpr char kKeyDelimiter = '\x1f';      // ASCII unit separator

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Waits up to `timeout` for `pid`; SIGKILLs it after that. Returns true when it was reaped.
bool Reap(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno != EINTR)) return true;
    if (Clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

// ---- MockKafka ------------------------------------------------------------------------------

MockKafka::MockKafka(std::vector<Topic> topics, int brokers) {
  REQUIRE(::access(kKcat, X_OK) == 0);  // the tests produce with kcat
  work_dir_ = MakeTempDir("tributary-it-kafka-");
  const std::string out_path = work_dir_ + "/mock.log";
  std::vector<std::string> argv = {BinaryPath(), "mock-kafka", "--brokers",
                                   std::to_string(brokers)};
  for (const Topic& t : topics) {
    argv.push_back("--topic");
    argv.push_back(t.name + ":" + std::to_string(t.partitions));
  }
  pid_ = SpawnProcess(argv, out_path);
  // The first line of its output is "bootstrap.servers=HOST:PORT".
  const std::string prefix = "bootstrap.servers=";
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  std::string output;
  while (Clock::now() < deadline) {
    output = ReadWholeFile(out_path);
    auto eol = output.find('\n');
    if (eol != std::string::npos) {
      std::string first = output.substr(0, eol);
      if (first.rfind(prefix, 0) == 0 && first.size() > prefix.size()) {
        bootstrap_ = first.substr(prefix.size());
        return;
      }
      break;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Kill(SIGKILL);
  FAIL("tributary mock-kafka did not print its bootstrap servers; its output:\n" << output);
}

MockKafka::~MockKafka() {
  if (pid_ > 0) Kill(SIGTERM);
  std::error_code ec;
  std::filesystem::remove_all(work_dir_, ec);
}

bool MockKafka::alive() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

std::string MockKafka::Log() const { return ReadWholeFile(work_dir_ + "/mock.log"); }

void MockKafka::Kill(int sig) {
  if (pid_ <= 0) return;
  ::kill(pid_, sig);
  Reap(pid_, std::chrono::seconds(5));
  pid_ = -1;
}

void MockKafka::RunKcat(const std::vector<std::string>& args, const std::string& input) {
  const std::string path = work_dir_ + "/produce-" + std::to_string(files_++);
  {
    std::ofstream out(path, std::ios::binary);
    out << input;
    REQUIRE(out.good());
  }
  std::vector<std::string> argv = {kKcat, "-b", bootstrap_, "-P"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"-D", "\\x1e", "-K", "\\x1f", "-X", "log_level=3", "-X",
                           "message.max.bytes=16000000", "-l", path});
  ProcessOutput result = RunProcess(argv, std::chrono::seconds(60));
  std::filesystem::remove(path);
  INFO("kcat " << result.status.Describe() << ", output:\n" << result.output);
  REQUIRE(result.status.exited);
  REQUIRE(result.status.code == 0);
}

void MockKafka::Produce(const std::string& topic, int partition,
                        const std::vector<KafkaRecord>& records, const std::string& compression) {
  REQUIRE(running());
  // kcat -Z turns empty keys and values into NULL ones; without it they stay empty. So a
  // NULL value and an empty (non-NULL) value go out in separate kcat runs, in order.
  size_t begin = 0;
  while (begin < records.size()) {
    auto needs_null = [](const KafkaRecord& r) { return !r.value.has_value(); };
    auto needs_empty = [](const KafkaRecord& r) {
      return (r.value && r.value->empty()) || (r.key && r.key->empty());
    };
    bool null_mode = false;
    size_t end = begin;
    for (; end < records.size(); ++end) {
      const KafkaRecord& r = records[end];
      if (needs_null(r) && needs_empty(r)) {
        FAIL("a record with a NULL value and an empty key cannot be produced with kcat");
      }
      if (end == begin) {
        null_mode = needs_null(r);
      } else if ((null_mode && needs_empty(r)) || (!null_mode && needs_null(r))) {
        break;
      }
    }
    std::string input;
    for (size_t i = begin; i < end; ++i) {
      const KafkaRecord& r = records[i];
      for (const auto* part : {&r.key, &r.value}) {
        if (*part && ((*part)->find(kMessageDelimiter) != std::string::npos ||
                      (*part)->find(kKeyDelimiter) != std::string::npos)) {
          FAIL("record " << i << " contains a kcat delimiter byte (0x1e or 0x1f)");
        }
      }
      // kcat skips an empty line, so an unkeyed empty value goes out with an empty key.
      const bool empty_line = !r.key && r.value && r.value->empty();
      if (r.key || null_mode || empty_line) {
        input += (r.key ? *r.key : std::string()) + kKeyDelimiter;
      }
      if (r.value) input += *r.value;
      input += kMessageDelimiter;
    }
    std::vector<std::string> args = {"-t", topic, "-p", std::to_string(partition)};
    if (null_mode) args.push_back("-Z");
    if (!compression.empty()) {
      args.push_back("-z");
      args.push_back(compression);
    }
    RunKcat(args, input);
    begin = end;
  }
}

void MockKafka::ProduceValues(const std::string& topic, int partition,
                              const std::vector<std::string>& values,
                              const std::string& compression) {
  std::vector<KafkaRecord> records;
  records.reserve(values.size());
  for (const std::string& v : values) records.push_back(Value(v));
  Produce(topic, partition, records, compression);
}

std::vector<std::string> MockKafka::ConsumeValues(const std::string& topic, int partition) {
  ProcessOutput result = RunProcess(
      {kKcat, "-C", "-b", bootstrap_, "-t", topic, "-p", std::to_string(partition), "-e", "-q",
       "-X", "log_level=3", "-X", "fetch.message.max.bytes=16000000", "-f", "%s\\n"},
      std::chrono::seconds(30));
  REQUIRE(result.status.exited);
  REQUIRE(result.status.code == 0);
  std::vector<std::string> values;
  std::istringstream in(result.output);
  for (std::string line; std::getline(in, line);) values.push_back(line);
  return values;
}

// ---- fixtures -------------------------------------------------------------------------------

std::string FixturePath(const std::string& relative) {
  return std::string(TRIBUTARY_FIXTURES_DIR) + "/" + relative;
}

std::vector<std::string> FixtureMessages(const std::string& relative) {
  const std::string path = FixturePath(relative);
  std::ifstream in(path, std::ios::binary);
  INFO("fixture " << path);
  REQUIRE(in.good());
  std::vector<std::string> messages;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) messages.push_back(line);
  }
  REQUIRE_FALSE(messages.empty());
  return messages;
}

std::string DebeziumJson(const std::string& op, const std::string& before,
                         const std::string& after) {
  return "{\"before\":" + before + ",\"after\":" + after +
         ",\"source\":{\"connector\":\"mysql\",\"db\":\"it\",\"table\":\"t\"},\"op\":\"" + op +
         "\",\"ts_ms\":1700000000000,\"transaction\":null}";
}

// ---- polling --------------------------------------------------------------------------------

bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout,
               std::chrono::milliseconds poll) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (done()) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(poll);
  }
}

Rows WaitForRows(Connection& conn, const std::string& sql, const Rows& expected,
                 std::chrono::milliseconds timeout) {
  Rows rows;
  WaitUntil(
      [&] {
        rows = conn.Exec(sql);
        return SameRows(rows, expected);
      },
      timeout);
  return rows;
}

std::string SourceStatus::Describe() const {
  std::ostringstream out;
  out << "name=" << name << " kind=" << kind << " table_name=" << table_name << " topic=" << topic
      << " format=" << format << " status=" << status << " partitions=" << partitions
      << " offsets=" << offsets << " lag=" << lag << " messages=" << messages
      << " rows_applied=" << rows_applied << " errors=" << errors << " last_error=" << last_error;
  return out.str();
}

std::optional<SourceStatus> FindSource(Connection& conn, const std::string& name) {
  Rows rows = conn.Exec(
      "select name, kind, table_name, topic, format, status, partitions, offsets, lag, messages, "
      "rows_applied, errors, last_error from tributary_sources where name = " +
      SqlQuote(name));
  if (rows.empty()) return std::nullopt;
  INFO("tributary_sources rows named " << name << ":\n" << FormatRows(rows));
  REQUIRE(rows.size() == 1);
  REQUIRE(rows[0].size() == 13);
  const auto& r = rows[0];
  return SourceStatus{r[0], r[1], r[2], r[3],  r[4],  r[5], r[6],
                      r[7], r[8], r[9], r[10], r[11], r[12]};
}

SourceStatus WaitForSource(Connection& conn, const std::string& name,
                           const std::function<bool(const SourceStatus&)>& done,
                           std::chrono::milliseconds timeout) {
  SourceStatus last;
  WaitUntil(
      [&] {
        std::optional<SourceStatus> s = FindSource(conn, name);
        if (!s) return false;
        last = *s;
        return done(last);
      },
      timeout);
  return last;
}

SourceStatus WaitForMessages(Connection& conn, const std::string& name, long messages,
                             std::chrono::milliseconds timeout) {
  const std::string want = std::to_string(messages);
  return WaitForSource(
      conn, name, [&](const SourceStatus& s) { return s.messages == want && s.lag == "0"; },
      timeout);
}

// ---- SQL text -------------------------------------------------------------------------------

std::string SqlQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string RisingWaveWith(const std::string& topic, const std::string& bootstrap) {
  return "WITH (connector='kafka', topic=" + SqlQuote(topic) +
         ", properties.bootstrap.server=" + SqlQuote(bootstrap) + ", scan.startup.mode='earliest')";
}

std::string FlinkWith(const std::string& topic, const std::string& bootstrap,
                      const std::string& format, const std::string& extra) {
  std::string with = "WITH ('connector'='kafka', 'topic'=" + SqlQuote(topic) +
                     ", 'properties.bootstrap.servers'=" + SqlQuote(bootstrap) +
                     ", 'properties.group.id'='it', 'scan.startup.mode'='earliest-offset'"
                     ", 'format'=" +
                     SqlQuote(format);
  if (!extra.empty()) with += ", " + extra;
  return with + ")";
}

std::vector<std::pair<long, long>> ParseOffsets(const std::string& text) {
  std::vector<long> numbers;
  for (size_t i = 0; i < text.size();) {
    if (std::isdigit(static_cast<unsigned char>(text[i]))) {
      size_t j = i;
      while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
      numbers.push_back(std::stol(text.substr(i, j - i)));
      i = j;
    } else {
      ++i;
    }
  }
  std::vector<std::pair<long, long>> pairs;
  for (size_t i = 0; i + 1 < numbers.size(); i += 2) pairs.emplace_back(numbers[i], numbers[i + 1]);
  if (numbers.size() % 2 != 0) pairs.emplace_back(-1, -1);  // malformed: never matches
  return pairs;
}

void CheckVerifyOk(Connection& conn, const std::string& view) {
  Rows verify = conn.Exec("VERIFY MATERIALIZED VIEW " + view);
  INFO("VERIFY MATERIALIZED VIEW " << view << ":\n" << FormatRows(verify));
  REQUIRE(verify.size() == 1);
  CHECK(verify[0][0] == "OK");
}

void CheckCleanSource(Connection& conn, const std::string& name, const std::string& topic,
                      const std::string& format, long messages) {
  SourceStatus s = WaitForMessages(conn, name, messages);
  INFO(s.Describe());
  CHECK(s.name == name);
  CHECK(s.kind == "table");
  CHECK(s.table_name == name);
  CHECK(s.topic == topic);
  CHECK(s.format == format);
  CHECK(s.status == "running");
  CHECK(s.partitions == "1");
  CHECK(s.offsets == "0:" + std::to_string(messages));
  CHECK(s.lag == "0");
  CHECK(s.messages == std::to_string(messages));
  CHECK(s.errors == "0");
  CHECK(s.last_error == kNull);
  CHECK(conn.Scalar("select count(*) from tributary_source_errors where source = " +
                    SqlQuote(name)) == "0");
}

}  // namespace tributary_it
