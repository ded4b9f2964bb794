// One differential run: a throwaway PostgreSQL 15 and a fresh tributary server get the
// same schema and initial data; the views are created (materialized in Tributary, plain
// views in PostgreSQL); then identical random batches of changes are applied to both and,
// after every batch, every view must equal PostgreSQL's answer (compare.h), and so must
// the view's query run as a one-shot SELECT (read in chunks of --query-chunk-rows when
// the server options give it). Midway the
// tributary server is killed with kill -9 and restarted, and the views must still agree.
//
// Each failing view is reported once, with the seed, the batch, the differing rows and a
// reproduction ready for psql (schema, data before the batch, views, the batch), which
// is also replayed on a fresh server to say whether it reproduces from scratch.
#pragma once

#include <cstdint>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "tests/oracle/views.h"

namespace tributary_oracle {

struct RunOptions {
  std::string binary;  // the tributary executable
  uint64_t seed = 1;
  int batches = 12;            // batches of changes after the initial load
  int batch_size = 6;          // statements per batch
  int initial_rows = 30;       // rows per table before the views are created
  int crash_at = -1;           // kill -9 + restart after this batch (-1: batches / 2)
  std::vector<ViewDef> views;  // in dependency order
  // Feed the keyed tables to Tributary as Debezium events through Kafka (cdc_feed.h)
  // instead of running their DML there; keyless tables still get the DML.
  bool cdc = false;
  // Run each batch statement by statement, each its own transaction on both sides, with
  // synchronous_commit off on Tributary's connection: its single-row writes then run in
  // place on the session's thread (Engine::RunInPlace) rather than on the writer.
  bool one_by_one = false;
  // Given to the tributary binary after --listen and --data-dir (--query-chunk-rows 3).
  std::vector<std::string> server_options;
};

enum class ViewStatus { kOk, kUnsupported, kCreateFailed, kWrong, kReadFailed, kPgRejected };

struct ViewOutcome {
  ViewStatus status = ViewStatus::kOk;
  std::string detail;  // the error message, or "batch N"
};

struct RunResult {
  std::map<std::string, ViewOutcome> views;
  std::string fatal;  // a failure that stopped the run (DML disagreement, server crash)
  bool ok() const;
};

RunResult RunOracle(const RunOptions& options);

}  // namespace tributary_oracle
