#include "server/dml_executor.h"

#include "ivm/cast.h"
#include "ivm/error.h"
#include "server/query_executor.h"
#include "storage/relation_store.h"

namespace server {
namespace {

const sql::RelationInfo& Table(const sql::Catalog& catalog, uint64_t id) {
  const sql::RelationInfo* rel = catalog.FindById(id);
  if (!rel) throw ivm::Error(ivm::sqlstate::kUndefinedTable, "the table was dropped");
  return *rel;
}

}  // namespace

std::string RowText(const ivm::Row& row) {
  std::string s = "(";
  for (size_t i = 0; i < row.size(); ++i) {
    if (i) s += ", ";
    s += row[i].is_null() ? "null" : row[i].ToText();
  }
  return s + ")";
}

void CheckNotNull(const sql::RelationInfo& table, const ivm::Row& row) {
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i].not_null && row[i].is_null()) {
      throw ivm::Error(ivm::sqlstate::kNotNullViolation,
                       "null value in column \"" + table.columns[i].name + "\" of relation \"" +
                           table.name + "\" violates not-null constraint",
                       "Failing row contains " + RowText(row) + ".");
    }
  }
}

void DmlExecutor::Record(uint64_t table_id, ivm::Row row, int64_t weight) {
  (*deltas_)[table_id].Add(std::move(row), weight);
  if (propagate_ && ++recorded_ >= kRowsPerPropagation) {
    propagate_();
    recorded_ = 0;
  }
}

void DmlExecutor::PrepareRow(const sql::RelationInfo& table, ivm::Row* row) const {
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const sql::ColumnInfo& column = table.columns[i];
    (*row)[i] = ivm::CastValue((*row)[i], column.type, ivm::CastKind::kAssignment);
  }
  CheckNotNull(table, *row);
}

void DmlExecutor::InsertRow(const sql::RelationInfo& table, ivm::Row row, int64_t weight) {
  storage::RelationStore store(table.id, table.primary_key);
  if (table.primary_key.empty()) {
    ivm::ZSet delta;  // a multiset: the stored count of the row goes up by `weight`
    delta.Add(row, weight);
    store.Apply(batch_, delta);
  } else {
    std::string value;
    if (batch_.Get(store.RowKey(row), &value)) {
      std::string names, values;
      for (size_t k = 0; k < table.primary_key.size(); ++k) {
        if (k) {
          names += ", ";
          values += ", ";
        }
        names += table.columns[table.primary_key[k]].name;
        values += row[table.primary_key[k]].ToText();
      }
      throw ivm::Error(ivm::sqlstate::kUniqueViolation,
                       "duplicate key value violates unique constraint \"" + table.name + "_pkey\"",
                       "Key (" + names + ")=(" + values + ") already exists.");
    }
    store.PutKeyed(batch_, row);  // a key holds one row: `weight` is 1
  }
  Record(table.id, std::move(row), weight);
}

int64_t DmlExecutor::Insert(const sql::BoundInsert& insert) {
  const sql::RelationInfo& table = Table(catalog_, insert.table_id);
  auto insert_row = [&](ivm::Row row) {
    PrepareRow(table, &row);
    InsertRow(table, std::move(row), 1);
  };
  if (!insert.query) {
    for (const auto& exprs : insert.rows) {
      ivm::Row row;
      for (const ivm::ExprPtr& e : exprs) row.push_back(e->Eval({}));
      insert_row(std::move(row));
    }
    return static_cast<int64_t>(insert.rows.size());
  }
  // Each query row is released as soon as it is inserted.
  auto insert_result = [&](std::vector<ivm::Row> result) {
    for (ivm::Row& source : result) {
      ivm::Row row;
      row.reserve(table.columns.size());
      for (size_t i = 0; i < table.columns.size(); ++i) {
        const int from = insert.query_columns[i];
        row.push_back(from < 0 ? ivm::Value::Null(table.columns[i].type.id) : source[from]);
      }
      ivm::Row().swap(source);
      insert_row(std::move(row));
    }
    return static_cast<int64_t>(result.size());
  };
  // The statement's first write in its step may insert a query's rows as it reads them a
  // chunk of one relation at a time (QueryStream), holding a chunk rather than the whole
  // result: it reads the database as the step found it, so it sees none of the rows it
  // inserts, not even from its own table. Otherwise the result is made whole first.
  if (std::unique_ptr<storage::Snapshot> before = batch_.SnapshotWhileEmpty()) {
    const std::vector<ivm::Value>* parameters = ivm::ParameterValues::Current();
    if (std::unique_ptr<QueryStream> stream =
            QueryStream::Open(*insert.query, catalog_, *before,
                              parameters ? *parameters : std::vector<ivm::Value>{})) {
      int64_t count = 0;
      while (!stream->finished()) count += insert_result(stream->Next());
      return count;
    }
  }
  return insert_result(RunQuery(*insert.query, catalog_, batch_));
}

std::vector<ivm::ZSetEntry> DmlExecutor::MatchingRows(const sql::RelationInfo& table,
                                                      const sql::BoundModify& stmt) {
  storage::RelationStore store(table.id, table.primary_key);
  std::vector<ivm::ZSetEntry> rows;
  auto consider = [&](const ivm::Row& row, int64_t weight) {
    if (!stmt.where || ivm::IsTrue(stmt.where->Eval(row))) rows.push_back({row, weight});
    return true;
  };
  if (stmt.key_lookup) {
    // WHERE pins the whole primary key: one lookup instead of a scan.
    if (!stmt.key_lookup->empty()) {
      if (auto row = store.Lookup(batch_, *stmt.key_lookup)) consider(*row, 1);
    }
  } else {
    store.Scan(batch_, consider);
  }
  return rows;
}

int64_t DmlExecutor::Update(const sql::BoundModify& update) {
  const sql::RelationInfo& table = Table(catalog_, update.table_id);
  storage::RelationStore store(table.id, table.primary_key);
  std::vector<ivm::ZSetEntry> old_rows = MatchingRows(table, update);
  std::vector<ivm::ZSetEntry> new_rows;
  int64_t count = 0;
  for (const ivm::ZSetEntry& e : old_rows) {
    ivm::Row row = e.row;
    for (const auto& [column, expr] : update.assignments) row[column] = expr->Eval(e.row);
    PrepareRow(table, &row);
    new_rows.push_back({std::move(row), e.weight});
    count += e.weight;
  }
  // Remove every old row first so keys may move between rows within one statement.
  ivm::ZSet removed;
  for (const ivm::ZSetEntry& e : old_rows) removed.Add(e.row, -e.weight);
  store.Apply(batch_, removed);
  for (ivm::ZSetEntry& e : old_rows) Record(table.id, std::move(e.row), -e.weight);
  for (ivm::ZSetEntry& e : new_rows) InsertRow(table, std::move(e.row), e.weight);
  return count;
}

int64_t DmlExecutor::Delete(const sql::BoundModify& del) {
  const sql::RelationInfo& table = Table(catalog_, del.table_id);
  storage::RelationStore store(table.id, table.primary_key);
  std::vector<ivm::ZSetEntry> rows = MatchingRows(table, del);
  ivm::ZSet removed;
  int64_t count = 0;
  for (const ivm::ZSetEntry& e : rows) {
    removed.Add(e.row, -e.weight);
    count += e.weight;
  }
  store.Apply(batch_, removed);
  for (ivm::ZSetEntry& e : rows) Record(table.id, std::move(e.row), -e.weight);
  return count;
}

}  // namespace server
