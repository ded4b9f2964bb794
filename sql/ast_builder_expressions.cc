// Building expressions from the parse tree.
#include "sql/ast_builder.h"

#include <cctype>

#include "ivm/error.h"
#include "ivm/stack_depth.h"

namespace sql {

AstExprPtr AstBuilder::New(AstExpr::Kind kind, antlr4::ParserRuleContext* ctx) {
  auto e = std::make_shared<AstExpr>();
  e->kind = kind;
  e->text = Text(ctx);
  return e;
}

AstExprPtr AstBuilder::Binary(antlr4::ParserRuleContext* ctx, std::string op, P::ExprContext* l,
                              P::ExprContext* r) {
  auto e = New(AstExpr::Kind::kBinary, ctx);
  e->op = std::move(op);
  e->args = {Expr(l), Expr(r)};
  return e;
}

AstExprPtr AstBuilder::Expr(P::ExprContext* ctx) {
  ivm::CheckStackDepth();
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
  if (auto* c = dynamic_cast<P::BitwiseExprContext*>(ctx)) {
    return Binary(ctx, c->op->getText(), c->expr(0), c->expr(1));
  }
  if (auto* c = dynamic_cast<P::RegexExprContext*>(ctx)) {
    return Binary(ctx, c->regexOperator()->regexSymbol()->getText(), c->expr(0), c->expr(1));
  }
  if (auto* c = dynamic_cast<P::CollateExprContext*>(ctx)) return Expr(c->expr());
  if (auto* c = dynamic_cast<P::SubscriptExprContext*>(ctx)) {
    auto e = New(AstExpr::Kind::kSubscript, ctx);
    e->args = {Expr(c->expr(0)), Expr(c->expr(1))};
    return e;
  }
  if (auto* c = dynamic_cast<P::QuantifiedCompareExprContext*>(ctx)) {
    std::string op = c->op->getText();
    if (op == "!=") op = "<>";
    const bool all = c->quantifier->getType() == P::ALL;
    if (c->query()) {
      // = ANY (subquery) is IN (subquery); <> ALL (subquery) is NOT IN (subquery).
      if (!((op == "=" && !all) || (op == "<>" && all))) {
        throw ivm::Error(ivm::sqlstate::kFeatureNotSupported,
                         "only = ANY and <> ALL are supported over a subquery (they are IN and NOT IN)");
      }
      auto e = New(AstExpr::Kind::kInSubquery, ctx);
      e->negated = all;
      e->args = {Expr(c->expr(0))};
      e->subquery = Query(c->query());
      return e;
    }
    auto e = New(AstExpr::Kind::kQuantified, ctx);
    e->op = op;
    e->name = all ? "all" : "any";
    e->args = {Expr(c->expr(0)), Expr(c->expr(1))};
    return e;
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
AstExprPtr AstBuilder::Bexpr(P::BexprContext* ctx) {
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

AstExprPtr AstBuilder::Primary(P::PrimaryContext* ctx) {
  if (auto* c = dynamic_cast<P::LiteralPrimaryContext*>(ctx)) {
    auto e = New(AstExpr::Kind::kLiteral, ctx);
    auto* lit = c->literal();
    if (lit->INTEGER_LITERAL()) {
      e->literal_kind = AstExpr::LiteralKind::kInteger;
    } else if (lit->DECIMAL_LITERAL()) {
      e->literal_kind = AstExpr::LiteralKind::kDecimal;
    } else if (lit->STRING_LITERAL() || lit->ESCAPE_STRING_LITERAL()) {
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
  if (auto* c = dynamic_cast<P::ParameterPrimaryContext*>(ctx)) {
    auto e = New(AstExpr::Kind::kParameter, ctx);
    const std::string digits = c->PARAM()->getText().substr(1);
    // PostgreSQL's limit on parameters; also keeps the index well inside an int.
    if (digits.size() > 5 || std::stoi(digits) < 1 || std::stoi(digits) > 65535) {
      throw ivm::Error(ivm::sqlstate::kSyntaxError,
                       "parameter number " + digits + " is out of range");
    }
    e->parameter_index = std::stoi(digits) - 1;
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
    e->name = c->name ? Ident(c->name) : (c->LEFT() ? "left" : "right");
    // pg_catalog.f(...) is f(...): every function lives in pg_catalog.
    if (c->schema) e->qualifier = Ident(c->schema);
    e->star = c->STAR() != nullptr;
    e->distinct = c->DISTINCT() != nullptr;
    for (auto* a : c->expr()) e->args.push_back(Expr(a));
    for (auto* item : c->orderItem()) e->order_by.push_back(OrderItem(item));
    if (auto* within = c->withinGroup()) {
      e->within_group = true;
      for (auto* item : within->orderItem()) e->order_by.push_back(OrderItem(item));
    }
    if (auto* over = c->overClause()) {
      e->has_over = true;
      for (auto* p : over->expr()) e->partition_by.push_back(Expr(p));
      for (auto* item : over->orderItem()) e->window_order_by.push_back(OrderItem(item));
      if (auto* f = over->frameClause()) {
        AstWindowFrame frame;
        frame.unit = f->ROWS()   ? AstWindowFrame::Unit::kRows
                     : f->RANGE() ? AstWindowFrame::Unit::kRange
                                  : AstWindowFrame::Unit::kGroups;
        auto bound = [&](P::FrameBoundContext* b) {
          using K = AstFrameBound::Kind;
          AstFrameBound out;
          const bool preceding = b->PRECEDING() != nullptr;
          if (b->UNBOUNDED()) {
            out.kind = preceding ? K::kUnboundedPreceding : K::kUnboundedFollowing;
          } else if (b->CURRENT()) {
            out.kind = K::kCurrentRow;
          } else {
            out.kind = preceding ? K::kPreceding : K::kFollowing;
            out.offset = Expr(b->expr());
          }
          return out;
        };
        std::vector<P::FrameBoundContext*> bounds = f->frameBound();
        frame.start = bound(bounds[0]);
        if (bounds.size() > 1) frame.end = bound(bounds[1]);
        e->frame = frame;
      }
    }
    return e;
  }
  if (auto* c = dynamic_cast<P::ColumnRefContext*>(ctx)) {
    auto e = New(AstExpr::Kind::kColumnRef, ctx);
    auto ids = c->identifier();
    if (ids.size() >= 2) {  // [schema.]table.column: the table names the FROM item
      e->qualifier = Ident(ids[ids.size() - 2]);
      e->name = Ident(ids.back());
    } else {
      e->name = Ident(ids[0]);
    }
    return e;
  }
  if (auto* c = dynamic_cast<P::ArrayPrimaryContext*>(ctx)) {
    auto e = New(AstExpr::Kind::kArray, ctx);
    for (auto* a : c->expr()) e->args.push_back(Expr(a));
    return e;
  }
  if (auto* c = dynamic_cast<P::ArraySubqueryPrimaryContext*>(ctx)) {
    auto e = New(AstExpr::Kind::kArraySubquery, ctx);
    e->subquery = Query(c->query());
    return e;
  }
  if (auto* c = dynamic_cast<P::FieldSelectPrimaryContext*>(ctx)) {
    auto e = New(AstExpr::Kind::kFieldSelect, ctx);
    e->name = Ident(c->identifier());
    e->args = {Expr(c->expr())};
    return e;
  }
  if (auto* c = dynamic_cast<P::SubqueryPrimaryContext*>(ctx)) {
    auto e = New(AstExpr::Kind::kSubquery, ctx);
    e->subquery = Query(c->query());
    return e;
  }
  return Expr(dynamic_cast<P::ParenPrimaryContext*>(ctx)->expr());
}

}  // namespace sql
