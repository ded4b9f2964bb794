// The oracle's random view generator (see query_gen.cc for what it builds).
#pragma once

#include <cstdint>
#include <vector>

#include "tests/oracle/views.h"

namespace tributary_oracle {

// `count` random views named r<seed>_<i>; the same seed gives the same views.
std::vector<ViewDef> RandomViews(uint64_t seed, int count);

}  // namespace tributary_oracle
