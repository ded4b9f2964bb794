// See oracle_run.h.
#include "tests/oracle/oracle_run.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <set>
#include <stdexcept>
#include <thread>

#include "tests/oracle/cdc_feed.h"
#include "tests/oracle/compare.h"
#include "tests/oracle/postgres_cluster.h"
#include "tests/oracle/schema.h"
#include "tests/sql/pg_test_support.h"

namespace tributary_oracle {

using namespace tributary_test;

bool RunResult::ok() const {
  if (!fatal.empty()) return false;
  for (const auto& [name, outcome] : views) {
    if (outcome.status != ViewStatus::kOk) return false;
  }
  return true;
}

namespace {

bool MentionsWord(const std::string& sql, const std::string& word) {
  return std::regex_search(sql, std::regex("\\b" + word + "\\b"));
}

// The table an INSERT, UPDATE or DELETE of the generator writes.
std::string TargetTable(const std::string& statement) {
  static const std::regex kTarget("^\\s*(?:INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+(\\w+)",
                                  std::regex::icase);
  std::smatch m;
  return std::regex_search(statement, m, kTarget) ? m[1].str() : "";
}

std::string JoinStatements(const std::vector<std::string>& stmts) {
  std::string out;
  for (const auto& s : stmts) out += (out.empty() ? "" : ";\n") + s;
  return out;
}

class Run {
 public:
  explicit Run(const RunOptions& o) : o_(o), gen_(o.seed) {
    for (const ViewDef& v : o_.views) by_name_[v.name] = &v;
  }

  RunResult Go() {
    try {
      pg_cluster_ = std::make_unique<PostgresCluster>();
      if (o_.cdc) feed_ = std::make_unique<CdcFeed>();
      pg_ = std::make_unique<PgConnection>(pg_cluster_->ConnInfo());
      trib_server_ = std::make_unique<TributaryServer>(o_.binary, o_.server_options);
      ConnectTributary();
      Setup();
      const int crash_at = o_.crash_at >= 0 ? o_.crash_at : o_.batches / 2;
      CheckViews(0, {}, false);
      for (int b = 1; b <= o_.batches && result_.fatal.empty(); ++b) {
        const Snapshot before = snapshot_;
        std::vector<std::string> batch = gen_.Batch(snapshot_, o_.batch_size);
        history_.push_back(JoinStatements(batch));
        if (!ApplyBatch(b, batch, before)) break;
        if (o_.cdc) {
          TakeSnapshot();
          Feed(before);  // the crash below then hits a server that is still ingesting
        }
        const bool crashed = b == crash_at;
        if (crashed) {
          trib_.reset();
          trib_server_->CrashRestart();
          ConnectTributary();
        }
        if (o_.cdc && !WaitForFeed()) break;
        TakeSnapshot();
        before_ = before;
        CheckViews(b, batch, crashed);
      }
    } catch (const std::exception& e) {
      result_.fatal = std::string("exception: ") + e.what();
      if (trib_server_) result_.fatal += "\n---- tributary log ----\n" + trib_server_->LogTail();
    }
    if (!result_.fatal.empty()) {
      std::cout << "seed " << o_.seed << ": FATAL: " << result_.fatal << "\n";
    }
    return result_;
  }

 private:
  void Setup() {
    for (const Table& t : Tables()) {
      pg_->Must(t.CreateSql());
      trib_->Must(Fed(t.name) ? feed_->CreateSql(t) : t.CreateSql());
      schema_sql_ += t.CreateSql() + ";\n";
    }
    for (const std::string& insert : gen_.InitialInserts(o_.initial_rows)) {
      pg_->Must(insert);
      if (!Fed(TargetTable(insert))) trib_->Must(insert);
      history_.push_back(insert);
    }
    if (o_.cdc) {
      TakeSnapshot();
      Feed({});
      if (!WaitForFeed()) throw std::runtime_error(result_.fatal);
    }
    TakeSnapshot();
    before_ = snapshot_;
    for (const ViewDef& v : o_.views) {
      StatementResult p = pg_->Exec("CREATE VIEW " + v.name + " AS " + v.PgSql());
      if (!p.ok()) {
        result_.views[v.name] = {ViewStatus::kPgRejected, p.Describe()};
        std::cout << "seed " << o_.seed << ": view " << v.name << ": PostgreSQL rejects the query ("
                  << p.Describe() << "): a bug in the test\n  " << v.PgSql() << "\n";
        continue;
      }
      StatementResult t = trib_->Exec("CREATE MATERIALIZED VIEW " + v.name + " AS " + v.sql);
      if (!t.ok()) {
        result_.views[v.name] = {
            t.sqlstate == "0A000" ? ViewStatus::kUnsupported : ViewStatus::kCreateFailed,
            t.sqlstate + ": " + t.message};
        continue;
      }
      result_.views[v.name] = {ViewStatus::kOk, ""};
      active_.insert(v.name);
    }
  }

  // Whether Tributary gets `table` from Kafka rather than from DML.
  bool Fed(const std::string& table) const {
    return o_.cdc && !table.empty() && FindTable(table).keyed;
  }

  // Produces the change PostgreSQL made to each fed table since `before`.
  void Feed(const Snapshot& before) {
    for (const Table& t : Tables()) {
      if (!Fed(t.name)) continue;
      auto it = before.find(t.name);
      feed_->Produce(t, it == before.end() ? Rows{} : it->second, snapshot_.at(t.name));
    }
  }

  // Waits until Tributary has consumed every event produced (30 s at most).
  bool WaitForFeed() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (;;) {
      bool done = true;
      std::string state;
      for (const Table& t : Tables()) {
        if (!Fed(t.name)) continue;
        StatementResult r = trib_->Exec(
            "SELECT messages, errors, status, last_error FROM tributary_sources WHERE name = '" +
            t.name + "'");
        const long want = feed_->produced(t.name);
        const long got = r.ok() && r.rows.size() == 1 ? std::stol(*r.rows[0][0]) : -1;
        if (r.ok() && r.rows.size() == 1 && *r.rows[0][1] != "0") {
          result_.fatal = "source " + t.name + " recorded errors: " + RowText(r.rows[0]);
          return false;
        }
        done = done && got == want;
        state += " " + t.name + ": " + std::to_string(got) + " of " + std::to_string(want);
      }
      if (done) return true;
      if (std::chrono::steady_clock::now() > deadline) {
        result_.fatal = "Tributary did not consume the CDC events in 30 s:" + state;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  void TakeSnapshot() {
    for (const Table& t : Tables()) snapshot_[t.name] = pg_->Must("SELECT * FROM " + t.name).rows;
  }

  void ConnectTributary() {
    trib_ = std::make_unique<PgConnection>(trib_server_->ConnInfo());
    if (o_.one_by_one) trib_->Exec("SET synchronous_commit = off");
  }

  // Runs `statements` on `conn` as one query string (one transaction), or one by one.
  std::vector<StatementResult> Execute(PgConnection& conn,
                                       const std::vector<std::string>& statements) {
    if (!o_.one_by_one) return conn.ExecAll(JoinStatements(statements));
    std::vector<StatementResult> results;
    for (const std::string& statement : statements) {
      std::vector<StatementResult> one = conn.ExecAll(statement);
      results.insert(results.end(), one.begin(), one.end());
    }
    return results;
  }

  // Runs the batch on both sides as one query string (one transaction), or statement by
  // statement; the outcomes of the statements (command tags, or errors) must agree.
  bool ApplyBatch(int b, const std::vector<std::string>& batch, const Snapshot& before) {
    std::vector<StatementResult> p = Execute(*pg_, batch);
    std::vector<StatementResult> t;
    std::vector<std::string> direct = batch;  // the statements Tributary runs
    if (o_.cdc) {
      // Fed tables change in PostgreSQL only (their events follow); compare the rest.
      direct.clear();
      std::vector<StatementResult> p_direct;
      for (size_t i = 0; i < batch.size(); ++i) {
        if (Fed(TargetTable(batch[i]))) continue;
        direct.push_back(batch[i]);
        if (i < p.size()) p_direct.push_back(p[i]);
      }
      if (!direct.empty()) t = Execute(*trib_, direct);
      p = std::move(p_direct);
    } else {
      t = Execute(*trib_, batch);
    }
    std::string problem;
    if (p.size() != t.size()) {
      problem = "PostgreSQL returned " + std::to_string(p.size()) + " results, Tributary " +
                std::to_string(t.size()) + ":";
      for (size_t i = 0; i < std::max(p.size(), t.size()); ++i) {
        problem += "\n  result " + std::to_string(i + 1) + ": PostgreSQL " +
                   (i < p.size() ? p[i].Describe() : "-") + ", Tributary " +
                   (i < t.size() ? t[i].Describe() : "-");
      }
    }
    for (size_t i = 0; problem.empty() && i < p.size(); ++i) {
      if (p[i].ok() != t[i].ok() || (p[i].ok() && p[i].tag != t[i].tag) ||
          (!p[i].ok() && p[i].sqlstate != t[i].sqlstate)) {
        problem = "statement " + std::to_string(i + 1) + " (" + direct[i] + "): PostgreSQL " +
                  p[i].Describe() + ", Tributary " + t[i].Describe();
      }
    }
    if (problem.empty()) return true;
    std::vector<std::string> tables;
    for (const Table& tb : Tables()) tables.push_back(tb.name);
    result_.fatal = "batch " + std::to_string(b) + ": the tables disagree: " + problem +
                    "\n-- reproduction:\n" + schema_sql_ + SnapshotInserts(before, tables) +
                    JoinStatements(batch) + ";\n";
    return false;
  }

  // The view and every view it reads, deps first.
  void Closure(const std::string& name, std::vector<const ViewDef*>* out) {
    const ViewDef* v = by_name_.at(name);
    for (const std::string& d : v->deps) Closure(d, out);
    if (std::find(out->begin(), out->end(), v) == out->end()) out->push_back(v);
  }

  std::string Repro(const ViewDef& v, int b, const std::vector<std::string>& batch, bool crashed,
                    std::string* setup_out, std::string* batch_out) {
    std::vector<const ViewDef*> chain;
    Closure(v.name, &chain);
    std::vector<std::string> tables;
    std::string tributary_sql, pg_sql;
    for (const Table& t : Tables()) {
      bool used = false;
      for (const ViewDef* c : chain) used = used || MentionsWord(c->sql, t.name);
      if (used) tables.push_back(t.name);
    }
    std::string setup;
    for (const std::string& t : tables) setup += FindTable(t).CreateSql() + ";\n";
    setup += SnapshotInserts(b == 0 ? snapshot_ : before_, tables);
    for (const ViewDef* c : chain)
      setup += "CREATE MATERIALIZED VIEW " + c->name + " AS " + c->sql + ";\n";
    std::string out = "-- Reproduction (seed " + std::to_string(o_.seed) + ", view " + v.name +
                      ", batch " + std::to_string(b) +
                      "): paste into psql connected to Tributary\n" + setup;
    // Only the batch's statements on the tables the view reads.
    std::vector<std::string> relevant;
    for (const std::string& stmt : batch) {
      for (const std::string& t : tables) {
        if (std::regex_search(stmt, std::regex("^(INSERT INTO|UPDATE|DELETE FROM) " + t + " "))) {
          relevant.push_back(stmt);
        }
      }
    }
    std::string batch_sql;
    if (!relevant.empty()) {
      batch_sql = JoinStatements(relevant);
      out += "-- batch " + std::to_string(b) + " (one query string, one transaction):\n" +
             batch_sql + ";\n";
    }
    if (crashed) out += "-- (here the server was killed with kill -9 and restarted)\n";
    out += "SELECT * FROM " + v.name + ";\n-- PostgreSQL's answer is the view's query:\n";
    for (const ViewDef* c : chain) {
      if (c != &v) out += "--   CREATE VIEW " + c->name + " AS " + c->PgSql() + ";\n";
    }
    out += v.PgSql() + ";\n";
    *setup_out = setup;
    *batch_out = batch_sql;
    return out;
  }

  // Replays a reproduction on a fresh server; true when the view is wrong there too.
  std::string ReplayVerdict(const std::string& setup, const std::string& batch, bool crashed,
                            const std::string& view, const StatementResult& expected) {
    try {
      TributaryServer server(o_.binary, o_.server_options);
      auto conn = std::make_unique<PgConnection>(server.ConnInfo());
      for (const StatementResult& r : conn->ExecAll(setup)) {
        if (!r.ok()) return "could not replay (" + r.Describe() + ")";
      }
      if (!batch.empty()) conn->Must(batch);
      if (crashed) {
        conn.reset();
        server.CrashRestart();
        conn = std::make_unique<PgConnection>(server.ConnInfo());
      }
      StatementResult got = conn->Exec("SELECT * FROM " + view);
      if (!got.ok()) return "yes (reading the view fails: " + got.Describe() + ")";
      return CompareResults(expected, got).equal()
                 ? "no: a fresh server gets it right; the failure depends on the earlier history"
                 : "yes";
    } catch (const std::exception& e) {
      return std::string("could not replay: ") + e.what();
    }
  }

  void CheckViews(int b, const std::vector<std::string>& batch, bool crashed) {
    std::vector<std::string> failed;
    for (const ViewDef& v : o_.views) {
      if (!active_.count(v.name)) continue;
      StatementResult expected = pg_->Must("SELECT * FROM " + v.name);
      StatementResult actual = trib_->Exec("SELECT * FROM " + v.name);
      std::string report;
      if (!actual.ok()) {
        result_.views[v.name] = {ViewStatus::kReadFailed,
                                 "batch " + std::to_string(b) + ": " + actual.Describe()};
        report = "  reading the view fails: " + actual.Describe() + "\n";
      } else if (Diff diff = CompareResults(expected, actual); !diff.equal()) {
        result_.views[v.name] = {ViewStatus::kWrong, "batch " + std::to_string(b)};
        report = diff.Describe();
      } else {
        // The view's query run once, as an ad-hoc SELECT: the one-shot evaluator (which
        // reads large relations in chunks, --query-chunk-rows) must agree as well.
        StatementResult once = trib_->Exec(v.sql);
        if (!once.ok()) {
          report = "  the view's query run as a SELECT fails: " + once.Describe() + "\n";
        } else if (Diff once_diff = CompareResults(expected, once); !once_diff.equal()) {
          report = "  the view's query run as a SELECT differs:\n" + once_diff.Describe();
        } else {
          continue;
        }
        result_.views[v.name] = {ViewStatus::kWrong,
                                 "batch " + std::to_string(b) + ", as a SELECT"};
      }
      failed.push_back(v.name);
      std::string setup, batch_sql;
      std::string repro = Repro(v, b, batch, crashed, &setup, &batch_sql);
      std::cout << "==== WRONG VIEW " << v.name << " (seed " << o_.seed << ", batch " << b
                << (crashed ? ", right after kill -9 and restart" : "") << ")\n"
                << "  view: " << v.sql << "\n"
                << report << repro << "-- reproduces on a fresh server: "
                << ReplayVerdict(setup, batch_sql, crashed, v.name, expected) << "\n\n";
    }
    // A failed view is reported once; the views reading it go on being checked.
    for (const std::string& name : failed) active_.erase(name);
  }

  const RunOptions& o_;
  DataGenerator gen_;
  std::map<std::string, const ViewDef*> by_name_;
  std::unique_ptr<PostgresCluster> pg_cluster_;
  std::unique_ptr<TributaryServer> trib_server_;
  std::unique_ptr<PgConnection> pg_, trib_;
  std::string schema_sql_;
  Snapshot snapshot_, before_;
  std::unique_ptr<CdcFeed> feed_;
  std::vector<std::string> history_;
  std::set<std::string> active_;
  RunResult result_;
};

}  // namespace

RunResult RunOracle(const RunOptions& options) { return Run(options).Go(); }

}  // namespace tributary_oracle
