#include "sql/parser.h"

#include <antlr4-runtime.h>

#include <algorithm>
#include <cctype>

#include "TributarySqlLexer.h"
#include "TributarySqlParser.h"
#include "ivm/error.h"

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

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class AstBuilder {
 public:
  explicit AstBuilder(antlr4::CharStream* input) : input_(input) {}

  std::vector<ParsedStatement> Script(P::ScriptContext* ctx) {
    std::vector<ParsedStatement> result;
    for (P::StatementContext* s : ctx->statement()) {
      result.push_back({Statement(s), Text(s)});
    }
    return result;
  }

 private:
  std::string Text(antlr4::ParserRuleContext* ctx) const {
    return input_->getText(
        antlr4::misc::Interval(ctx->start->getStartIndex(), ctx->stop->getStopIndex()));
  }

  std::string Ident(P::IdentifierContext* ctx) const {
    if (ctx->QUOTED_IDENTIFIER()) {
      std::string raw = ctx->getText();
      std::string out;
      for (size_t i = 1; i + 1 < raw.size(); ++i) {
        out.push_back(raw[i]);
        if (raw[i] == '"') ++i;  // "" is one quote
      }
      return out;
    }
    return Lower(ctx->getText());
  }

  QualifiedName Name(P::QualifiedNameContext* ctx) const {
    auto ids = ctx->identifier();
    if (ids.size() == 2) return {Ident(ids[0]), Ident(ids[1])};
    return {"", Ident(ids[0])};
  }

  static std::string StringLiteral(const std::string& raw) {
    std::string out;
    for (size_t i = 1; i + 1 < raw.size(); ++i) {
      out.push_back(raw[i]);
      if (raw[i] == '\'') ++i;  // '' is one quote
    }
    return out;
  }

  AstType Type(P::TypeNameContext* ctx) const {
    AstType type;
    if (ctx->DOUBLE()) {
      type.name = "double precision";
    } else if (ctx->CHARACTER()) {
      type.name = "varchar";
    } else {
      type.name = Lower(ctx->identifier()->getText());
      if (ctx->WITH()) type.name += " with time zone";
    }
    if (auto* args = ctx->typeArguments()) {
      for (auto* n : args->INTEGER_LITERAL()) type.args.push_back(std::stoi(n->getText()));
    }
    return type;
  }

  ::sql::Statement Statement(P::StatementContext* ctx) {
    if (auto* c = ctx->createTable()) return CreateTable(c);
    if (auto* c = ctx->createMaterializedView()) return CreateView(c);
    if (auto* c = ctx->drop()) return Drop(c);
    if (auto* c = ctx->insert()) return Insert(c);
    if (auto* c = ctx->update()) return Update(c);
    if (auto* c = ctx->delete_()) return Delete(c);
    if (auto* c = ctx->explain()) return Explain(c);
    if (auto* c = ctx->verify()) return VerifyStmt{Name(c->qualifiedName())};
    if (auto* c = ctx->createRoutineLoad()) return RoutineLoad(c);
    if (auto* c = ctx->routineLoadControl()) return RoutineLoadControl(c);
    return SelectStmt{Query(ctx->query())};
  }

  static std::string Unquote(const std::string& raw, char quote) {
    std::string out;
    for (size_t i = 1; i + 1 < raw.size(); ++i) {
      out.push_back(raw[i]);
      if (raw[i] == quote) ++i;  // a doubled quote is one quote
    }
    return out;
  }

  AstOption Option(P::OptionContext* ctx) {
    AstOption option;
    auto* key = ctx->optionKey();
    if (key->STRING_LITERAL()) {
      option.key = Unquote(key->getText(), '\'');
      option.quoted_key = true;
    } else {
      for (auto* id : key->identifier()) {
        if (!option.key.empty()) option.key += ".";
        option.key += Ident(id);
      }
    }
    auto* value = ctx->optionValue();
    option.value = value->STRING_LITERAL() ? Unquote(value->getText(), '\'')
                   : value->identifier()   ? Ident(value->identifier())
                                           : Lower(value->getText());
    return option;
  }

  // StarRocks property strings: "..." with backslash escapes.
  static std::string PropertyString(const std::string& raw) {
    std::string out;
    for (size_t i = 1; i + 1 < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 2 < raw.size()) ++i;
      out.push_back(raw[i]);
    }
    return out;
  }

  std::vector<AstOption> Properties(P::PropertyListContext* ctx) {
    std::vector<AstOption> out;
    for (auto* p : ctx->property()) {
      out.push_back({PropertyString(p->key->getText()), PropertyString(p->value->getText()), true});
    }
    return out;
  }

  CreateRoutineLoadStmt RoutineLoad(P::CreateRoutineLoadContext* ctx) {
    CreateRoutineLoadStmt stmt;
    stmt.job = Name(ctx->job);
    stmt.table = Name(ctx->table);
    for (auto* id : ctx->identifier()) stmt.columns.push_back(Ident(id));
    auto lists = ctx->propertyList();
    if (ctx->PROPERTIES()) stmt.properties = Properties(lists[0]);
    stmt.kafka = Properties(lists.back());
    return stmt;
  }

  RoutineLoadControlStmt RoutineLoadControl(P::RoutineLoadControlContext* ctx) {
    RoutineLoadControlStmt stmt;
    if (auto* show = dynamic_cast<P::ShowRoutineLoadContext*>(ctx)) {
      if (show->qualifiedName()) stmt.job = Name(show->qualifiedName());
      return stmt;
    }
    auto* control = dynamic_cast<P::ControlRoutineLoadContext*>(ctx);
    stmt.action = control->action->getType() == P::PAUSE ? RoutineLoadControlStmt::Action::kPause
                  : control->action->getType() == P::RESUME
                      ? RoutineLoadControlStmt::Action::kResume
                      : RoutineLoadControlStmt::Action::kStop;
    stmt.job = Name(control->qualifiedName());
    return stmt;
  }

  CreateTableStmt CreateTable(P::CreateTableContext* ctx) {
    CreateTableStmt stmt;
    stmt.name = Name(ctx->qualifiedName());
    stmt.if_not_exists = ctx->IF() != nullptr;
    for (auto* option : ctx->option()) stmt.options.push_back(Option(option));
    if (ctx->FORMAT()) {
      stmt.format = Lower(ctx->formatName->getText());
      stmt.encode = Lower(ctx->encodeName->getText());
    }
    for (auto* element : ctx->tableElement()) {
      if (auto* watermark = element->watermark()) {
        stmt.watermark_columns.push_back(Ident(watermark->identifier()));
        continue;
      }
      if (auto* col = element->columnDefinition()) {
        AstColumnDef def;
        def.name = Ident(col->identifier());
        def.type = Type(col->typeName());
        if (col->METADATA()) {
          def.metadata = true;
          if (col->STRING_LITERAL())
            def.metadata_key = Unquote(col->STRING_LITERAL()->getText(), '\'');
        }
        for (auto* constraint : col->columnConstraint()) {
          if (dynamic_cast<P::NotNullConstraintContext*>(constraint)) def.not_null = true;
          if (dynamic_cast<P::PrimaryKeyConstraintContext*>(constraint)) def.primary_key = true;
        }
        stmt.columns.push_back(std::move(def));
      } else {
        auto* constraint = element->tableConstraint();
        auto ids = constraint->identifier();
        size_t first = constraint->CONSTRAINT() ? 1 : 0;
        if (!stmt.primary_key.empty()) {
          throw ivm::Error(
              ivm::sqlstate::kInvalidTableDefinition,
              "multiple primary keys for table \"" + stmt.name.name + "\" are not allowed");
        }
        for (size_t i = first; i < ids.size(); ++i) stmt.primary_key.push_back(Ident(ids[i]));
      }
    }
    return stmt;
  }

  CreateMaterializedViewStmt CreateView(P::CreateMaterializedViewContext* ctx) {
    CreateMaterializedViewStmt stmt;
    stmt.name = Name(ctx->qualifiedName());
    stmt.if_not_exists = ctx->IF() != nullptr;
    for (auto* id : ctx->identifier()) stmt.column_names.push_back(Ident(id));
    stmt.query = Query(ctx->query());
    return stmt;
  }

  DropStmt Drop(P::DropContext* ctx) {
    DropStmt stmt;
    if (ctx->MATERIALIZED()) {
      stmt.kind = DropStmt::Kind::kMaterializedView;
    } else if (ctx->VIEW()) {
      stmt.kind = DropStmt::Kind::kView;
    }
    stmt.if_exists = ctx->IF() != nullptr;
    stmt.cascade = ctx->CASCADE() != nullptr;
    for (auto* n : ctx->qualifiedName()) stmt.names.push_back(Name(n));
    return stmt;
  }

  InsertStmt Insert(P::InsertContext* ctx) {
    InsertStmt stmt;
    stmt.table = Name(ctx->qualifiedName());
    auto ids = ctx->identifier();
    // An alias comes before the column list; the column list is inside parentheses.
    for (auto* id : ids) {
      if (ctx->LPAREN() &&
          id->getStart()->getStartIndex() > ctx->LPAREN()->getSymbol()->getStartIndex()) {
        stmt.columns.push_back(Ident(id));
      }
    }
    if (auto* values = ctx->valuesClause()) {
      for (auto* row : values->valuesRow()) {
        std::vector<AstExprPtr> exprs;
        for (auto* e : row->expr()) exprs.push_back(Expr(e));
        stmt.rows.push_back(std::move(exprs));
      }
    } else {
      stmt.query = Query(ctx->query());
    }
    return stmt;
  }

  UpdateStmt Update(P::UpdateContext* ctx) {
    UpdateStmt stmt;
    stmt.table = Name(ctx->qualifiedName());
    if (ctx->identifier()) stmt.alias = Ident(ctx->identifier());
    for (auto* a : ctx->assignment()) {
      stmt.assignments.emplace_back(Ident(a->identifier()), Expr(a->expr()));
    }
    if (ctx->expr()) stmt.where = Expr(ctx->expr());
    return stmt;
  }

  DeleteStmt Delete(P::Delete_Context* ctx) {
    DeleteStmt stmt;
    stmt.table = Name(ctx->qualifiedName());
    if (ctx->identifier()) stmt.alias = Ident(ctx->identifier());
    if (ctx->expr()) stmt.where = Expr(ctx->expr());
    return stmt;
  }

  ExplainStmt Explain(P::ExplainContext* ctx) {
    ExplainStmt stmt;
    if (ctx->query()) {
      stmt.query = Query(ctx->query());
    } else if (ctx->createMaterializedView()) {
      stmt.create_view =
          std::make_shared<CreateMaterializedViewStmt>(CreateView(ctx->createMaterializedView()));
    } else {
      stmt.view = Name(ctx->qualifiedName());
    }
    return stmt;
  }

  AstOrderItem OrderItem(P::OrderItemContext* item) {
    AstOrderItem order;
    order.expr = Expr(item->expr());
    order.descending = item->DESC() != nullptr;
    if (item->NULLS()) order.nulls_first = item->FIRST() != nullptr;
    return order;
  }

  std::shared_ptr<AstQuery> Query(P::QueryContext* ctx) {
    auto query = std::make_shared<AstQuery>();
    query->text = Text(ctx);
    if (auto* with = ctx->withClause()) {
      for (auto* cte : with->commonTableExpression()) {
        AstCte out;
        auto ids = cte->identifier();
        out.name = Ident(ids[0]);
        for (size_t i = 1; i < ids.size(); ++i) out.column_names.push_back(Ident(ids[i]));
        out.query = Query(cte->query());
        query->ctes.push_back(std::move(out));
      }
    }
    query->body = Body(ctx->queryBody());
    for (auto* item : ctx->orderItem()) query->order_by.push_back(OrderItem(item));
    // LIMIT comes before OFFSET in the grammar; tell them apart by their keyword.
    auto exprs = ctx->expr();
    size_t next = 0;
    if (ctx->LIMIT()) query->limit = Expr(exprs[next++]);
    if (ctx->OFFSET()) query->offset = Expr(exprs[next++]);
    return query;
  }

  AstQueryBody Body(P::QueryBodyContext* ctx) {
    AstQueryBody body;
    if (auto* primary = dynamic_cast<P::PrimaryQueryContext*>(ctx)) {
      auto* q = primary->queryPrimary();
      if (q->select()) {
        body.kind = AstQueryBody::Kind::kSelect;
        body.select = Select(q->select());
      } else {
        body.kind = AstQueryBody::Kind::kNested;
        body.nested = Query(q->query());
      }
      return body;
    }
    body.kind = AstQueryBody::Kind::kSetOperation;
    P::QueryBodyContext* left;
    P::QueryBodyContext* right;
    antlr4::Token* quantifier;
    if (auto* i = dynamic_cast<P::IntersectQueryContext*>(ctx)) {
      body.op = AstQueryBody::SetOp::kIntersect;
      left = i->left;
      right = i->right;
      quantifier = i->quantifier;
    } else {
      auto* u = dynamic_cast<P::UnionQueryContext*>(ctx);
      body.op =
          u->op->getType() == P::UNION ? AstQueryBody::SetOp::kUnion : AstQueryBody::SetOp::kExcept;
      left = u->left;
      right = u->right;
      quantifier = u->quantifier;
    }
    body.all = quantifier != nullptr && quantifier->getType() == P::ALL;
    body.left = std::make_shared<AstQueryBody>(Body(left));
    body.right = std::make_shared<AstQueryBody>(Body(right));
    return body;
  }

  AstSelect Select(P::SelectContext* ctx) {
    AstSelect select;
    select.distinct = ctx->DISTINCT() != nullptr;
    for (auto* item : ctx->selectItem()) {
      AstSelectItem out;
      if (dynamic_cast<P::SelectAllContext*>(item)) {
        out.kind = AstSelectItem::Kind::kStar;
      } else if (auto* of = dynamic_cast<P::SelectAllOfContext*>(item)) {
        out.kind = AstSelectItem::Kind::kQualifiedStar;
        out.qualifier = Ident(of->identifier());
      } else {
        auto* e = dynamic_cast<P::SelectExprContext*>(item);
        out.expr = Expr(e->expr());
        if (e->identifier()) out.alias = Ident(e->identifier());
      }
      select.items.push_back(std::move(out));
    }
    for (auto* from : ctx->fromItem()) select.from.push_back(FromItem(from));
    if (ctx->where) select.where = Expr(ctx->where);
    if (ctx->having) select.having = Expr(ctx->having);
    for (auto* e : ctx->expr()) {
      if (e != ctx->where && e != ctx->having) select.group_by.push_back(Expr(e));
    }
    return select;
  }

  AstFromItemPtr TableRef(P::TableRefContext* ctx) {
    auto item = std::make_shared<AstFromItem>();
    if (auto* fn = dynamic_cast<P::TableFunctionContext*>(ctx)) {
      auto ids = fn->identifier();
      item->kind = AstFromItem::Kind::kFunction;
      item->name = Ident(ids[0]);
      if (ids.size() > 1) item->alias = Ident(ids[1]);
      for (auto* e : fn->expr()) item->function_args.push_back(Expr(e));
      return item;
    }
    if (auto* named = dynamic_cast<P::NamedTableContext*>(ctx)) {
      item->kind = AstFromItem::Kind::kTable;
      QualifiedName name = Name(named->qualifiedName());
      item->schema = name.schema;
      item->name = name.name;
      if (named->identifier()) item->alias = Ident(named->identifier());
    } else {
      auto* sub = dynamic_cast<P::SubqueryTableContext*>(ctx);
      item->kind = AstFromItem::Kind::kSubquery;
      item->subquery = Query(sub->query());
      item->alias = Ident(sub->identifier());
    }
    return item;
  }

  AstFromItemPtr FromItem(P::FromItemContext* ctx) {
    AstFromItemPtr left = TableRef(ctx->tableRef());
    for (auto* join : ctx->joinClause()) {
      auto node = std::make_shared<AstFromItem>();
      node->kind = AstFromItem::Kind::kJoin;
      node->left = left;
      auto join_type = [](P::JoinTypeContext* t) {
        if (!t || t->INNER()) return AstFromItem::JoinType::kInner;
        if (t->LEFT()) return AstFromItem::JoinType::kLeft;
        if (t->RIGHT()) return AstFromItem::JoinType::kRight;
        return AstFromItem::JoinType::kFull;
      };
      if (auto* q = dynamic_cast<P::QualifiedJoinContext*>(join)) {
        node->join_type = join_type(q->joinType());
        node->right = TableRef(q->tableRef());
        auto* condition = q->joinCondition();
        if (condition->ON()) {
          node->condition = Expr(condition->expr());
        } else {
          for (auto* id : condition->identifier()) node->using_columns.push_back(Ident(id));
        }
      } else if (auto* cross = dynamic_cast<P::CrossJoinContext*>(join)) {
        node->join_type = AstFromItem::JoinType::kCross;
        node->right = TableRef(cross->tableRef());
      } else {
        auto* natural = dynamic_cast<P::NaturalJoinContext*>(join);
        node->join_type = join_type(natural->joinType());
        node->natural = true;
        node->right = TableRef(natural->tableRef());
      }
      left = node;
    }
    return left;
  }

  AstExprPtr New(AstExpr::Kind kind, antlr4::ParserRuleContext* ctx) {
    auto e = std::make_shared<AstExpr>();
    e->kind = kind;
    e->text = Text(ctx);
    return e;
  }

  AstExprPtr Binary(antlr4::ParserRuleContext* ctx, std::string op, P::ExprContext* l,
                    P::ExprContext* r) {
    auto e = New(AstExpr::Kind::kBinary, ctx);
    e->op = std::move(op);
    e->args = {Expr(l), Expr(r)};
    return e;
  }

  AstExprPtr Expr(P::ExprContext* ctx) {
    if (auto* c = dynamic_cast<P::PrimaryExprContext*>(ctx)) return Primary(c->primary());
    if (auto* c = dynamic_cast<P::CastExprContext*>(ctx)) {
      auto e = New(AstExpr::Kind::kCast, ctx);
      e->args = {Expr(c->expr())};
      e->type = Type(c->typeName());
      return e;
    }
    if (auto* c = dynamic_cast<P::UnaryExprContext*>(ctx)) {
      auto e = New(AstExpr::Kind::kUnary, ctx);
      e->op = c->op->getText();
      e->args = {Expr(c->expr())};
      return e;
    }
    if (auto* c = dynamic_cast<P::MulExprContext*>(ctx)) {
      return Binary(ctx, c->op->getText(), c->expr(0), c->expr(1));
    }
    if (auto* c = dynamic_cast<P::AddExprContext*>(ctx)) {
      return Binary(ctx, c->op->getText(), c->expr(0), c->expr(1));
    }
    if (auto* c = dynamic_cast<P::ConcatExprContext*>(ctx)) {
      return Binary(ctx, "||", c->expr(0), c->expr(1));
    }
    if (auto* c = dynamic_cast<P::CompareExprContext*>(ctx)) {
      std::string op = c->op->getText();
      if (op == "!=") op = "<>";
      return Binary(ctx, op, c->expr(0), c->expr(1));
    }
    if (auto* c = dynamic_cast<P::AndExprContext*>(ctx)) {
      return Binary(ctx, "AND", c->expr(0), c->expr(1));
    }
    if (auto* c = dynamic_cast<P::OrExprContext*>(ctx)) {
      return Binary(ctx, "OR", c->expr(0), c->expr(1));
    }
    if (auto* c = dynamic_cast<P::NotExprContext*>(ctx)) {
      auto e = New(AstExpr::Kind::kUnary, ctx);
      e->op = "NOT";
      e->args = {Expr(c->expr())};
      return e;
    }
    if (auto* c = dynamic_cast<P::IsNullExprContext*>(ctx)) {
      auto e = New(AstExpr::Kind::kIsNull, ctx);
      e->negated = c->NOT() != nullptr;
      e->args = {Expr(c->expr())};
      return e;
    }
    if (auto* c = dynamic_cast<P::InSubqueryExprContext*>(ctx)) {
      auto e = New(AstExpr::Kind::kInSubquery, ctx);
      e->negated = c->NOT() != nullptr;
      e->args = {Expr(c->expr())};
      e->subquery = Query(c->query());
      return e;
    }
    if (auto* c = dynamic_cast<P::IsDistinctFromExprContext*>(ctx)) {
      auto e = New(AstExpr::Kind::kIsDistinctFrom, ctx);
      e->negated = c->NOT() != nullptr;
      e->args = {Expr(c->expr(0)), Expr(c->expr(1))};
      return e;
    }
    if (auto* c = dynamic_cast<P::InListExprContext*>(ctx)) {
      auto e = New(AstExpr::Kind::kInList, ctx);
      e->negated = c->NOT() != nullptr;
      for (auto* a : c->expr()) e->args.push_back(Expr(a));
      return e;
    }
    if (auto* c = dynamic_cast<P::BetweenExprContext*>(ctx)) {
      auto e = New(AstExpr::Kind::kBetween, ctx);
      e->negated = c->NOT() != nullptr;
      e->args.push_back(Expr(c->expr()));
      for (auto* a : c->bexpr()) e->args.push_back(Bexpr(a));
      return e;
    }
    auto* c = dynamic_cast<P::LikeExprContext*>(ctx);
    auto e = New(AstExpr::Kind::kLike, ctx);
    e->negated = c->NOT() != nullptr;
    e->op = c->op->getType() == P::ILIKE ? "ILIKE" : "LIKE";
    e->args.push_back(Expr(c->expr()));
    for (auto* a : c->bexpr()) e->args.push_back(Bexpr(a));  // pattern [, escape]
    return e;
  }

  // b_expr: the arithmetic subset of expressions (see the grammar).
  AstExprPtr Bexpr(P::BexprContext* ctx) {
    if (auto* c = dynamic_cast<P::PrimaryBexprContext*>(ctx)) return Primary(c->primary());
    if (auto* c = dynamic_cast<P::CastBexprContext*>(ctx)) {
      auto e = New(AstExpr::Kind::kCast, ctx);
      e->args = {Bexpr(c->bexpr())};
      e->type = Type(c->typeName());
      return e;
    }
    if (auto* c = dynamic_cast<P::UnaryBexprContext*>(ctx)) {
      auto e = New(AstExpr::Kind::kUnary, ctx);
      e->op = c->op->getText();
      e->args = {Bexpr(c->bexpr())};
      return e;
    }
    auto binary = [&](std::string op, P::BexprContext* l, P::BexprContext* r) {
      auto e = New(AstExpr::Kind::kBinary, ctx);
      e->op = std::move(op);
      e->args = {Bexpr(l), Bexpr(r)};
      return e;
    };
    if (auto* c = dynamic_cast<P::MulBexprContext*>(ctx)) {
      return binary(c->op->getText(), c->bexpr(0), c->bexpr(1));
    }
    if (auto* c = dynamic_cast<P::AddBexprContext*>(ctx)) {
      return binary(c->op->getText(), c->bexpr(0), c->bexpr(1));
    }
    auto* c = dynamic_cast<P::ConcatBexprContext*>(ctx);
    return binary("||", c->bexpr(0), c->bexpr(1));
  }

  AstExprPtr Primary(P::PrimaryContext* ctx) {
    if (auto* c = dynamic_cast<P::LiteralPrimaryContext*>(ctx)) {
      auto e = New(AstExpr::Kind::kLiteral, ctx);
      auto* lit = c->literal();
      if (lit->INTEGER_LITERAL()) {
        e->literal_kind = AstExpr::LiteralKind::kInteger;
      } else if (lit->DECIMAL_LITERAL()) {
        e->literal_kind = AstExpr::LiteralKind::kDecimal;
      } else if (lit->STRING_LITERAL()) {
        e->literal_kind = AstExpr::LiteralKind::kString;
        e->text = StringLiteral(lit->getText());
      } else if (lit->TRUE()) {
        e->literal_kind = AstExpr::LiteralKind::kTrue;
      } else if (lit->FALSE()) {
        e->literal_kind = AstExpr::LiteralKind::kFalse;
      } else {
        e->literal_kind = AstExpr::LiteralKind::kNull;
      }
      return e;
    }
    if (auto* c = dynamic_cast<P::IntervalPrimaryContext*>(ctx)) {
      auto e = New(AstExpr::Kind::kInterval, ctx);
      e->name = StringLiteral(c->STRING_LITERAL()->getText());
      if (c->intervalUnit()) {
        e->op = Lower(c->intervalUnit()->getText());
        if (e->op.back() == 's') e->op.pop_back();  // MINUTES -> minute
      }
      return e;
    }
    if (auto* c = dynamic_cast<P::ExistsPrimaryContext*>(ctx)) {
      auto e = New(AstExpr::Kind::kExists, ctx);
      e->subquery = Query(c->query());
      return e;
    }
    if (auto* c = dynamic_cast<P::ExtractPrimaryContext*>(ctx)) {
      // EXTRACT(field FROM x): the function "extract" over ('field', x).
      auto e = New(AstExpr::Kind::kFunction, ctx);
      e->name = "extract";
      auto field = std::make_shared<AstExpr>();
      field->kind = AstExpr::Kind::kLiteral;
      field->literal_kind = AstExpr::LiteralKind::kString;
      field->text = Lower(c->identifier()->getText());
      e->args = {field, Expr(c->expr())};
      return e;
    }
    if (auto* c = dynamic_cast<P::SubstringPrimaryContext*>(ctx)) {
      // SUBSTRING(x FROM a FOR b) is substring(x, a, b); FOR alone starts at 1.
      auto e = New(AstExpr::Kind::kFunction, ctx);
      e->name = "substring";
      auto exprs = c->expr();
      e->args.push_back(Expr(exprs[0]));
      size_t next = 1;
      if (c->FROM()) {
        e->args.push_back(Expr(exprs[next++]));
      } else {
        auto one = std::make_shared<AstExpr>();
        one->kind = AstExpr::Kind::kLiteral;
        one->literal_kind = AstExpr::LiteralKind::kInteger;
        one->text = "1";
        e->args.push_back(one);
      }
      if (c->FOR()) e->args.push_back(Expr(exprs[next]));
      return e;
    }
    if (auto* c = dynamic_cast<P::PositionPrimaryContext*>(ctx)) {
      // POSITION(a IN b): the function "position" over (a, b).
      auto e = New(AstExpr::Kind::kFunction, ctx);
      e->name = "position";
      e->args = {Expr(c->expr(0)), Expr(c->expr(1))};
      return e;
    }
    if (auto* c = dynamic_cast<P::TrimPrimaryContext*>(ctx)) {
      // TRIM([BOTH|LEADING|TRAILING] [chars] FROM s): btrim/ltrim/rtrim(s [, chars]).
      auto e = New(AstExpr::Kind::kFunction, ctx);
      e->name = !c->side || c->side->getType() == P::BOTH ? "btrim"
                : c->side->getType() == P::LEADING        ? "ltrim"
                                                          : "rtrim";
      e->args.push_back(Expr(c->source));
      if (c->chars) e->args.push_back(Expr(c->chars));
      return e;
    }
    if (auto* c = dynamic_cast<P::TypedLiteralPrimaryContext*>(ctx)) {
      auto e = New(AstExpr::Kind::kTypedLiteral, ctx);
      e->type.name = Lower(c->identifier()->getText());
      e->literal_kind = AstExpr::LiteralKind::kString;
      e->name = StringLiteral(c->STRING_LITERAL()->getText());
      return e;
    }
    if (auto* c = dynamic_cast<P::CastPrimaryContext*>(ctx)) {
      auto e = New(AstExpr::Kind::kCast, ctx);
      e->args = {Expr(c->expr())};
      e->type = Type(c->typeName());
      return e;
    }
    if (auto* c = dynamic_cast<P::CasePrimaryContext*>(ctx)) {
      auto e = New(AstExpr::Kind::kCase, ctx);
      auto exprs = c->expr();
      size_t i = 0;
      size_t first_when = c->WHEN(0)->getSymbol()->getStartIndex();
      if (exprs[0]->getStart()->getStartIndex() < first_when) e->case_operand = Expr(exprs[i++]);
      size_t pairs = c->WHEN().size();
      for (size_t k = 0; k < pairs; ++k) {
        e->args.push_back(Expr(exprs[i++]));
        e->args.push_back(Expr(exprs[i++]));
      }
      if (c->ELSE()) e->else_expr = Expr(exprs[i]);
      return e;
    }
    if (auto* c = dynamic_cast<P::FunctionCallContext*>(ctx)) {
      auto e = New(AstExpr::Kind::kFunction, ctx);
      // left() and right() are functions too, though LEFT and RIGHT are join keywords.
      e->name = c->identifier() ? Ident(c->identifier()) : (c->LEFT() ? "left" : "right");
      e->star = c->STAR() != nullptr;
      e->distinct = c->DISTINCT() != nullptr;
      for (auto* a : c->expr()) e->args.push_back(Expr(a));
      for (auto* item : c->orderItem()) e->order_by.push_back(OrderItem(item));
      if (auto* over = c->overClause()) {
        e->has_over = true;
        for (auto* p : over->expr()) e->partition_by.push_back(Expr(p));
        for (auto* item : over->orderItem()) e->window_order_by.push_back(OrderItem(item));
      }
      return e;
    }
    if (auto* c = dynamic_cast<P::ColumnRefContext*>(ctx)) {
      auto e = New(AstExpr::Kind::kColumnRef, ctx);
      auto ids = c->identifier();
      if (ids.size() == 2) {
        e->qualifier = Ident(ids[0]);
        e->name = Ident(ids[1]);
      } else {
        e->name = Ident(ids[0]);
      }
      return e;
    }
    if (auto* c = dynamic_cast<P::SubqueryPrimaryContext*>(ctx)) {
      auto e = New(AstExpr::Kind::kSubquery, ctx);
      e->subquery = Query(c->query());
      return e;
    }
    return Expr(dynamic_cast<P::ParenPrimaryContext*>(ctx)->expr());
  }

  antlr4::CharStream* input_;
};

}  // namespace

std::vector<ParsedStatement> ParseScript(std::string_view sql) {
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

}  // namespace sql
