// The oracle's schema and its random data: four tables (two keyed by a primary key, two
// keyless multisets) with int, bigint, numeric(12,2), double precision, text, boolean,
// date and timestamp columns, all nullable. Values come from small, skewed domains so
// that joins match, groups collide and some groups grow large; doubles are mostly
// multiples of 1/4 (sums stay exact) with a few values like 0.1 for float noise, and
// small enough that no view expression overflows (PostgreSQL would only fail at query time,
// Tributary already when maintaining the view).
//
// The change generator writes batches of INSERT/UPDATE/DELETE that both PostgreSQL and
// Tributary accept and that cannot fail: fresh primary keys, updates that move rows
// between groups and join partners (including primary-key changes), deletes by key and
// by predicate, NULLs, and exact duplicates of existing rows in keyless tables.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "tests/sql/pg_test_support.h"

namespace tributary_oracle {

enum class ColKind { kInt, kBigint, kNumeric, kDouble, kText, kBool, kDate, kTimestamp };

struct Column {
  std::string name;
  ColKind kind;
  std::string type;  // SQL type name
};

struct Table {
  std::string name;
  bool keyed;  // keyed tables have `id int PRIMARY KEY` as their first column
  std::vector<Column> columns;
  std::string CreateSql() const;
};

const std::vector<Table>& Tables();
const Table& FindTable(const std::string& name);

// Current contents of every table, as PostgreSQL returns them (SELECT *).
using Snapshot = std::map<std::string, tributary_test::Rows>;

// INSERT statements that recreate `snapshot` (values as quoted literals, NULL as NULL).
std::string SnapshotInserts(const Snapshot& snapshot, const std::vector<std::string>& tables);
// A value as a SQL literal: NULL or '...' with quotes doubled.
std::string Literal(const tributary_test::Cell& cell);

class DataGenerator {
 public:
  explicit DataGenerator(uint64_t seed) : rng_(seed) {}

  // Initial contents: `rows` rows per table, one INSERT per table.
  std::vector<std::string> InitialInserts(int rows);
  // A batch of `n` statements given the current contents.
  std::vector<std::string> Batch(const Snapshot& current, int n);

  std::mt19937_64& rng() { return rng_; }
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }

  // A random literal for a column (NULL with some probability).
  std::string Value(const Column& c);

 private:
  std::string RowValues(const Table& t, int id);
  std::string Insert(const Table& t, int rows);
  std::string Update(const Table& t, const tributary_test::Rows& rows);
  std::string Delete(const Table& t, const tributary_test::Rows& rows);
  std::string Predicate(const Table& t);
  std::string DuplicateRows(const Table& t, const tributary_test::Rows& rows);

  std::mt19937_64 rng_;
  std::map<std::string, int> next_id_;  // per keyed table: the next fresh primary key
  int skew_key_ = 0;                    // the join/group key that gets the large group right now
};

}  // namespace tributary_oracle
