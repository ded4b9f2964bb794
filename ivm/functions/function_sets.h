// The groups of scalar functions the registry is built from, one per file.
#pragma once

#include <span>
#include <vector>

#include "ivm/functions/scalar_function.h"

namespace ivm {

void AddStringFunctions(std::vector<ScalarFunction>* out);
void AddNumericFunctions(std::vector<ScalarFunction>* out);
void AddDatetimeFunctions(std::vector<ScalarFunction>* out);
void AddDatetimeOperators(std::vector<ScalarFunction>* out);
void AddToCharFunctions(std::vector<ScalarFunction>* out);
void AddVolatileFunctions(std::vector<ScalarFunction>* out);
void AddCatalogFunctions(std::vector<ScalarFunction>* out);
void AddArrayFunctions(std::vector<ScalarFunction>* out);
void AddQuoteFunctions(std::vector<ScalarFunction>* out);
void AddSizeFunctions(std::vector<ScalarFunction>* out);

// PostgreSQL's reserved key words (pg_get_keywords' category R): quote_ident quotes them.
std::span<const char* const> ReservedKeywords();

}  // namespace ivm
