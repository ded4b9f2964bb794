// Building statements, queries and FROM clauses from the parse tree.
#include "sql/ast_builder.h"

#include <cctype>

#include "ivm/error.h"

namespace sql {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<ParsedStatement> AstBuilder::Script(P::ScriptContext* ctx) {
  std::vector<ParsedStatement> result;
  for (P::StatementContext* s : ctx->statement()) {
    ParsedStatement& parsed = result.emplace_back();
    parsed.statement = Statement(s);
    parsed.text = Text(s);
  }
  return result;
}

std::string AstBuilder::Text(antlr4::ParserRuleContext* ctx) const {
  return input_->getText(
      antlr4::misc::Interval(ctx->start->getStartIndex(), ctx->stop->getStopIndex()));
}

std::string AstBuilder::Ident(P::IdentifierContext* ctx) const {
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

QualifiedName AstBuilder::Name(P::QualifiedNameContext* ctx) const {
  auto ids = ctx->identifier();
  if (ids.size() == 2) return {Ident(ids[0]), Ident(ids[1])};
  return {"", Ident(ids[0])};
}

std::string AstBuilder::StringLiteral(const std::string& raw) {
  std::string out;
  if (raw[0] == 'e' || raw[0] == 'E') {  // E'...': backslash escapes
    for (size_t i = 2; i + 1 < raw.size(); ++i) {
      char c = raw[i];
      if (c == '\'' ) {
        out.push_back(c);
        ++i;  // '' is one quote
      } else if (c == '\\' && i + 2 < raw.size()) {
        char n = raw[++i];
        out.push_back(n == 'n' ? '\n' : n == 't' ? '\t' : n == 'r' ? '\r' : n == 'b' ? '\b'
                                                   : n == 'f' ? '\f' : n);
      } else {
        out.push_back(c);
      }
    }
    return out;
  }
  for (size_t i = 1; i + 1 < raw.size(); ++i) {
    out.push_back(raw[i]);
    if (raw[i] == '\'') ++i;  // '' is one quote
  }
  return out;
}

AstType AstBuilder::Type(P::TypeNameContext* ctx) const {
  AstType type;
  if (ctx->DOUBLE()) {
    type.name = "double precision";
  } else if (ctx->CHARACTER()) {
    type.name = "varchar";
  } else {
    // pg_catalog.text is text; a quoted "char" is PostgreSQL's one-byte type.
    type.name = ctx->name->QUOTED_IDENTIFIER() ? "\"" + Ident(ctx->name) + "\""
                                               : Lower(ctx->name->getText());
    if (ctx->WITH()) type.name += " with time zone";
  }
  if (ctx->LBRACKET()) type.name += "[]";
  if (auto* args = ctx->typeArguments()) {
    for (auto* n : args->INTEGER_LITERAL()) type.args.push_back(std::stoi(n->getText()));
  }
  return type;
}

::sql::Statement AstBuilder::Statement(P::StatementContext* ctx) {
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
  if (auto* c = ctx->setVariable()) return SetVariable(c);
  if (auto* c = ctx->showVariable()) {
    ShowStmt stmt;
    stmt.name = c->ALL()           ? "all"
                : c->ZONE()        ? "timezone"
                : c->ISOLATION()   ? "transaction_isolation"
                                   : SettingName(c->settingName());
    return stmt;
  }
  if (auto* c = ctx->transactionControl()) {
    TransactionStmt stmt;
    if (c->COMMIT() || c->END()) {
      stmt.kind = TransactionStmt::Kind::kCommit;
    } else if (c->ROLLBACK() || c->ABORT()) {
      stmt.kind = TransactionStmt::Kind::kRollback;
    }
    stmt.chain = c->CHAIN() && !c->NO();
    for (auto* mode : c->transactionMode()) {
      if (mode->ONLY()) stmt.read_only = true;
      if (mode->WRITE()) stmt.read_only = false;
    }
    return stmt;
  }
  if (auto* c = ctx->copy()) return Copy(c);
  if (auto* c = ctx->discard()) {
    return DiscardStmt{c->ALL() ? "all" : Lower(Ident(c->identifier()))};
  }
  if (auto* c = ctx->roleStatement()) return RoleStatement(c);
  if (auto* c = ctx->privilegeStatement()) return Grant(c);
  return SelectStmt{Query(ctx->query())};
}

RoleOptions AstBuilder::Options(const std::vector<P::RoleOptionContext*>& options) {
  RoleOptions out;
  for (auto* o : options) {
    if (o->LOGIN() || o->NOLOGIN()) out.login = o->LOGIN() != nullptr;
    if (o->SUPERUSER() || o->NOSUPERUSER()) out.superuser = o->SUPERUSER() != nullptr;
    if (o->PASSWORD()) {
      out.set_password = true;
      out.password.reset();
      if (o->STRING_LITERAL()) out.password = StringLiteral(o->STRING_LITERAL()->getText());
    }
  }
  return out;
}

::sql::Statement AstBuilder::RoleStatement(P::RoleStatementContext* ctx) {
  if (auto* c = dynamic_cast<P::CreateRoleContext*>(ctx)) {
    CreateRoleStmt stmt;
    stmt.name = Ident(c->identifier());
    stmt.is_user = c->USER() != nullptr;
    stmt.options = Options(c->roleOption());
    return stmt;
  }
  if (auto* c = dynamic_cast<P::AlterRoleContext*>(ctx)) {
    AlterRoleStmt stmt;
    stmt.name = Ident(c->identifier());
    stmt.options = Options(c->roleOption());
    return stmt;
  }
  if (auto* c = dynamic_cast<P::RenameRoleContext*>(ctx)) {
    AlterRoleStmt stmt;
    stmt.name = Ident(c->identifier(0));
    stmt.rename_to = Ident(c->identifier(1));
    return stmt;
  }
  auto* c = dynamic_cast<P::DropRoleContext*>(ctx);
  DropRoleStmt stmt;
  stmt.if_exists = c->EXISTS() != nullptr;
  for (auto* id : c->identifier()) stmt.names.push_back(Ident(id));
  return stmt;
}

GrantStmt AstBuilder::Grant(P::PrivilegeStatementContext* ctx) {
  GrantStmt stmt;
  P::PrivilegeTargetContext* target = nullptr;
  std::vector<P::GranteeContext*> grantees;
  if (auto* c = dynamic_cast<P::GrantContext*>(ctx)) {
    target = c->privilegeTarget();
    grantees = c->grantee();
  } else {
    auto* r = dynamic_cast<P::RevokeContext*>(ctx);
    stmt.revoke = true;
    target = r->privilegeTarget();
    grantees = r->grantee();
  }
  if (target->SCHEMA()) {
    stmt.all_tables_in_schema = Ident(target->identifier());
  } else {
    for (auto* name : target->qualifiedName()) stmt.relations.push_back(Name(name));
  }
  for (auto* g : grantees) stmt.grantees.push_back(g->PUBLIC() ? "public" : Ident(g->identifier()));
  return stmt;
}

std::string AstBuilder::SettingName(P::SettingNameContext* ctx) {
  std::string name;
  for (auto* id : ctx->identifier()) name += (name.empty() ? "" : ".") + Lower(Ident(id));
  return name;
}

SetStmt AstBuilder::SetVariable(P::SetVariableContext* ctx) {
  SetStmt stmt;
  auto value_of = [&](P::SettingValueContext* v) {
    if (v->DEFAULT()) {
      stmt.to_default = true;
      return std::string();
    }
    if (v->STRING_LITERAL()) return Unquote(v->getText(), '\'');
    if (v->identifier()) return Ident(v->identifier());
    return Lower(v->getText());
  };
  if (auto* set = dynamic_cast<P::SetSettingContext*>(ctx)) {
    stmt.name = SettingName(set->settingName());
    stmt.local = set->LOCAL() != nullptr;
    for (auto* v : set->settingValue()) stmt.values.push_back(value_of(v));
  } else if (auto* role = dynamic_cast<P::SetRoleContext*>(ctx)) {
    stmt.name = "role";
    stmt.local = role->LOCAL() != nullptr;
    stmt.values.push_back(value_of(role->settingValue()));
  } else if (auto* zone = dynamic_cast<P::SetTimeZoneContext*>(ctx)) {
    stmt.name = "timezone";
    stmt.local = zone->LOCAL() != nullptr;
    std::string v = value_of(zone->settingValue());
    // SET TIME ZONE LOCAL means the server's default, as DEFAULT does.
    if (v == "local") stmt.to_default = true;
    if (!stmt.to_default) stmt.values.push_back(v);
  } else {
    auto* reset = dynamic_cast<P::ResetSettingContext*>(ctx);
    stmt.name = reset->ALL() ? "all" : SettingName(reset->settingName());
    stmt.to_default = true;
    stmt.reset = true;
  }
  if (stmt.to_default) stmt.values.clear();
  return stmt;
}

std::string AstBuilder::Unquote(const std::string& raw, char quote) {
  std::string out;
  for (size_t i = 1; i + 1 < raw.size(); ++i) {
    out.push_back(raw[i]);
    if (raw[i] == quote) ++i;  // a doubled quote is one quote
  }
  return out;
}

AstOption AstBuilder::Option(P::OptionContext* ctx) {
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
std::string AstBuilder::PropertyString(const std::string& raw) {
  std::string out;
  for (size_t i = 1; i + 1 < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 2 < raw.size()) ++i;
    out.push_back(raw[i]);
  }
  return out;
}

std::vector<AstOption> AstBuilder::Properties(P::PropertyListContext* ctx) {
  std::vector<AstOption> out;
  for (auto* p : ctx->property()) {
    out.push_back({PropertyString(p->key->getText()), PropertyString(p->value->getText()), true});
  }
  return out;
}

CreateRoutineLoadStmt AstBuilder::RoutineLoad(P::CreateRoutineLoadContext* ctx) {
  CreateRoutineLoadStmt stmt;
  stmt.job = Name(ctx->job);
  stmt.table = Name(ctx->table);
  for (auto* id : ctx->identifier()) stmt.columns.push_back(Ident(id));
  auto lists = ctx->propertyList();
  if (ctx->PROPERTIES()) stmt.properties = Properties(lists[0]);
  stmt.kafka = Properties(lists.back());
  return stmt;
}

RoutineLoadControlStmt AstBuilder::RoutineLoadControl(P::RoutineLoadControlContext* ctx) {
  RoutineLoadControlStmt stmt;
  if (auto* show = dynamic_cast<P::ShowRoutineLoadContext*>(ctx)) {
    if (show->qualifiedName()) stmt.job = Name(show->qualifiedName());
    return stmt;
  }
  auto* control = dynamic_cast<P::ControlRoutineLoadContext*>(ctx);
  stmt.action = control->action->getType() == P::PAUSE    ? RoutineLoadControlStmt::Action::kPause
                : control->action->getType() == P::RESUME ? RoutineLoadControlStmt::Action::kResume
                                                          : RoutineLoadControlStmt::Action::kStop;
  stmt.job = Name(control->qualifiedName());
  return stmt;
}

CreateTableStmt AstBuilder::CreateTable(P::CreateTableContext* ctx) {
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

CreateMaterializedViewStmt AstBuilder::CreateView(P::CreateMaterializedViewContext* ctx) {
  CreateMaterializedViewStmt stmt;
  stmt.name = Name(ctx->qualifiedName());
  stmt.materialized = ctx->MATERIALIZED() != nullptr;
  stmt.if_not_exists = ctx->IF() != nullptr;
  for (auto* id : ctx->identifier()) stmt.column_names.push_back(Ident(id));
  stmt.query = Query(ctx->query());
  return stmt;
}

DropStmt AstBuilder::Drop(P::DropContext* ctx) {
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

InsertStmt AstBuilder::Insert(P::InsertContext* ctx) {
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

UpdateStmt AstBuilder::Update(P::UpdateContext* ctx) {
  UpdateStmt stmt;
  stmt.table = Name(ctx->qualifiedName());
  if (ctx->identifier()) stmt.alias = Ident(ctx->identifier());
  for (auto* a : ctx->assignment()) {
    stmt.assignments.emplace_back(Ident(a->identifier()), Expr(a->expr()));
  }
  if (ctx->expr()) stmt.where = Expr(ctx->expr());
  return stmt;
}

DeleteStmt AstBuilder::Delete(P::Delete_Context* ctx) {
  DeleteStmt stmt;
  stmt.table = Name(ctx->qualifiedName());
  if (ctx->identifier()) stmt.alias = Ident(ctx->identifier());
  if (ctx->expr()) stmt.where = Expr(ctx->expr());
  return stmt;
}

ExplainStmt AstBuilder::Explain(P::ExplainContext* ctx) {
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

AstOrderItem AstBuilder::OrderItem(P::OrderItemContext* item) {
  AstOrderItem order;
  order.expr = Expr(item->expr());
  order.descending = item->DESC() != nullptr;
  if (item->NULLS()) order.nulls_first = item->FIRST() != nullptr;
  return order;
}

std::shared_ptr<AstQuery> AstBuilder::Query(P::QueryContext* ctx) {
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

AstQueryBody AstBuilder::Body(P::QueryBodyContext* ctx) {
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

AstSelect AstBuilder::Select(P::SelectContext* ctx) {
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
      if (auto* label = e->colLabel()) {
        out.alias = label->identifier() ? Ident(label->identifier()) : Lower(label->getText());
      }
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

AstFromItemPtr AstBuilder::TableRef(P::TableRefContext* ctx) {
  auto item = std::make_shared<AstFromItem>();
  auto column_aliases = [&](P::ColumnAliasesContext* aliases) {
    if (!aliases) return;
    for (auto* id : aliases->identifier()) item->column_aliases.push_back(Ident(id));
  };
  if (auto* fn = dynamic_cast<P::TableFunctionContext*>(ctx)) {
    item->kind = AstFromItem::Kind::kFunction;
    if (fn->schema) item->schema = Ident(fn->schema);
    item->name = Ident(fn->name);
    if (fn->alias) item->alias = Ident(fn->alias);
    column_aliases(fn->columnAliases());
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
    column_aliases(sub->columnAliases());
  }
  return item;
}

AstFromItemPtr AstBuilder::FromItem(P::FromItemContext* ctx) {
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

}  // namespace sql
