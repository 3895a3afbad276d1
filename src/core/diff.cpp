#include "core/diff.h"

#include <map>

namespace subsidy {
namespace {

struct Seen {
  std::string document;
  const RuleResult* result;
};

std::map<std::string, Seen> index(const Report& report) {
  std::map<std::string, Seen> out;
  for (const DocumentResult& d : report.documents) {
    for (const RuleResult& r : d.rules) out[r.rule->id] = Seen{d.document->number, &r};
  }
  return out;
}

std::optional<Decimal> amount_of(const RuleResult& r) {
  bool paid = r.status == Status::Eligible || r.status == Status::Excluded;
  if (paid && (r.rule->kind == AmountKind::Exact || r.rule->kind == AmountKind::Floor))
    return r.amount;
  return std::nullopt;
}

std::map<std::string, Decimal> totals(const Report& report) {
  std::map<std::string, Decimal> out;
  for (const DocumentResult& d : report.documents) out[d.document->number] = d.total;
  return out;
}

}  // namespace

ProfileDiff diff_reports(const std::string& profile, const Report& before, const Report& after) {
  ProfileDiff diff;
  diff.profile = profile;
  diff.total_before = before.total;
  diff.total_after = after.total;
  std::map<std::string, Seen> a = index(before);
  std::map<std::string, Seen> b = index(after);
  std::map<std::string, bool> ids;
  for (const auto& [id, seen] : a) ids[id] = true;
  for (const auto& [id, seen] : b) ids[id] = true;
  for (const auto& [id, unused] : ids) {
    RuleChange c;
    c.rule = id;
    if (auto it = a.find(id); it != a.end()) {
      c.document = it->second.document;
      c.before = std::string(status_name(it->second.result->status));
      c.before_amount = amount_of(*it->second.result);
    }
    if (auto it = b.find(id); it != b.end()) {
      c.document = it->second.document;
      c.after = std::string(status_name(it->second.result->status));
      c.after_amount = amount_of(*it->second.result);
    }
    if (c.before != c.after || c.before_amount != c.after_amount)
      diff.rules.push_back(std::move(c));
  }
  std::map<std::string, Decimal> ta = totals(before);
  std::map<std::string, Decimal> tb = totals(after);
  std::map<std::string, bool> docs;
  for (const auto& [doc, total] : ta) docs[doc] = true;
  for (const auto& [doc, total] : tb) docs[doc] = true;
  for (const auto& [doc, unused] : docs) {
    Decimal x = ta.contains(doc) ? ta[doc] : Decimal();
    Decimal y = tb.contains(doc) ? tb[doc] : Decimal();
    if (x != y) diff.totals.push_back(TotalChange{doc, x, y});
  }
  return diff;
}

}  // namespace subsidy
