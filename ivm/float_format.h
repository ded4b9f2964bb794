// PostgreSQL 15's text forms of float8 and float4 with extra_float_digits = 1 (the default):
// shortest round-trip digits laid out as PostgreSQL does. Parsing follows float8in/float4in:
// bad text throws 22P02, a value out of range throws 22003.
#pragma once

#include <string>
#include <string_view>

namespace ivm {

// "1e+15", "100000000000000", "0.0001", "1e-05", "-0", "Infinity", "-Infinity", "NaN".
std::string FormatFloat8(double v);
// Like FormatFloat8 but shortest float digits, and exponent notation from 1e+06 up.
std::string FormatFloat4(float v);
// Append forms, for building rows and wire messages without temporaries.
void AppendFloat8(double v, std::string* out);
void AppendFloat4(float v, std::string* out);

// Leading/trailing whitespace, NaN, [+-]Infinity and [+-]inf (any case) are accepted, and
// whatever C's strtod accepts (hex floats too, as in PostgreSQL on glibc).
double ParseFloat8(std::string_view text);
float ParseFloat4(std::string_view text);

}  // namespace ivm
