// AstBuilder: turns ANTLR's parse tree (sql/grammar/TributarySql.g4) into the AST of
// sql/ast.h. Statements and queries are built in ast_builder.cc, expressions in
// ast_builder_expressions.cc. Internal to sql/; sql/parser.h is the entry point.
#pragma once

#include <antlr4-runtime.h>

#include <memory>
#include <string>
#include <vector>

#include "TributarySqlParser.h"
#include "sql/ast.h"

namespace sql {

// Lower-cases ASCII letters (unquoted identifiers and keywords).
std::string Lower(std::string s);

class AstBuilder {
 public:
  using P = sqlgen::TributarySqlParser;

  explicit AstBuilder(antlr4::CharStream* input) : input_(input) {}

  std::vector<ParsedStatement> Script(P::ScriptContext* ctx);

 private:
  std::string Text(antlr4::ParserRuleContext* ctx) const;
  std::string Ident(P::IdentifierContext* ctx) const;
  QualifiedName Name(P::QualifiedNameContext* ctx) const;
  static std::string StringLiteral(const std::string& raw);
  AstType Type(P::TypeNameContext* ctx) const;
  ::sql::Statement Statement(P::StatementContext* ctx);
  static std::string Unquote(const std::string& raw, char quote);
  AstOption Option(P::OptionContext* ctx);
  // StarRocks property strings: "..." with backslash escapes.
  static std::string PropertyString(const std::string& raw);
  std::vector<AstOption> Properties(P::PropertyListContext* ctx);
  CreateRoutineLoadStmt RoutineLoad(P::CreateRoutineLoadContext* ctx);
  RoutineLoadControlStmt RoutineLoadControl(P::RoutineLoadControlContext* ctx);
  SetStmt SetVariable(P::SetVariableContext* ctx);
  std::string SettingName(P::SettingNameContext* ctx);
  CreateTableStmt CreateTable(P::CreateTableContext* ctx);
  CreateMaterializedViewStmt CreateView(P::CreateMaterializedViewContext* ctx);
  DropStmt Drop(P::DropContext* ctx);
  ::sql::Statement RoleStatement(P::RoleStatementContext* ctx);
  RoleOptions Options(const std::vector<P::RoleOptionContext*>& options);
  GrantStmt Grant(P::PrivilegeStatementContext* ctx);
  InsertStmt Insert(P::InsertContext* ctx);
  UpdateStmt Update(P::UpdateContext* ctx);
  DeleteStmt Delete(P::Delete_Context* ctx);
  ExplainStmt Explain(P::ExplainContext* ctx);
  AstOrderItem OrderItem(P::OrderItemContext* item);
  std::shared_ptr<AstQuery> Query(P::QueryContext* ctx);
  AstQueryBody Body(P::QueryBodyContext* ctx);
  AstSelect Select(P::SelectContext* ctx);
  AstFromItemPtr TableRef(P::TableRefContext* ctx);
  AstFromItemPtr FromItem(P::FromItemContext* ctx);
  AstExprPtr New(AstExpr::Kind kind, antlr4::ParserRuleContext* ctx);
  AstExprPtr Binary(antlr4::ParserRuleContext* ctx, std::string op, P::ExprContext* l,
                    P::ExprContext* r);
  AstExprPtr Expr(P::ExprContext* ctx);
  // b_expr: the arithmetic subset of expressions (see the grammar).
  AstExprPtr Bexpr(P::BexprContext* ctx);
  AstExprPtr Primary(P::PrimaryContext* ctx);

  antlr4::CharStream* input_;
};

}  // namespace sql
