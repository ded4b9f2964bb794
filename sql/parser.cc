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

}  // namespace

std::vector<ParsedStatement> ParseScript(std::string_view sql) {
  // ANTLR's input stream decodes the text and throws std::range_error on malformed UTF-8;
  // PostgreSQL's error is 22021.
  ivm::CheckUtf8(sql);
  if (sql.size() >= kMinBulkInsertBytes) {
    if (auto bulk = ParseBulkInsert(sql)) return std::move(*bulk);
  }
  return ParseWithAntlr(sql);
}

}  // namespace sql
