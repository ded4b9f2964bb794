// A read-only statement against an in-process engine's published state, for the
// benchmarks that check their results (kafka_ingest, nexmark).
#pragma once

#include <string>
#include <vector>

#include "protocol/backend.h"
#include "server/engine.h"
#include "server/read_executor.h"
#include "sql/parser.h"

namespace bench {

inline protocol::StatementResult Read(server::Engine& engine, const std::string& sql) {
  auto published = engine.Published();
  std::vector<sql::ParsedStatement> parsed = sql::ParseScript(sql);
  return server::ExecuteRead(parsed.at(0), *published->catalog, *published->snapshot);
}

}  // namespace bench
