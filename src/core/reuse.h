// Filling a vector again from its start, over what an earlier fill left in it: the elements keep
// their own storage (strings, lists) from fill to fill, so a batch filling the same few vectors
// row after row allocates nothing per row. Header-only, no state.
#pragma once

#include <cstddef>
#include <vector>

namespace subsidy {

// The element at `n` (n ≤ size) to fill: the one an earlier fill left there, or a new one. The
// caller counts the elements it fills and resizes the vector to that count at the end.
template <class T>
T& refill_slot(std::vector<T>& v, std::size_t n) {
  if (n == v.size()) v.emplace_back();
  return v[n];
}

}  // namespace subsidy
