#include <catch2/catch.hpp>

#include <functional>
#include <random>
#include <string>

#include "ivm/error.h"
#include "sql/bulk_insert.h"
#include "sql/parser.h"

namespace {

// ANTLR's parse of `text`: a leading comment keeps the bulk path out and changes nothing
// else (the statement's text starts at INSERT either way).
std::vector<sql::ParsedStatement> ParseWithAntlr(const std::string& text) {
  return sql::ParseScript("/* ANTLR */ " + text);
}

// The outcome of parsing: the statements' texts and trees in a comparable form, or the
// error.
std::string Outcome(const std::function<std::vector<sql::ParsedStatement>()>& parse) {
  std::vector<sql::ParsedStatement> statements;
  try {
    statements = parse();
  } catch (const ivm::Error& e) {
    return "error " + e.sqlstate() + ": " + e.message();
  }
  std::string out;
  std::function<void(const sql::AstExpr&)> expr = [&](const sql::AstExpr& e) {
    out += "[" + std::to_string(static_cast<int>(e.kind)) + " " +
           std::to_string(static_cast<int>(e.literal_kind)) + " <" + e.text + "> " + e.op;
    for (const auto& a : e.args) expr(*a);
    out += "]";
  };
  for (const sql::ParsedStatement& s : statements) {
    out += "statement <" + s.text + ">\n";
    if (const auto* insert = std::get_if<sql::InsertStmt>(&s.statement)) {
      out += insert->table.schema + "." + insert->table.name + " (";
      for (const std::string& c : insert->columns) out += c + ",";
      out += ")" + std::string(insert->query ? " query" : "") + "\n";
      for (const auto& row : insert->rows) {
        for (const auto& v : row) expr(*v);
        out += "\n";
      }
    }
  }
  return out;
}

// A random literal of every form the bulk path reads, spaced and cased at random.
std::string RandomLiteral(std::mt19937& random) {
  auto digits = [&](int max) {
    std::string d;
    const int n = 1 + static_cast<int>(random() % max);
    for (int i = 0; i < n; ++i) d.push_back(static_cast<char>('0' + random() % 10));
    return d;
  };
  const char* spaces[] = {"", " ", "\n", "\t "};
  switch (random() % 9) {
    case 0:
      return digits(25);
    case 1:
      return std::string(random() % 2 ? "-" : "+") + spaces[random() % 4] + digits(6);
    case 2:
      return digits(5) + "." + (random() % 3 ? digits(4) : "");
    case 3:
      return "." + digits(3) + (random() % 2 ? "e" + digits(2) : "");
    case 4:
      return digits(3) + (random() % 2 ? "E" : "e") + (random() % 2 ? "-" : "+") + digits(2);
    case 5:
      return "-" + digits(2) + "." + digits(2) + "e-" + digits(1);
    case 6: {
      const char* pieces[] = {"a", "''", "é", " ", "\n", ",", ")", "(", "\\", "--", "/*", "\"", ";"};
      std::string s = "'";
      for (int i = random() % 8; i > 0; --i) s += pieces[random() % 13];
      return s + "'";
    }
    case 7: {
      const char* words[] = {"NULL", "null", "Null", "TRUE", "true", "False", "FALSE"};
      return words[random() % 7];
    }
    default:
      return "''";
  }
}

std::string RandomInsert(std::mt19937& random, int rows, int columns) {
  std::string sql = "INSERT INTO s.\"T\" (a, \"B c\", d_1) VALUES ";
  for (int r = 0; r < rows; ++r) {
    sql += r ? (random() % 2 ? ",\n(" : ", (") : "(";
    for (int c = 0; c < columns; ++c) {
      sql += (c ? ", " : "") + RandomLiteral(random);
    }
    sql += random() % 2 ? ")" : " )";
  }
  return sql + (random() % 2 ? ";\n" : "");
}

}  // namespace

TEST_CASE("a bulk INSERT's rows read without ANTLR are the trees ANTLR builds") {
  std::mt19937 random(11);
  for (int round = 0; round < 20; ++round) {
    const std::string sql = RandomInsert(random, 300, 3);
    REQUIRE(sql.size() >= sql::kMinBulkInsertBytes);
    std::optional<sql::BulkInsertRows> bulk = sql::ReadBulkInsert(sql);
    REQUIRE(bulk.has_value());  // the bulk path is taken
    // Row by row against ANTLR's (ParseScript would fall back to ANTLR, and hide a
    // difference, when the first rows differ).
    const std::vector<sql::ParsedStatement> antlr = ParseWithAntlr(sql);
    const auto& rows = std::get<sql::InsertStmt>(antlr.at(0).statement).rows;
    REQUIRE(bulk->rows.size() == rows.size());
    for (size_t r = 0; r < rows.size(); ++r) {
      REQUIRE(bulk->rows[r].size() == rows[r].size());
      for (size_t c = 0; c < rows[r].size(); ++c) {
        CHECK(sql::SameLiteralExpr(*bulk->rows[r][c], *rows[r][c]));
      }
    }
    CHECK(Outcome([&] { return sql::ParseScript(sql); }) ==
          Outcome([&] { return ParseWithAntlr(sql); }));
  }
}

TEST_CASE("a bulk INSERT the rows reader does not take parses, or fails, as ANTLR has it") {
  std::mt19937 random(12);
  const std::string rows = [&] {
    std::string r;
    for (int i = 0; i < 400; ++i) r += ", (" + std::to_string(i) + ", 'x')";
    return r;
  }();
  // Each is a bulk INSERT but for one spot, which the reader must leave to ANTLR.
  const std::vector<std::string> cases = {
      "INSERT INTO t VALUES (1, 5abc)" + rows,        // a number running into a word
      "INSERT INTO t VALUES (1, 1e)" + rows,          // an exponent without digits
      "INSERT INTO t VALUES (1, 1.2.3)" + rows,       // two numbers
      "INSERT INTO t VALUES (1, 'a' 'b')" + rows,     // two strings
      "INSERT INTO t VALUES (1, 'a'::text)" + rows,   // a cast
      "INSERT INTO t VALUES (1, - -5)" + rows,        // two signs
      "INSERT INTO t VALUES (1, --5\n6)" + rows,      // a comment
      "INSERT INTO t VALUES (1, E'a\\nb')" + rows,    // an escape string
      "INSERT INTO t VALUES (1, $1)" + rows,          // a parameter
      "INSERT INTO t VALUES (1, 2 + 3)" + rows,       // an expression
      "INSERT INTO t VALUES (1, x)" + rows,           // a column name
      "INSERT INTO t VALUES (1, DEFAULT)" + rows,     // a key word
      "INSERT INTO t VALUES (1, 'x')" + rows + ", (2", // no end
      "INSERT INTO t VALUES (1, 'x')" + rows + " RETURNING a",
      "INSERT INTO t VALUES (1, 'x')" + rows + "; SELECT 1",  // a second statement
      "INSERT INTO select VALUES (1, 'x')" + rows,    // a key word as the name
      "INSERT INTO t (a, values) VALUES (1, 'x')" + rows,
      "INSERT t VALUES (1, 'x')" + rows,              // no INTO
      "INSERT INTO t VALUES (1, 'x'), (2)" + rows,    // rows of different lengths (binder's)
      "INSERT INTO t SELECT * FROM (VALUES (1, 'x')" + rows + ") v",
      "INSERT INTO t VALUES (1, 'unterminated)" + rows,
  };
  for (const std::string& sql : cases) {
    INFO(sql.substr(0, 60));
    REQUIRE(sql.size() >= sql::kMinBulkInsertBytes);
    CHECK(Outcome([&] { return sql::ParseScript(sql); }) ==
          Outcome([&] { return ParseWithAntlr(sql); }));
  }
  // Rows of different lengths the reader takes (the binder checks them); a number running
  // into a word it leaves.
  CHECK(sql::ReadBulkInsert("INSERT INTO t VALUES (1, 'x'), (2)" + rows).has_value());
  CHECK_FALSE(sql::ReadBulkInsert("INSERT INTO t VALUES (1, 5abc)" + rows).has_value());
}
