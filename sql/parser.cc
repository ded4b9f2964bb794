#include "sql/parser.h"

#include <antlr4-runtime.h>

#include <algorithm>
#include <cctype>

#include "TributarySqlLexer.h"
#include "TributarySqlParser.h"
#include "ivm/error.h"
#include "ivm/utf8.h"
#include "sql/ast_builder.h"
#include "sql/bulk_insert.h"

namespace sql {
namespace {

using P = sqlgen::TributarySqlParser;

// Turns the first syntax error into ivm::Error 42601, worded as PostgreSQL words it.
class ThrowingErrorListener : public antlr4::BaseErrorListener {
 public:
  void syntaxError(antlr4::Recognizer*, antlr4::Token* offending, size_t, size_t,
                   const std::string&, std::exception_ptr) override {
    if (offending == nullptr || offending->getType() == antlr4::Token::EOF) {
      throw ivm::Error(ivm::sqlstate::kSyntaxError, "syntax error at end of input");
    }
    throw ivm::Error(ivm::sqlstate::kSyntaxError,
                     "syntax error at or near \"" + offending->getText() + "\"");
  }
};

std::vector<ParsedStatement> ParseWithAntlr(std::string_view sql) {
  antlr4::ANTLRInputStream input(sql.data(), sql.size());
  sqlgen::TributarySqlLexer lexer(&input);
  ThrowingErrorListener listener;
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  P parser(&tokens);
  parser.removeErrorListeners();

  // SLL with bail-out is fast and right for nearly every statement; on failure retry
  // with full LL so the error reported is the true one.
  P::ScriptContext* tree = nullptr;
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::SLL);
  try {
    tree = parser.script();
  } catch (const antlr4::ParseCancellationException&) {
    tokens.seek(0);
    parser.reset();
    parser.addErrorListener(&listener);
    parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::LL);
    tree = parser.script();
  }
  if (tokens.size() > 0) {
    // The lexer turns any stray character into UNEXPECTED_CHAR, which the parser rejects.
  }
  AstBuilder builder(&input);
  return builder.Script(tree);
}

// A bulk INSERT ... VALUES: ANTLR parses the text up to the end of the first row, and the
// other rows are added as ReadBulkInsert read them, once the first row has come out of
// both the same. nullopt when anything differs, or ANTLR finds an error (the whole text is
// then parsed again, for the error PostgreSQL would report).
std::optional<std::vector<ParsedStatement>> ParseBulkInsert(std::string_view sql) {
  std::optional<BulkInsertRows> bulk = ReadBulkInsert(sql);
  if (!bulk) return std::nullopt;
  std::vector<ParsedStatement> head;
  try {
    head = ParseWithAntlr(sql.substr(0, bulk->first_row_end));
  } catch (const ivm::Error&) {
    return std::nullopt;
  }
  auto* insert = head.size() == 1 ? std::get_if<InsertStmt>(&head[0].statement) : nullptr;
  if (!insert || insert->query || insert->rows.size() != 1 ||
      insert->rows[0].size() != bulk->rows[0].size()) {
    return std::nullopt;
  }
  for (size_t i = 0; i < bulk->rows[0].size(); ++i) {
    if (!SameLiteralExpr(*insert->rows[0][i], *bulk->rows[0][i])) return std::nullopt;
  }
  insert->rows = std::move(bulk->rows);
  head[0].text =
      std::string(sql.substr(bulk->statement_begin, bulk->statement_end - bulk->statement_begin));
  return head;
}

// How deeply parentheses nest in `sql`, outside strings, quoted names and comments.
size_t ParenthesisDepth(std::string_view sql) {
  size_t depth = 0, deepest = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // a string or quoted name ('' and "" stay inside)
      const size_t end = sql.find(c, i + 1);
      if (end == std::string_view::npos) break;
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const size_t end = sql.find('\n', i);
      if (end == std::string_view::npos) break;
      i = end;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const size_t end = sql.find("*/", i + 2);
      if (end == std::string_view::npos) break;
      i = end + 1;
    } else if (c == '(') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ')' && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

std::vector<ParsedStatement> ParseScript(std::string_view sql) {
  // ANTLR's input stream decodes the text and throws std::range_error on malformed UTF-8;
  // PostgreSQL's error is 22021.
  ivm::CheckUtf8(sql);
  // ANTLR's time grows faster than the nesting: 1,000 nested parentheses take it 0.6 s,
  // 3,000 2.5 s, 10,000 84 s, and 100,000 held a core and 4 GiB for 15 minutes without
  // finishing. Deeper than 1,000 is refused before ANTLR sees it.
  if (ParenthesisDepth(sql) > kMaxParenthesisDepth) {
    throw ivm::Error(ivm::sqlstate::kStatementTooComplex, "stack depth limit exceeded", "",
                     "Write the expression or query with fewer nested parentheses.");
  }
  if (sql.size() >= kMinBulkInsertBytes) {
    if (auto bulk = ParseBulkInsert(sql)) return std::move(*bulk);
  }
  return ParseWithAntlr(sql);
}

}  // namespace sql
