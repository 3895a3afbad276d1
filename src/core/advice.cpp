#include "core/advice.h"

#include <algorithm>
#include <map>

namespace subsidy {
namespace {

const Decimal kFen = Decimal::from_units(Decimal::kOne / 100);

std::optional<Decimal> number_at(const Profile& p, int fact, int year, bool per_year) {
  const FactValue& v = p.facts[static_cast<std::size_t>(fact)];
  if (!v.present) return std::nullopt;
  const Scalar* s = per_year ? v.at_year(year) : &v.scalar;
  if (!s) return std::nullopt;
  if (const Decimal* d = std::get_if<Decimal>(s)) return *d;
  return std::nullopt;
}

// The rule's largest possible amount when it can be read off the rule, else nullopt.
std::optional<Decimal> largest(const Rule& rule) {
  if (rule.kind == AmountKind::UpperBound) {
    const Decimal* up_to = constant_number(*rule.up_to);
    return up_to ? std::optional<Decimal>(*up_to) : std::nullopt;
  }
  if (rule.kind == AmountKind::Unspecified) return Decimal();
  if (const Decimal* cap = rule.cap ? constant_number(*rule.cap) : nullptr) return *cap;
  const Expr& f = *rule.formula;
  if (const Decimal* d = constant_number(f)) return *d;
  if (f.op != Op::Lookup && f.op != Op::Brackets) return std::nullopt;
  // The most any row pays, when every row pays a constant.
  std::vector<const Expr*> rows;
  if (f.op == Op::Lookup) {
    rows = f.as<Lookup>().values;
  } else {
    for (const Bracket& b : f.as<Brackets>().rows) rows.push_back(b.then);
  }
  Decimal best;
  for (const Expr* row : rows) {
    const Decimal* d = constant_number(*row);
    if (!d) return std::nullopt;
    best = std::max(best, *d);
  }
  return best;
}

// The value a failed test asks for, when the subject is a fact the applicant can change: a number
// of the policy year (or later) that is known now. Ratios change through their numerator.
struct Target {
  int fact;
  int year;
  bool per_year;
  Decimal to;
  int item = -1;  // a field of item `item` of the list `fact`
  int field = -1;
};

// A number field of a list item, in `year` when the field is per year.
std::optional<Decimal> item_number_at(const Profile& p, int fact, int item, int field, int year,
                                      bool per_year) {
  const FactValue& list = p.facts[static_cast<std::size_t>(fact)];
  if (!list.present || item < 0 || static_cast<std::size_t>(item) >= list.items.size())
    return std::nullopt;
  const FactValue& v = list.items[static_cast<std::size_t>(item)].field(field);
  if (!v.present) return std::nullopt;
  const Scalar* s = per_year ? v.at_year(year) : &v.scalar;
  if (!s) return std::nullopt;
  if (const Decimal* d = std::get_if<Decimal>(s)) return *d;
  return std::nullopt;
}

std::optional<Decimal> value_of(const Profile& p, const Target& t) {
  if (t.item >= 0) return item_number_at(p, t.fact, t.item, t.field, t.year, t.per_year);
  return number_at(p, t.fact, t.year, t.per_year);
}

std::optional<Target> target_for(const Failure& f, const Profile& p, const Vocabulary& v) {
  // Only a lower bound (at least, more than, the lowest bracket) is a value to reach.
  bool lower = f.relation == Relation::AtLeast || f.relation == Relation::MoreThan ||
               f.relation == Relation::Bracket;
  if (!f.subject || !lower || !f.bound) return std::nullopt;
  bool inclusive = f.inclusive;
  const std::optional<Decimal>& bound = f.bound;
  const Expr* subject = f.subject;
  const Expr* denominator = nullptr;
  if (subject->op == Op::Ratio) {
    denominator = subject->as<Ratio>().denominator;
    subject = subject->as<Ratio>().numerator;
  }
  if (subject->op != Op::Fact || subject->as<FactRef>().year < 0) return std::nullopt;
  const FactRef& read = subject->as<FactRef>();
  const FactDecl& decl = v.facts[static_cast<std::size_t>(read.fact)];
  if (decl.type != FactType::Number || !unit_info(decl.unit).amount) return std::nullopt;
  int year = p.policy_year + read.year;
  if (!number_at(p, read.fact, year, decl.per_year)) return std::nullopt;
  Decimal to = *bound;
  if (denominator) {
    if (denominator->op != Op::Fact) return std::nullopt;
    const FactRef& den_read = denominator->as<FactRef>();
    const FactDecl& d = v.facts[static_cast<std::size_t>(den_read.fact)];
    std::optional<Decimal> den =
        number_at(p, den_read.fact, p.policy_year + den_read.year, d.per_year);
    if (!den || den->units() <= 0) return std::nullopt;
    std::optional<Decimal> product = mul(*bound, *den);
    if (!product) return std::nullopt;
    std::optional<Decimal> up = round_to(*product, kFen, Rounding::Up);
    if (!up) return std::nullopt;
    to = *up;
  }
  if (!inclusive) {
    std::optional<Decimal> above = add(to, kFen);
    if (!above) return std::nullopt;
    to = *above;
  }
  return Target{read.fact, year, decl.per_year, to};
}

// The changeable fact a bracket table reads (a number of the policy year or later, known now), as
// for target_for; nullptr otherwise.
const FactRef* changeable_subject(const Expr& of, const Profile& p, const Vocabulary& v) {
  if (of.op != Op::Fact || of.as<FactRef>().year < 0) return nullptr;
  const FactRef& read = of.as<FactRef>();
  const FactDecl& decl = v.facts[static_cast<std::size_t>(read.fact)];
  if (decl.type != FactType::Number || !unit_info(decl.unit).amount) return nullptr;
  if (!number_at(p, read.fact, p.policy_year + read.year, decl.per_year)) return nullptr;
  return &read;
}

// A bracket table and, when it is inside a sum or count over a list, that list fact.
struct Table {
  const Brackets* brackets;
  int list;
};

void collect_brackets(const Expr& e, int list, std::vector<Table>& out) {
  if (e.op == Op::Brackets) out.push_back(Table{&e.as<Brackets>(), list});
  int inner = list_of(e) >= 0 ? list_of(e) : list;
  for_each_part(
      e, [&](const Expr& a) { collect_brackets(a, inner, out); }, [](const Cond&) {});
}

// The smallest lower bound of `t` above `now` (one fen past an exclusive one).
std::optional<Decimal> next_bound(const Brackets& t, const Decimal& now) {
  std::optional<Decimal> best;
  for (const Bracket& b : t.rows) {
    if (!b.lower) continue;
    std::optional<Decimal> to =
        b.lower->inclusive ? std::optional<Decimal>(b.lower->value) : add(b.lower->value, kFen);
    if (to && now < *to && (!best || *to < *best)) best = to;
  }
  return best;
}

// For a table over the items of a list that reads a number field of the item (a project's
// investment): for each item whose field is known, the next bound above its value. Which items
// the sum counts (its `where`) is for the re-evaluation to say.
void item_targets(const Table& t, const Profile& p, const Vocabulary& v, std::vector<Target>& out) {
  if (t.list < 0 || t.brackets->of->op != Op::Item) return;
  const ItemRef& of = t.brackets->of->as<ItemRef>();
  if (of.year < 0 || of.field < 0) return;
  const FactDecl& list = v.facts[static_cast<std::size_t>(t.list)];
  if (list.type != FactType::List || static_cast<std::size_t>(of.field) >= list.fields.size())
    return;
  const FactDecl& decl = list.fields[static_cast<std::size_t>(of.field)];
  if (decl.type != FactType::Number || !unit_info(decl.unit).amount) return;
  int year = p.policy_year + of.year;
  const FactValue& given = p.facts[static_cast<std::size_t>(t.list)];
  if (!given.present) return;
  for (std::size_t i = 0; i < given.items.size(); ++i) {
    int item = static_cast<int>(i);
    std::optional<Decimal> now = item_number_at(p, t.list, item, of.field, year, decl.per_year);
    if (!now) continue;
    std::optional<Decimal> best = next_bound(*t.brackets, *now);
    if (best) out.push_back(Target{t.list, year, decl.per_year, *best, item, of.field});
  }
}

// For a rule that already pays: the smallest value of a fact its bracket tables read that lands in
// a higher bracket than today's (the next lower bound above the value, one fen past an exclusive
// one). Whether that pays more is for the re-evaluation to say: the rates need not rise.
// For tables over a list, the same for each item's field (see item_targets).
std::vector<Target> next_brackets(const Rule& rule, const Profile& p, const Vocabulary& v) {
  std::vector<Table> tables;
  if (rule.formula) collect_brackets(*rule.formula, -1, tables);
  std::vector<Target> out;
  for (const Table& t : tables) {
    if (t.brackets->of->op == Op::Item) {
      item_targets(t, p, v, out);
      continue;
    }
    const FactRef* of = changeable_subject(*t.brackets->of, p, v);
    if (!of) continue;
    const FactDecl& decl = v.facts[static_cast<std::size_t>(of->fact)];
    int year = p.policy_year + of->year;
    Decimal now = *number_at(p, of->fact, year, decl.per_year);
    std::optional<Decimal> best = next_bound(*t.brackets, now);
    if (best) out.push_back(Target{of->fact, year, decl.per_year, *best});
  }
  return out;
}

// For a rule that fails because no item of a list qualifies: the items whose field, read by the
// rule's bracket tables, is below a bound (a project of 195万 where 200万 is the least paid).
std::vector<Target> item_near_misses(const Rule& rule, const Profile& p, const Vocabulary& v) {
  std::vector<Table> tables;
  if (rule.formula) collect_brackets(*rule.formula, -1, tables);
  std::vector<Target> out;
  for (const Table& t : tables) item_targets(t, p, v, out);
  return out;
}

std::map<std::string, Decimal> paid(const Report& r) {
  std::map<std::string, Decimal> out;
  for (const DocumentResult& d : r.documents) {
    for (const RuleResult& rr : d.rules) {
      if (rr.status == Status::Eligible) out[rr.rule->id] = rr.amount;
    }
  }
  return out;
}

}  // namespace

void set_fact(Profile& profile, const Vocabulary& vocabulary, int fact, int year, Scalar value) {
  FactValue& v = profile.facts[static_cast<std::size_t>(fact)];
  v.present = true;
  if (!vocabulary.facts[static_cast<std::size_t>(fact)].per_year) {
    v.scalar = std::move(value);
    return;
  }
  for (auto& [y, s] : v.years) {
    if (y == year) {
      s = std::move(value);
      return;
    }
  }
  v.years.emplace_back(year, std::move(value));
  std::sort(v.years.begin(), v.years.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
}

void set_number(Profile& profile, const Vocabulary& vocabulary, int fact, int year, Decimal value) {
  set_fact(profile, vocabulary, fact, year, Scalar(value));
}

void set_item_number(Profile& profile, const Vocabulary& vocabulary, int fact, int item, int field,
                     int year, Decimal value) {
  FactValue& list = profile.facts[static_cast<std::size_t>(fact)];
  if (item < 0 || static_cast<std::size_t>(item) >= list.items.size()) return;
  const FactDecl& decl = vocabulary.facts[static_cast<std::size_t>(fact)];
  if (field < 0 || static_cast<std::size_t>(field) >= decl.fields.size()) return;
  Item& it = list.items[static_cast<std::size_t>(item)];
  if (it.fields.size() < decl.fields.size()) it.fields.resize(decl.fields.size());
  FactValue& v = it.fields[static_cast<std::size_t>(field)];
  v.present = true;
  if (!decl.fields[static_cast<std::size_t>(field)].per_year) {
    v.scalar = Scalar(value);
    return;
  }
  for (auto& [y, s] : v.years) {
    if (y == year) {
      s = Scalar(value);
      return;
    }
  }
  v.years.emplace_back(year, Scalar(value));
  std::sort(v.years.begin(), v.years.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
}

namespace {

// The profile with one fact changed, re-evaluated: the advice if the rule then pays (more than
// `paid_now`) and the grand total rises; nullopt otherwise.
std::optional<Advice> try_target(const RuleSet& rules, const Profile& profile, const Report& report,
                                 const RuleResult& rr, const Target& t,
                                 const std::map<std::string, Decimal>& before,
                                 std::optional<Decimal> paid_now) {
  Decimal from = *value_of(profile, t);
  if (t.to <= from) return std::nullopt;
  Profile changed = profile;
  if (t.item >= 0) {
    set_item_number(changed, rules.vocabulary(), t.fact, t.item, t.field, t.year, t.to);
  } else {
    set_number(changed, rules.vocabulary(), t.fact, t.year, t.to);
  }
  Report after = evaluate(rules, changed);
  // A total that would overflow is partial: what the change unlocks cannot be told.
  if (after.overflow) return std::nullopt;
  std::map<std::string, Decimal> now = paid(after);
  auto it = now.find(rr.rule->id);
  if (it == now.end()) return std::nullopt;  // another condition stands in the way
  if (paid_now && it->second <= *paid_now) return std::nullopt;
  Advice a;
  a.rule = rr.rule;
  a.fact = t.fact;
  a.item = t.item;
  a.field = t.field;
  a.year = t.year;
  a.from = from;
  a.to = t.to;
  a.pays = it->second;
  a.paid_before = paid_now;
  a.unlocked = sub(after.total, report.total).value_or(Decimal());
  for (const auto& [id, amount] : before) {
    auto n = now.find(id);
    if (n == now.end() || n->second < amount) a.worse.push_back(id);
  }
  if (a.unlocked.units() <= 0) return std::nullopt;
  return a;
}

}  // namespace

std::vector<Advice> advise(const RuleSet& rules, const Profile& profile, const Report& report) {
  std::vector<Advice> out;
  std::map<std::string, Decimal> before = paid(report);
  for (const DocumentResult& d : report.documents) {
    for (const RuleResult& rr : d.rules) {
      if (rr.status == Status::Eligible) {
        for (const Target& t : next_brackets(*rr.rule, profile, rules.vocabulary())) {
          std::optional<Advice> a = try_target(rules, profile, report, rr, t, before, rr.amount);
          if (a) out.push_back(std::move(*a));
        }
        continue;
      }
      if (rr.status != Status::NotEligible || rr.failures.empty()) continue;
      if (rr.failures.front().relation == Relation::Has) {
        // The smallest such change first: one advice per rule.
        std::optional<Advice> best;
        for (const Target& t : item_near_misses(*rr.rule, profile, rules.vocabulary())) {
          std::optional<Advice> a = try_target(rules, profile, report, rr, t, before, std::nullopt);
          if (a && (!best || sub(a->to, a->from).value_or(Decimal()) <
                                 sub(best->to, best->from).value_or(Decimal())))
            best = std::move(a);
        }
        if (best) out.push_back(std::move(*best));
        continue;
      }
      std::optional<Target> t = target_for(rr.failures.front(), profile, rules.vocabulary());
      if (!t) continue;
      std::optional<Advice> a = try_target(rules, profile, report, rr, *t, before, std::nullopt);
      if (a) out.push_back(std::move(*a));
    }
  }
  // Money unlocked per yuan (or mu) of change: compare unlocked_a × change_b with unlocked_b ×
  // change_a, exactly.
  std::stable_sort(out.begin(), out.end(), [](const Advice& a, const Advice& b) {
    Decimal ca = sub(a.to, a.from).value_or(Decimal());
    Decimal cb = sub(b.to, b.from).value_or(Decimal());
    __extension__ typedef __int128 i128;
    return static_cast<i128>(a.unlocked.units()) * cb.units() >
           static_cast<i128>(b.unlocked.units()) * ca.units();
  });
  return out;
}

namespace {

// The stacking group (就高: only the highest member is paid) a rule of `doc` belongs to, or null.
const Group* group_of(const Document& doc, const Rule& rule) {
  return rule.group < 0 ? nullptr : &doc.groups[static_cast<std::size_t>(rule.group)];
}

// The most each open part could still add: one part per rule, except that the members of a
// stacking group make one part (only one of them is paid), worth its best member less what a
// member pays already. nullopt: no limit can be stated.
struct OpenPart {
  std::optional<Decimal> most = Decimal();
  Decimal paid;
  int rules = 0;
};

}  // namespace

OpenAmount open_amount(const Report& report) {
  OpenAmount out;
  for (const DocumentResult& d : report.documents) {
    std::map<const void*, OpenPart> parts;
    for (std::size_t i = 0; i < d.rules.size(); ++i) {
      const RuleResult& rr = d.rules[i];
      const Group* g = group_of(*d.document, *rr.rule);
      const void* key = g ? static_cast<const void*>(g) : static_cast<const void*>(&rr);
      if (rr.status == Status::Eligible && g)
        parts[key].paid = std::max(parts[key].paid, rr.amount);
      if (rr.status != Status::NeedsInfo || !rr.rule->grant()) continue;
      // A rule whose text states no amount has no limit to give here (largest() counts it as 0,
      // which ranks missing facts, but would read as "nothing more" in a sum).
      std::optional<Decimal> most =
          rr.rule->kind == AmountKind::Unspecified ? std::nullopt : largest(*rr.rule);
      OpenPart& part = parts[key];
      ++part.rules;
      part.most =
          most && part.most ? std::optional<Decimal>(std::max(*most, *part.most)) : std::nullopt;
    }
    for (const auto& [key, part] : parts) {
      if (part.rules == 0) continue;
      out.rules += part.rules;
      std::optional<Decimal> more =
          part.most ? sub(*part.most, part.paid) : std::optional<Decimal>(std::nullopt);
      std::optional<Decimal> sum =
          more ? add(out.at_most, std::max(*more, Decimal())) : std::nullopt;
      if (sum) {
        out.at_most = *sum;
      } else {
        out.unbounded += part.most ? 1 : part.rules;
      }
    }
  }
  return out;
}

std::vector<MissingFact> rank_missing(const Report& report) {
  std::vector<MissingFact> out;
  // Per missing fact, what depends on it by part: a rule, or a stacking group (就高) whose members
  // count once, at their best (nullopt: no limit can be stated).
  std::vector<std::map<const void*, std::optional<Decimal>>> parts;
  for (const DocumentResult& d : report.documents) {
    for (std::size_t i = 0; i < d.rules.size(); ++i) {
      const RuleResult& rr = d.rules[i];
      if (rr.status != Status::NeedsInfo) continue;
      std::optional<Decimal> most = largest(*rr.rule);
      const Group* g = group_of(*d.document, *rr.rule);
      const void* key = g ? static_cast<const void*>(g) : static_cast<const void*>(&rr);
      // Who the applicant is comes first: a rule that may be for other roles asks only that, so
      // a manufacturer is not asked its early-rice area.
      bool roles_first = std::any_of(rr.missing.begin(), rr.missing.end(),
                                     [](const Missing& m) { return m.fact == kRolesFact; });
      for (const Missing& m : rr.missing) {
        if (roles_first && m.fact != kRolesFact) continue;
        auto it = std::find_if(out.begin(), out.end(), [&](const MissingFact& f) {
          return f.fact == m.fact && f.year == m.year;
        });
        if (it == out.end()) {
          out.push_back(MissingFact{m.fact, m.year, {}, Decimal(), false});
          parts.emplace_back();
          it = out.end() - 1;
        }
        if (std::find(it->rules.begin(), it->rules.end(), rr.rule) != it->rules.end()) continue;
        it->rules.push_back(rr.rule);
        auto& part = parts[static_cast<std::size_t>(it - out.begin())];
        auto [p, fresh] = part.try_emplace(key, most);
        if (!fresh) {
          p->second = p->second && most ? std::optional<Decimal>(std::max(*p->second, *most))
                                        : std::nullopt;
        }
      }
    }
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    for (const auto& [key, most] : parts[i]) {
      // A sum beyond the representable range has no upper limit to give: unbounded.
      std::optional<Decimal> sum = most ? add(out[i].at_most, *most) : std::nullopt;
      if (sum) {
        out[i].at_most = *sum;
      } else {
        out[i].unbounded = true;
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const MissingFact& a, const MissingFact& b) {
    if (a.unbounded != b.unbounded) return a.unbounded;
    if (a.at_most != b.at_most) return a.at_most > b.at_most;
    return a.rules.size() > b.rules.size();
  });
  return out;
}

}  // namespace subsidy

namespace subsidy {
namespace {

void shift(FactValue& v, int k) {
  for (auto& [year, value] : v.years) year += k;
  for (Item& item : v.items) {
    for (FactValue& field : item.fields) shift(field, k);
  }
}

}  // namespace

std::vector<Projection> project(const RuleSet& rules, const Profile& profile,
                                const Report& report) {
  std::vector<Projection> out;
  for (const DocumentResult& d : report.documents) {
    for (const RuleResult& rr : d.rules) {
      const Rule& rule = *rr.rule;
      if (rule.pays_for_years < 2 || rr.status != Status::Eligible) continue;
      Projection p;
      p.rule = &rule;
      p.years.emplace_back(profile.policy_year, rr.amount);
      for (int k = 1; k < rule.pays_for_years; ++k) {
        Profile later = profile;
        later.policy_year += k;
        for (FactValue& v : later.facts) shift(v, k);
        for (int fact : rule.advancing_facts) {
          FactValue& v = later.facts[static_cast<std::size_t>(fact)];
          for (auto& [year, value] : v.years) {
            if (Decimal* n = std::get_if<Decimal>(&value))
              *n = add(*n, Decimal::from_int(k)).value_or(*n);
          }
        }
        Report next = evaluate(rules, later, EvalOptions{false, true});
        std::optional<Decimal> amount;
        for (const DocumentResult& nd : next.documents) {
          for (const RuleResult& nr : nd.rules) {
            if (nr.rule == &rule && nr.status == Status::Eligible) amount = nr.amount;
          }
        }
        p.years.emplace_back(later.policy_year, amount);
      }
      out.push_back(std::move(p));
    }
  }
  return out;
}

}  // namespace subsidy
