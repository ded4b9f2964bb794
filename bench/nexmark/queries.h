// The Nexmark tables and queries q0–q8 in Tributary's SQL, after nexmark-flink's
// src/main/resources/queries/*.sql (github.com/nexmark/nexmark). Each query is one
// CREATE MATERIALIZED VIEW; `differences` says where it departs from the Flink text.
#pragma once

#include <string>
#include <vector>

namespace nexmark {

struct Query {
  std::string name;         // "q0" … "q8"; also the view's name
  std::string title;        // the Nexmark name ("Passthrough", …)
  std::string sql;          // CREATE MATERIALIZED VIEW …
  std::string differences;  // from nexmark-flink's definition; empty when none
};

const std::vector<Query>& Queries();

// CREATE TABLE person / auction / bid, each fed by its own Kafka topic of plain JSON.
std::string TablesDdl(const std::string& bootstrap_servers);

}  // namespace nexmark
