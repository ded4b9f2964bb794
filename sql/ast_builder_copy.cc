// COPY's parse tree as a CopyStmt. The old-style option words (WITH CSV HEADER DELIMITER ',')
// are read here from a flat token list and turned into the WITH (...) form, so one place
// (server/copy/copy_options.cc) checks options, whichever way they were written.
#include "ivm/error.h"
#include "sql/ast_builder.h"

namespace sql {
namespace {

ivm::Error CopySyntaxError(const std::string& near) {
  return ivm::Error(ivm::sqlstate::kSyntaxError,
                    near.empty() ? "syntax error at end of input"
                                 : "syntax error at or near \"" + near + "\"");
}

}  // namespace

CopyStmt AstBuilder::Copy(P::CopyContext* ctx) {
  CopyStmt stmt;
  std::vector<P::IdentifierContext*> ids = ctx->identifier();
  if (ctx->qualifiedName()) {
    stmt.table = Name(ctx->qualifiedName());
    // The target word (STDIN ...) is the last identifier directly under `copy`.
    size_t n = ids.size();
    if (ctx->direction && !ids.empty() &&
        ids.back()->getStart()->getTokenIndex() > ctx->direction->getTokenIndex()) {
      --n;
    }
    for (size_t i = 0; i < n; ++i) stmt.columns.push_back(Ident(ids[i]));
  } else {
    stmt.query = Query(ctx->query());
  }
  stmt.from = ctx->FROM() != nullptr;
  P::IdentifierContext* target = nullptr;
  if (!ids.empty() && ids.back()->getStart()->getTokenIndex() > ctx->direction->getTokenIndex()) {
    target = ids.back();
  }
  antlr4::tree::TerminalNode* file = ctx->STRING_LITERAL();
  if (!target) {
    stmt.target = CopyStmt::Target::kFile;
    stmt.file = StringLiteral(file->getText());
  } else {
    const std::string word = Lower(target->getText());
    if (word == "program" && file) {
      stmt.target = CopyStmt::Target::kProgram;
      stmt.file = StringLiteral(file->getText());
    } else if ((word == "stdin" || word == "stdout") && !file) {
      stmt.target = CopyStmt::Target::kStdio;
    } else {
      throw CopySyntaxError(target->getText());
    }
  }

  auto word_text = [&](P::CopyWordContext* w) {
    return w->identifier() ? Ident(w->identifier()) : Lower(w->getText());
  };
  for (P::CopyOptionContext* o : ctx->copyOption()) {
    CopyStmt::Option option;
    std::vector<P::CopyWordContext*> words = o->copyWord();
    option.name = word_text(words[0]);
    if (words.size() > 1) {
      option.value = word_text(words[1]);
    } else if (o->STRING_LITERAL()) {
      option.value = StringLiteral(o->STRING_LITERAL()->getText());
    } else if (o->INTEGER_LITERAL()) {
      option.value = o->INTEGER_LITERAL()->getText();
    } else if (o->STAR()) {
      option.all_columns = true;
    } else if (o->LPAREN()) {
      for (P::IdentifierContext* id : o->identifier()) option.columns.push_back(Ident(id));
    }
    stmt.options.push_back(std::move(option));
  }

  // Old style: [BINARY] [CSV] [HEADER] [DELIMITER [AS] 'd'] [NULL [AS] 'n'] [QUOTE [AS] 'q']
  // [ESCAPE [AS] 'e'] [FORCE QUOTE cols | *] [FORCE NOT NULL cols] [FORCE NULL cols]
  // [ENCODING 'e'].
  std::vector<P::CopyLegacyWordContext*> legacy = ctx->copyLegacyWord();
  size_t i = 0;
  auto at_end = [&] { return i >= legacy.size(); };
  auto peek = [&]() -> std::string {
    if (at_end()) return "";
    P::CopyLegacyWordContext* w = legacy[i];
    return w->copyWord() ? word_text(w->copyWord()) : Lower(w->getText());
  };
  auto string_value = [&]() {
    if (!at_end() && legacy[i]->AS()) ++i;
    if (at_end() || !legacy[i]->STRING_LITERAL()) throw CopySyntaxError(at_end() ? "" : legacy[i]->getText());
    return StringLiteral(legacy[i++]->STRING_LITERAL()->getText());
  };
  auto column_list = [&](CopyStmt::Option* option, bool star_allowed) {
    if (star_allowed && !at_end() && legacy[i]->STAR()) {
      ++i;
      option->all_columns = true;
      return;
    }
    while (true) {
      if (at_end() || !legacy[i]->copyWord() || !legacy[i]->copyWord()->identifier()) {
        throw CopySyntaxError(at_end() ? "" : legacy[i]->getText());
      }
      option->columns.push_back(Ident(legacy[i++]->copyWord()->identifier()));
      if (at_end() || !legacy[i]->COMMA()) break;
      ++i;
    }
  };
  while (!at_end()) {
    const std::string raw = legacy[i]->getText();
    const std::string word = peek();
    ++i;
    CopyStmt::Option option;
    if (word == "binary") {
      option = {"format", "binary", {}, false};
    } else if (word == "csv") {
      option = {"format", "csv", {}, false};
    } else if (word == "header") {
      option.name = "header";
    } else if (word == "delimiter" || word == "null" || word == "quote" || word == "escape" ||
               word == "encoding") {
      option.name = word;
      option.value = string_value();
    } else if (word == "force") {
      const std::string what = peek();
      ++i;
      if (what == "quote") {
        option.name = "force_quote";
        column_list(&option, true);
      } else if (what == "null") {
        option.name = "force_null";
        column_list(&option, false);
      } else if (what == "not" && peek() == "null") {
        ++i;
        option.name = "force_not_null";
        column_list(&option, false);
      } else {
        throw CopySyntaxError(i - 1 < legacy.size() ? legacy[i - 1]->getText() : "");
      }
    } else {
      throw CopySyntaxError(raw);
    }
    stmt.options.push_back(std::move(option));
  }
  return stmt;
}

}  // namespace sql
