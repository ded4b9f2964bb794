#include "ivm/functions/function_registry.h"

#include "ivm/functions/function_sets.h"

namespace ivm {
namespace {

// PostgreSQL's type categories (pg_type.typcategory) and preferred types.
enum class Category { kUnknown, kBool, kNumeric, kString, kDateTime, kTimespan, kUserDefined };

Category CategoryOf(TypeId id) {
  switch (id) {
    case TypeId::kBool:
      return Category::kBool;
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kFloat32:
    case TypeId::kFloat64:
    case TypeId::kNumeric:
      return Category::kNumeric;
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kChar:
      return Category::kString;
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return Category::kDateTime;
    case TypeId::kInterval:
      return Category::kTimespan;
    case TypeId::kBytea:  // typcategory 'U', as in PostgreSQL
    case TypeId::kArray:  // 'A' and 'P' in PostgreSQL; only arrays meet arrays here
    case TypeId::kRecord:
      return Category::kUserDefined;
    case TypeId::kUnknown:
      break;
  }
  return Category::kUnknown;
}

bool IsPreferred(TypeId id) {
  return id == TypeId::kFloat64 || id == TypeId::kText || id == TypeId::kTimestampTz ||
         id == TypeId::kInterval || id == TypeId::kBool;
}

std::vector<ScalarFunction> BuildRegistry() {
  std::vector<ScalarFunction> all;
  AddStringFunctions(&all);
  AddNumericFunctions(&all);
  AddDatetimeFunctions(&all);
  AddDatetimeOperators(&all);
  AddToCharFunctions(&all);
  AddVolatileFunctions(&all);
  AddCatalogFunctions(&all);
  AddArrayFunctions(&all);
  AddQuoteFunctions(&all);
  AddSizeFunctions(&all);
  return all;
}

bool Accepts(const ScalarFunction& f, const std::vector<TypeId>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (!CanCoerceImplicitly(args[i], f.params[i])) return false;
  }
  return true;
}

using Candidates = std::vector<const ScalarFunction*>;

// Keeps the candidates scoring highest; keeps all when every score is zero.
template <typename Score>
void KeepBest(Candidates* c, Score score) {
  int best = 0;
  for (const ScalarFunction* f : *c) best = std::max(best, score(*f));
  if (best == 0) return;
  Candidates kept;
  for (const ScalarFunction* f : *c) {
    if (score(*f) == best) kept.push_back(f);
  }
  *c = kept;
}

// The unknown-literal step of func_select_candidate: at each unknown position pick one
// category (string wins a conflict) and keep candidates that agree.
bool ResolveUnknowns(const std::vector<TypeId>& args, Candidates* c) {
  size_t n = args.size();
  std::vector<Category> slot(n, Category::kUnknown);
  std::vector<bool> slot_preferred(n, false);
  bool any_unknown = false;
  for (size_t i = 0; i < n; ++i) {
    if (args[i] != TypeId::kUnknown) continue;
    any_unknown = true;
    bool conflict = false;
    for (const ScalarFunction* f : *c) {
      Category cat = CategoryOf(f->params[i]);
      if (slot[i] == Category::kUnknown) {
        slot[i] = cat;
        slot_preferred[i] = IsPreferred(f->params[i]);
      } else if (cat == slot[i]) {
        slot_preferred[i] = slot_preferred[i] || IsPreferred(f->params[i]);
      } else if (cat == Category::kString) {
        slot[i] = cat;
        slot_preferred[i] = IsPreferred(f->params[i]);
      } else {
        conflict = true;
      }
    }
    if (conflict && slot[i] != Category::kString) return false;
  }
  if (!any_unknown) return false;
  Candidates kept;
  for (const ScalarFunction* f : *c) {
    bool keep = true;
    for (size_t i = 0; i < n && keep; ++i) {
      if (args[i] != TypeId::kUnknown) continue;
      if (CategoryOf(f->params[i]) != slot[i]) keep = false;
      if (slot_preferred[i] && !IsPreferred(f->params[i])) keep = false;
    }
    if (keep) kept.push_back(f);
  }
  if (!kept.empty()) *c = kept;
  return true;
}

}  // namespace

const std::vector<ScalarFunction>& ScalarFunctions() {
  static const std::vector<ScalarFunction> registry = BuildRegistry();
  return registry;
}

bool FunctionNameExists(std::string_view name) {
  for (const ScalarFunction& f : ScalarFunctions()) {
    if (f.name == name) return true;
  }
  return false;
}

bool SameTypeCategory(TypeId a, TypeId b) { return CategoryOf(a) == CategoryOf(b); }
bool IsPreferredType(TypeId id) { return IsPreferred(id); }

bool CanCoerceImplicitly(TypeId from, TypeId to) {
  if (from == to || from == TypeId::kUnknown) return true;
  switch (from) {
    case TypeId::kInt16:
      return to == TypeId::kInt32 || to == TypeId::kInt64 || to == TypeId::kFloat32 ||
             to == TypeId::kFloat64 || to == TypeId::kNumeric;
    case TypeId::kInt32:
      return to == TypeId::kInt64 || to == TypeId::kFloat32 || to == TypeId::kFloat64 ||
             to == TypeId::kNumeric;
    case TypeId::kInt64:
      return to == TypeId::kFloat32 || to == TypeId::kFloat64 || to == TypeId::kNumeric;
    case TypeId::kFloat32:
      return to == TypeId::kFloat64;
    case TypeId::kNumeric:
      return to == TypeId::kFloat32 || to == TypeId::kFloat64;
    case TypeId::kText:
      return to == TypeId::kVarchar;
    case TypeId::kVarchar:
      return to == TypeId::kText;
    case TypeId::kChar:
      return to == TypeId::kText || to == TypeId::kVarchar;
    case TypeId::kDate:
      return to == TypeId::kTimestamp || to == TypeId::kTimestampTz;
    case TypeId::kTimestamp:
      return to == TypeId::kTimestampTz;
    default:
      return false;
  }
}

FunctionMatch ResolveFunction(std::string_view name, const std::vector<TypeId>& args,
                              bool is_operator) {
  Candidates c;
  for (const ScalarFunction& f : ScalarFunctions()) {
    if (f.name != name) continue;
    if (f.variadic_any) {
      if (args.size() > f.params.size()) {  // at least one variadic argument
        std::vector<TypeId> fixed(args.begin(), args.begin() + f.params.size());
        if (Accepts(f, fixed)) return {&f, false};
      }
      continue;
    }
    if (f.params.size() != args.size()) continue;
    if (f.params == args) return {&f, false};  // exact match
    c.push_back(&f);
  }
  // Operators: an unknown operand is first taken to be of the other operand's type.
  if (is_operator && args.size() == 2 &&
      (args[0] == TypeId::kUnknown) != (args[1] == TypeId::kUnknown)) {
    TypeId known = args[0] == TypeId::kUnknown ? args[1] : args[0];
    for (const ScalarFunction* f : c) {
      if (f->params[0] == known && f->params[1] == known) return {f, false};
    }
  }
  Candidates coercible;
  for (const ScalarFunction* f : c) {
    if (Accepts(*f, args)) coercible.push_back(f);
  }
  c = coercible;
  if (c.size() <= 1) return {c.empty() ? nullptr : c[0], false};
  size_t n = args.size();
  KeepBest(&c, [&](const ScalarFunction& f) {
    int matches = 0;
    for (size_t i = 0; i < n; ++i) matches += args[i] != TypeId::kUnknown && f.params[i] == args[i];
    return matches;
  });
  if (c.size() == 1) return {c[0], false};
  KeepBest(&c, [&](const ScalarFunction& f) {
    int matches = 0;
    for (size_t i = 0; i < n; ++i) {
      if (args[i] == TypeId::kUnknown) continue;
      bool preferred = IsPreferred(f.params[i]) && CategoryOf(f.params[i]) == CategoryOf(args[i]);
      matches += f.params[i] == args[i] || preferred;
    }
    return matches;
  });
  if (c.size() == 1) return {c[0], false};
  if (ResolveUnknowns(args, &c) && c.size() == 1) return {c[0], false};
  // Last gasp: all known arguments share one type; try it for the unknown ones too.
  TypeId known = TypeId::kUnknown;
  bool one_known_type = true;
  for (TypeId t : args) {
    if (t == TypeId::kUnknown) continue;
    if (known != TypeId::kUnknown && known != t) one_known_type = false;
    known = t;
  }
  if (one_known_type && known != TypeId::kUnknown) {
    std::vector<TypeId> assumed(n, known);
    const ScalarFunction* only = nullptr;
    int count = 0;
    for (const ScalarFunction* f : c) {
      if (Accepts(*f, assumed)) {
        only = f;
        ++count;
      }
    }
    if (count == 1) return {only, false};
  }
  return {nullptr, true};
}

}  // namespace ivm
