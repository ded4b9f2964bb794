// Subqueries run per row. A one-shot query's subquery that reads columns of its
// enclosing row (a correlated subquery), or that is used as an array, is an expression
// (ExprKind::kSubquery) whose arguments are those outer values; its plan is opaque here
// (sql/ builds it, server/ runs it). Inside the subquery, ExprKind::kOuterColumn reads the
// outer values of the run in progress.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ivm/expression.h"

namespace ivm {

// A subquery's plan; sql::SubqueryQuery holds the bound query behind it.
class SubqueryPlan {
 public:
  virtual ~SubqueryPlan() = default;
  // The subquery as written, for EXPLAIN (and telling subqueries apart by their text).
  virtual std::string Describe() const = 0;
};

enum class SubqueryMode {
  kScalar,  // (SELECT x ...): NULL for no row, 21000 for more than one
  kExists,  // EXISTS (SELECT ...)
  kArray,   // ARRAY(SELECT x ...): the column's values, in the subquery's order
};

// Runs subquery plans for the thread that installed it (the executor of a one-shot query).
class SubqueryRunner {
 public:
  virtual ~SubqueryRunner() = default;
  // The rows of `plan` (its visible columns) with `outer` as its outer values.
  virtual std::vector<Row> Run(const SubqueryPlan& plan, const std::vector<Value>& outer) = 0;

  // Installs `runner` for the calling thread until the returned scope ends.
  class Scope {
   public:
    explicit Scope(SubqueryRunner* runner);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    SubqueryRunner* outer_;
  };
  static SubqueryRunner* Current();
};

// The outer values of the subquery run in progress on the calling thread.
// REQUIRES: `values` outlives the scope.
class OuterValues {
 public:
  explicit OuterValues(const std::vector<Value>* values);
  ~OuterValues();
  OuterValues(const OuterValues&) = delete;
  OuterValues& operator=(const OuterValues&) = delete;

  static const std::vector<Value>* Current();

 private:
  const std::vector<Value>* outer_;
};

// `outer_args`: expressions over the enclosing row giving the subquery's outer values.
ExprPtr MakeSubquery(std::shared_ptr<const SubqueryPlan> plan, SubqueryMode mode,
                     std::vector<ExprPtr> outer_args, Type type);
// Outer value `index` of the run in progress.
ExprPtr MakeOuterColumn(int index, Type type);

// Evaluation of kSubquery and kOuterColumn (called by Expr::Eval).
Value EvalSubquery(const Expr& e, const Row& row);
Value EvalOuterColumn(const Expr& e);

}  // namespace ivm
