#include "core/coverage.h"

#include <algorithm>

namespace subsidy {

bool states_amount(const Rule& rule) {
  return rule.kind == AmountKind::Exact || rule.kind == AmountKind::Floor;
}

DocumentCoverage document_coverage(const Document& doc) {
  DocumentCoverage c;
  c.articles = static_cast<int>(doc.articles.size());
  for (const Article& a : doc.articles) {
    if (!a.not_payable.empty()) {
      ++c.not_payable;
      continue;
    }
    bool encoded = std::any_of(doc.rules.begin(), doc.rules.end(), [&](const Rule& r) {
      return r.article == a.number && states_amount(r);
    });
    ++(encoded ? c.encoded : c.unspecified);
  }
  for (const Rule& r : doc.rules) {
    ++c.rules_by_benefit[static_cast<std::size_t>(&benefit_info(r.benefit) - kBenefits)];
    ++c.rules;
  }
  return c;
}

}  // namespace subsidy
