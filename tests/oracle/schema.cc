// See schema.h.
#include "tests/oracle/schema.h"

#include <cstdio>
#include <stdexcept>

namespace tributary_oracle {

using tributary_test::Cell;
using tributary_test::Rows;

const std::vector<Table>& Tables() {
  static const std::vector<Table> tables = {
      {"t1",
       true,
       {{"id", ColKind::kInt, "int"},
        {"k", ColKind::kInt, "int"},
        {"g", ColKind::kText, "text"},
        {"n", ColKind::kNumeric, "numeric(12,2)"},
        {"d", ColKind::kDouble, "double precision"},
        {"b", ColKind::kBool, "boolean"},
        {"dt", ColKind::kDate, "date"},
        {"ts", ColKind::kTimestamp, "timestamp"},
        {"bi", ColKind::kBigint, "bigint"},
        {"s", ColKind::kText, "text"}}},
      {"t2",
       true,
       {{"id", ColKind::kInt, "int"},
        {"k", ColKind::kInt, "int"},
        {"k2", ColKind::kInt, "int"},
        {"g", ColKind::kText, "text"},
        {"n", ColKind::kNumeric, "numeric(12,2)"},
        {"ts", ColKind::kTimestamp, "timestamp"},
        {"b", ColKind::kBool, "boolean"}}},
      {"t3",
       false,
       {{"k", ColKind::kInt, "int"},
        {"k2", ColKind::kInt, "int"},
        {"g", ColKind::kText, "text"},
        {"v", ColKind::kInt, "int"},
        {"d", ColKind::kDouble, "double precision"},
        {"n", ColKind::kNumeric, "numeric(12,2)"}}},
      {"t4",
       false,
       {{"k", ColKind::kInt, "int"},
        {"g", ColKind::kText, "text"},
        {"s", ColKind::kText, "text"},
        {"dt", ColKind::kDate, "date"}}},
  };
  return tables;
}

const Table& FindTable(const std::string& name) {
  for (const Table& t : Tables()) {
    if (t.name == name) return t;
  }
  throw std::runtime_error("no table " + name);
}

std::string Table::CreateSql() const {
  std::string sql = "CREATE TABLE " + name + " (";
  for (size_t i = 0; i < columns.size(); ++i) {
    sql += (i ? ", " : "") + columns[i].name + " " + columns[i].type;
    if (keyed && i == 0) sql += " PRIMARY KEY";
  }
  return sql + ")";
}

std::string Literal(const Cell& cell) {
  if (!cell) return "NULL";
  std::string out = "'";
  for (char c : *cell) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

std::string SnapshotInserts(const Snapshot& snapshot, const std::vector<std::string>& tables) {
  std::string out;
  for (const std::string& name : tables) {
    auto it = snapshot.find(name);
    if (it == snapshot.end() || it->second.empty()) continue;
    out += "INSERT INTO " + name + " VALUES\n";
    for (size_t i = 0; i < it->second.size(); ++i) {
      out += "  (";
      const auto& row = it->second[i];
      for (size_t c = 0; c < row.size(); ++c) out += (c ? ", " : "") + Literal(row[c]);
      out += i + 1 < it->second.size() ? "),\n" : ");\n";
    }
  }
  return out;
}

// ---- values ---------------------------------------------------------------------------

std::string DataGenerator::Value(const Column& c) {
  if (c.name != "id" && Chance(0.1)) return "NULL";
  char buf[64];
  switch (c.kind) {
    case ColKind::kInt:
      if (c.name == "k") {  // join/group key: skewed towards skew_key_
        if (Chance(0.35)) return std::to_string(skew_key_);
        return std::to_string(Uniform(0, 9));
      }
      if (c.name == "k2") return std::to_string(Uniform(0, 3));
      return std::to_string(Uniform(-50, 50));
    case ColKind::kBigint: {
      static const char* kBig[] = {"0",
                                   "1",
                                   "-1",
                                   "9000000000000000",
                                   "-9000000000000000",
                                   "4611686018427387904",
                                   "1234567890123"};
      if (Chance(0.3)) return kBig[Uniform(0, 6)];
      return std::to_string(static_cast<int64_t>(Uniform(-1000000, 1000000)) * 1000003);
    }
    case ColKind::kNumeric: {
      if (Chance(0.1)) return "0";
      const int cents = Uniform(-1000000, 1000000);
      std::snprintf(buf, sizeof buf, "%s%d.%02d", cents < 0 ? "-" : "", std::abs(cents) / 100,
                    std::abs(cents) % 100);
      return buf;
    }
    case ColKind::kDouble: {
      static const char* kOdd[] = {"0.1", "0.2",   "0.3",     "1.1",       "2.2",
                                   "3.3", "1e-05", "2.5e-07", "1234.5678", "-0.7"};
      if (Chance(0.15)) return kOdd[Uniform(0, 9)];
      std::snprintf(buf, sizeof buf, "%g", Uniform(-400, 400) / 4.0);
      return buf;
    }
    case ColKind::kText: {
      static const char* kG[] = {"a", "a",  "a", "b",   "b",   "c",           "d",
                                 "A", "ab", "",  "a_b", "x%y", "Hello World", " pad "};
      static const char* kS[] = {
          "alpha,beta,gamma", "  spaced  ", "MiXeD Case", "a%b_c", "", "x-y-z",
          "hello world",      "abcabc",     "O'Brien",    "z"};
      if (c.name == "g") return Literal(std::string(kG[Uniform(0, 13)]));
      return Literal(std::string(kS[Uniform(0, 9)]));
    }
    case ColKind::kBool:
      return Chance(0.5) ? "true" : "false";
    case ColKind::kDate: {
      // 2023-12-25 .. 2024-03-10
      const int day = Uniform(0, 76);
      const int m = day < 7 ? 12 : day < 38 ? 1 : day < 67 ? 2 : 3;
      const int d = day < 7 ? 25 + day : day < 38 ? day - 6 : day < 67 ? day - 37 : day - 66;
      std::snprintf(buf, sizeof buf, "'%04d-%02d-%02d'", m == 12 ? 2023 : 2024, m, d);
      return buf;
    }
    case ColKind::kTimestamp: {
      const int day = Uniform(1, 59);
      const int m = day <= 31 ? 1 : 2;
      const int d = day <= 31 ? day : day - 31;
      static const char* kFrac[] = {"", "", "", ".5", ".123456", ".25"};
      std::snprintf(buf, sizeof buf, "'2024-%02d-%02d %02d:%02d:%02d%s'", m, d, Uniform(0, 23),
                    Chance(0.3) ? 0 : Uniform(0, 59), Uniform(0, 59), kFrac[Uniform(0, 5)]);
      return buf;
    }
  }
  return "NULL";
}

std::string DataGenerator::RowValues(const Table& t, int id) {
  std::string out = "(";
  for (size_t i = 0; i < t.columns.size(); ++i) {
    out += i ? ", " : "";
    out += (t.keyed && i == 0) ? std::to_string(id) : Value(t.columns[i]);
  }
  return out + ")";
}

std::string DataGenerator::Insert(const Table& t, int rows) {
  std::string sql = "INSERT INTO " + t.name + " VALUES ";
  for (int r = 0; r < rows; ++r) sql += (r ? ", " : "") + RowValues(t, ++next_id_[t.name]);
  return sql;
}

std::vector<std::string> DataGenerator::InitialInserts(int rows) {
  std::vector<std::string> out;
  for (const Table& t : Tables()) out.push_back(Insert(t, rows));
  return out;
}

// A predicate over the table's columns for UPDATE/DELETE.
std::string DataGenerator::Predicate(const Table& t) {
  switch (Uniform(0, 4)) {
    case 0:
      return "k = " + std::to_string(Uniform(0, 9));
    case 1:
      for (const Column& c : t.columns) {
        if (c.name == "g") return "g = " + Value(c);
      }
      return "k IS NOT NULL";
    case 2:
      return "k IS NULL";
    case 3:
      return "k = " + std::to_string(Uniform(0, 9)) + " AND g IS NOT NULL";
    default:
      return "k >= " + std::to_string(Uniform(5, 12));
  }
}

std::string DataGenerator::Update(const Table& t, const Rows& rows) {
  // Assign 1..3 random non-key columns.
  std::string set;
  const int n = Uniform(1, 3);
  for (int i = 0; i < n; ++i) {
    const Column& c = t.columns[Uniform(t.keyed ? 1 : 0, static_cast<int>(t.columns.size()) - 1)];
    if (set.find(c.name + " =") != std::string::npos) continue;
    std::string value = Value(c);
    if (c.name == "v" && Chance(0.5)) value = "v + 1";
    if (c.name == "k" && Chance(0.3)) value = "k + 1";
    set += (set.empty() ? "" : ", ") + c.name + " = " + value;
  }
  if (t.keyed && !rows.empty() && Chance(0.8)) {
    const auto& row = rows[Uniform(0, static_cast<int>(rows.size()) - 1)];
    if (Chance(0.15)) set = "id = " + std::to_string(++next_id_[t.name]);  // moves the key itself
    return "UPDATE " + t.name + " SET " + set + " WHERE id = " + *row[0];
  }
  if (t.name == "t2")
    return "UPDATE t2 SET " + set + " WHERE k2 = " + std::to_string(Uniform(0, 3));
  return "UPDATE " + t.name + " SET " + set + " WHERE " + Predicate(t);
}

std::string DataGenerator::Delete(const Table& t, const Rows& rows) {
  if (t.keyed && !rows.empty() && Chance(0.8)) {
    std::string ids;
    const int n = Uniform(1, 3);
    for (int i = 0; i < n; ++i) {
      ids += (i ? ", " : "") + *rows[Uniform(0, static_cast<int>(rows.size()) - 1)][0];
    }
    return "DELETE FROM " + t.name + " WHERE id IN (" + ids + ")";
  }
  if (t.name == "t2")
    return "DELETE FROM t2 WHERE k2 = " + std::to_string(Uniform(0, 3)) +
           " AND k = " + std::to_string(Uniform(0, 9));
  return "DELETE FROM " + t.name + " WHERE " + Predicate(t) +
         (Chance(0.5) ? "" : " AND " + t.columns.back().name + " IS NOT NULL");
}

// Re-inserts copies of existing rows of a keyless table (weight 2, 3, ...).
std::string DataGenerator::DuplicateRows(const Table& t, const Rows& rows) {
  const int n = Uniform(1, 3);
  std::string sql = "INSERT INTO " + t.name + " VALUES ";
  for (int i = 0; i < n; ++i) {
    const auto& row = rows[Uniform(0, static_cast<int>(rows.size()) - 1)];
    sql += i ? ", (" : "(";
    for (size_t c = 0; c < row.size(); ++c) sql += (c ? ", " : "") + Literal(row[c]);
    sql += ")";
  }
  return sql;
}

std::vector<std::string> DataGenerator::Batch(const Snapshot& current, int n) {
  if (Chance(0.2)) skew_key_ = Uniform(0, 9);
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    const Table& t = Tables()[Uniform(0, static_cast<int>(Tables().size()) - 1)];
    const Rows& rows = current.at(t.name);
    const int what = Uniform(0, 99);
    if (what < 35 || rows.size() < 5) {
      out.push_back(Insert(t, Chance(0.1) ? 15 : Uniform(1, 4)));  // sometimes a burst
    } else if (what < 45 && !t.keyed) {
      out.push_back(DuplicateRows(t, rows));
    } else if (what < 75) {
      out.push_back(Update(t, rows));
    } else {
      out.push_back(Delete(t, rows));
    }
  }
  return out;
}

}  // namespace tributary_oracle
