// What a document encodes: its articles by disposition (the counts of the coverage ledger) and its
// rules by benefit. One count, read by `rules --coverage` (docs/coverage.md) and `documents`.
#pragma once

#include <array>
#include <iterator>

#include "core/model.h"

namespace subsidy {

// Whether a rule states an amount (exact, or a minimum): what makes its article "encoded".
bool states_amount(const Rule& rule);

struct DocumentCoverage {
  int articles = 0;
  int encoded = 0;      // articles with a rule that states an amount
  int unspecified = 0;  // articles whose rules establish eligibility or only a maximum
  int not_payable = 0;  // articles without payment terms (Article::not_payable says why)
  std::array<int, std::size(kBenefits)> rules_by_benefit{};  // by position in kBenefits
  int rules = 0;
};

DocumentCoverage document_coverage(const Document& doc);

}  // namespace subsidy
