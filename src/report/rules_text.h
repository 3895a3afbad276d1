// Renderers for the rules themselves (not for a profile's report): the rule list, one rule in
// full, and the coverage ledger that accounts for every article of every document.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace subsidy {

struct RuleFilter {
  std::string region;                      // a region code: its documents and its parent's
  const CategoryName* category = nullptr;  // only this category; null: any
  std::string search;  // substring of id, title (zh or en), quote or document number
};

// The rules that pass `filter`, with their documents, in rule-file order.
struct RuleRef {
  const Document* document = nullptr;
  const Rule* rule = nullptr;
};
std::vector<RuleRef> select_rules(const RuleSet& rules, const RuleFilter& filter);

// One line per matching rule: id, document number, article, title, kind of amount.
std::string render_rule_list(const RuleSet& rules, const RuleFilter& filter, Lang lang);
// The same as stable JSON (docs/api.md): {"rules_version", "count", "rules": [{"id", "document",
// "document_number", "region", "article", "title_zh", "title_en", "category", "category_zh",
// "category_en", "benefit", "amount_zh", "amount_en"}]}.
std::string render_rule_list_json(const RuleSet& rules, const RuleFilter& filter);
// One rule as JSON: the list's fields, its "quote", and render_rule's "text" in `lang`; empty if
// unknown.
std::string render_rule_json(const RuleSet& rules, const std::string& id, Lang lang);
// Everything about one rule: document, article, quote, applicants, condition and formula in
// readable notation, caps, rounding, payers, groups and interpretations. Empty if unknown.
std::string render_rule(const RuleSet& rules, const std::string& id, Lang lang);
// docs/coverage.md: per document, every article in order with its disposition.
std::string render_coverage(const RuleSet& rules);
// docs/rules.md's payer table (markdown), from kPayers: a test keeps the two the same.
std::string render_payer_table();

// Readable notation of a formula or condition, e.g. "mul(6%, tech_upgrade_investment[Y])".
std::string expr_text(const Expr& e, const Vocabulary& vocabulary, const FactDecl* list = nullptr);
std::string cond_text(const Cond& c, const Vocabulary& vocabulary, const FactDecl* list = nullptr);

}  // namespace subsidy
