// Helpers for the CDC format tests: fixture lines, the products target, Flink-style
// changelog strings ("+I 101|scooter|...|3.14"), a map-by-key applier, and error capture.
#pragma once

#include <catch2/catch.hpp>

#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "connectors/change.h"
#include "connectors/formats/format_decoder.h"
#include "ivm/error.h"
#include "ivm/types.h"
#include "ivm/value.h"

namespace connectors::testing {

inline std::string FixturePath(const std::string& name) {
  return std::string(TRIBUTARY_FIXTURES_DIR) + "/cdc/" + name;
}

// One string per message. A final line without '\n' counts; empty lines are dropped (the
// fixtures have none except after a final newline).
inline std::vector<std::string> ReadLines(const std::string& name) {
  std::ifstream in(FixturePath(name), std::ios::binary);
  REQUIRE(in.good());
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// products(id INT, name TEXT, description TEXT, weight REAL), key id; weight's type may vary.
inline TargetSchema Products(ivm::Type weight = ivm::Type::Of(ivm::TypeId::kFloat32),
                             bool keyed = true) {
  TargetSchema t;
  t.names = {"id", "name", "description", "weight"};
  t.types = {ivm::Type::Of(ivm::TypeId::kInt32), ivm::Type::Of(ivm::TypeId::kText),
             ivm::Type::Of(ivm::TypeId::kText), weight};
  if (keyed) t.key = {0};
  return t;
}

inline std::string RowText(const ivm::Row& row) {
  std::string s;
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) s += '|';
    s += row[i].is_null() ? "NULL" : row[i].ToText();
  }
  return s;
}

// Flink's notation: +I after; -U before (when present) and +U after; -D before.
inline std::vector<std::string> Changelog(const std::vector<RowChange>& changes) {
  std::vector<std::string> out;
  for (const RowChange& c : changes) {
    switch (c.kind) {
      case RowChange::Kind::kInsert:
        out.push_back("+I " + RowText(*c.after));
        break;
      case RowChange::Kind::kUpdate:
        if (c.before) out.push_back("-U " + RowText(*c.before));
        out.push_back("+U " + RowText(*c.after));
        break;
      case RowChange::Kind::kDelete:
        out.push_back("-D " + RowText(*c.before));
        break;
    }
  }
  return out;
}

// Every non-NULL value has its column's type.
inline void CheckTypes(const std::vector<RowChange>& changes, const TargetSchema& target) {
  for (const RowChange& c : changes) {
    for (const auto* row : {&c.before, &c.after}) {
      if (!*row) continue;
      REQUIRE((*row)->size() == target.types.size());
      for (size_t i = 0; i < target.types.size(); ++i) {
        CHECK((**row)[i].type() == target.types[i].id);
      }
    }
  }
}

// A keyed table as a map (DESIGN.md): every change retracts the row stored for its key.
class KeyedTable {
 public:
  explicit KeyedTable(const TargetSchema& target) : target_(target) {}

  void Apply(const RowChange& c) {
    if (c.before) rows_.erase(Key(*c.before));
    if (c.after) rows_[Key(*c.after)] = *c.after;
  }
  void ApplyAll(const std::vector<RowChange>& changes) {
    for (const RowChange& c : changes) Apply(c);
  }
  std::vector<std::string> Rows() const {
    std::vector<std::string> out;
    for (const auto& [key, row] : rows_) out.push_back(RowText(row));
    return out;
  }
  const std::map<ivm::Row, ivm::Row, ivm::RowLess>& rows() const { return rows_; }

 private:
  ivm::Row Key(const ivm::Row& row) const {
    ivm::Row key;
    for (int k : target_.key) key.push_back(row[k]);
    return key;
  }

  TargetSchema target_;
  std::map<ivm::Row, ivm::Row, ivm::RowLess> rows_;
};

// Decodes every line; a line that throws fails the test.
inline std::vector<RowChange> DecodeAll(FormatDecoder& decoder,
                                        const std::vector<std::string>& lines,
                                        std::vector<MessageMetadata>* meta = nullptr) {
  std::vector<RowChange> out;
  for (size_t i = 0; i < lines.size(); ++i) {
    INFO("message " << i + 1);
    try {
      decoder.Decode({}, lines[i], &out, meta);
    } catch (const ivm::Error& e) {
      FAIL("message " << i + 1 << " failed: " << e.sqlstate() << " " << e.message());
    }
  }
  return out;
}

// The ivm::Error `fn` throws; fails the test when it throws nothing.
inline ivm::Error ErrorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const ivm::Error& e) {
    return e;
  }
  FAIL("expected an ivm::Error");
  return ivm::Error("", "");
}

// Table A of the fixtures README (Debezium), rows 1 to 20.
inline std::vector<std::string> TableA() {
  return {
      "+I 101|scooter|Small 2-wheel scooter|3.14",
      "+I 102|car battery|12V car battery|8.1",
      "+I 103|12-pack drill bits|12-pack of drill bits with sizes ranging from #40 to #3|0.8",
      "+I 104|hammer|12oz carpenter's hammer|0.75",
      "+I 105|hammer|14oz carpenter's hammer|0.875",
      "+I 106|hammer|16oz carpenter's hammer|1",
      "+I 107|rocks|box of assorted rocks|5.3",
      "+I 108|jacket|water resistent black wind breaker|0.1",
      "+I 109|spare tire|24 inch spare tire|22.2",
      "-U 106|hammer|16oz carpenter's hammer|1",
      "+U 106|hammer|18oz carpenter hammer|1",
      "-U 107|rocks|box of assorted rocks|5.3",
      "+U 107|rocks|box of assorted rocks|5.1",
      "+I 110|jacket|water resistent white wind breaker|0.2",
      "+I 111|scooter|Big 2-wheel scooter |5.18",
      "-U 110|jacket|water resistent white wind breaker|0.2",
      "+U 110|jacket|new water resistent white wind breaker|0.5",
      "-U 111|scooter|Big 2-wheel scooter |5.18",
      "+U 111|scooter|Big 2-wheel scooter |5.17",
      "-D 111|scooter|Big 2-wheel scooter |5.17",
  };
}

// Table C (Canal and Maxwell): table A plus rows 21 to 26. With null_106 (newer Canal
// files), rows 6 and 10 have a NULL description.
inline std::vector<std::string> TableC(bool null_106) {
  std::vector<std::string> rows = TableA();
  if (null_106) {
    rows[5] = "+I 106|hammer|NULL|1";
    rows[9] = "-U 106|hammer|NULL|1";
  }
  for (const char* r : {
           "-U 101|scooter|Small 2-wheel scooter|3.14",
           "+U 101|scooter|Small 2-wheel scooter|5.17",
           "-U 102|car battery|12V car battery|8.1",
           "+U 102|car battery|12V car battery|5.17",
           "-D 102|car battery|12V car battery|5.17",
           "-D 103|12-pack drill bits|12-pack of drill bits with sizes ranging from #40 to #3|0.8",
       }) {
    rows.push_back(r);
  }
  return rows;
}

// Final states (keyed by id, so in id order).
inline std::vector<std::string> FinalStateA() {
  return {
      "101|scooter|Small 2-wheel scooter|3.14",
      "102|car battery|12V car battery|8.1",
      "103|12-pack drill bits|12-pack of drill bits with sizes ranging from #40 to #3|0.8",
      "104|hammer|12oz carpenter's hammer|0.75",
      "105|hammer|14oz carpenter's hammer|0.875",
      "106|hammer|18oz carpenter hammer|1",
      "107|rocks|box of assorted rocks|5.1",
      "108|jacket|water resistent black wind breaker|0.1",
      "109|spare tire|24 inch spare tire|22.2",
      "110|jacket|new water resistent white wind breaker|0.5",
  };
}

inline std::vector<std::string> FinalStateC() {
  return {
      "101|scooter|Small 2-wheel scooter|5.17",
      "104|hammer|12oz carpenter's hammer|0.75",
      "105|hammer|14oz carpenter's hammer|0.875",
      "106|hammer|18oz carpenter hammer|1",
      "107|rocks|box of assorted rocks|5.1",
      "108|jacket|water resistent black wind breaker|0.1",
      "109|spare tire|24 inch spare tire|22.2",
      "110|jacket|new water resistent white wind breaker|0.5",
  };
}

// SUM(weight) GROUP BY name over a table whose weight is numeric, as "name=sum" strings.
inline std::map<std::string, std::string> SumWeightByName(const KeyedTable& table) {
  std::map<std::string, ivm::Decimal> sums;
  for (const auto& [key, row] : table.rows()) {
    auto [it, fresh] = sums.emplace(row[1].string_value(), row[3].numeric_value());
    if (!fresh) it->second = it->second + row[3].numeric_value();
  }
  std::map<std::string, std::string> out;
  for (const auto& [name, sum] : sums) out[name] = sum.ToString();
  return out;
}

inline std::unique_ptr<FormatDecoder> Decoder(Format format, const TargetSchema& target,
                                              FormatOptions options = {}) {
  options.format = format;
  return MakeDecoder(options, target);
}

}  // namespace connectors::testing
