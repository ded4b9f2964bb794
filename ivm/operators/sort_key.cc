#include "ivm/operators/sort_key.h"

#include "ivm/row_codec.h"

namespace ivm {

void AppendSortKey(const std::vector<SortSpec>& specs, const Row& row, std::string* out) {
  std::string encoded;
  for (const SortSpec& spec : specs) {
    Value v = spec.expr->Eval(row);
    if (v.is_null()) {
      out->push_back(spec.nulls_first ? 0x00 : 0x02);
      continue;
    }
    out->push_back(0x01);
    encoded.clear();
    EncodeKeyValue(v, &encoded);
    // The encoding is prefix-free, so inverting its bytes reverses its order.
    if (spec.descending) {
      for (char& c : encoded) c = static_cast<char>(~static_cast<unsigned char>(c));
    }
    out->append(encoded);
  }
}

std::string DescribeSort(const std::vector<SortSpec>& specs) {
  std::string s;
  for (size_t i = 0; i < specs.size(); ++i) {
    if (i) s += ", ";
    s += specs[i].expr->ToString();
    if (specs[i].descending) s += " DESC";
    if (specs[i].nulls_first != specs[i].descending)
      s += specs[i].nulls_first ? " NULLS FIRST" : " NULLS LAST";
  }
  return s;
}

}  // namespace ivm
