// CdcFeed: the oracle's keyed tables fed to Tributary through Kafka instead of DML. It runs
// librdkafka's mock cluster in the oracle process, and turns the change PostgreSQL made to a
// table (its contents before and after a batch, by primary key) into Debezium JSON events —
// "r" for the initial rows, then "c", "u" (before and after) and "d" — produced to the
// table's topic (two partitions, keyed by id, so each key's events stay in order).
// Tributary reads them as `FORMAT DEBEZIUM ENCODE JSON` tables, so every view of the
// oracle also checks the CDC path: decoding, map semantics, offsets, kill -9 recovery.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "tests/oracle/schema.h"

struct rd_kafka_s;

namespace connectors {
class MockCluster;
}

namespace tributary_oracle {

class CdcFeed {
 public:
  CdcFeed();
  ~CdcFeed();
  CdcFeed(const CdcFeed&) = delete;
  CdcFeed& operator=(const CdcFeed&) = delete;

  // The CREATE TABLE that makes `t` a Kafka-fed Debezium table in Tributary.
  std::string CreateSql(const Table& t) const;
  // Produces the events that turn `before` into `after` (both SELECT * of `t`, keyed by
  // the first column) and waits until the broker has them. Returns how many.
  int Produce(const Table& t, const tributary_test::Rows& before,
              const tributary_test::Rows& after);
  // Messages produced to `t`'s topic so far.
  long produced(const std::string& table) const;

 private:
  std::unique_ptr<connectors::MockCluster> cluster_;
  rd_kafka_s* producer_ = nullptr;
  std::map<std::string, long> produced_;
};

}  // namespace tributary_oracle
