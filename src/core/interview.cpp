#include "core/interview.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "core/unread.h"
#include "core/walk.h"

namespace subsidy {
namespace {

std::string_view trim(std::string_view s) {
  const std::string_view space = " \t\r\n";
  std::size_t b = s.find_first_not_of(space);
  if (b == std::string_view::npos) return {};
  // Full-width space (U+3000), as a Chinese input method types it, is trimmed too.
  std::string_view out = s.substr(b, s.find_last_not_of(space) - b + 1);
  while (out.starts_with("\u3000")) out.remove_prefix(3);
  while (out.ends_with("\u3000")) out.remove_suffix(3);
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<Scalar> parse_number(const FactDecl& decl, std::string_view text, Message* error) {
  if (text.ends_with("%") && !unit_info(decl.unit).percent) {
    *error = msg("a percentage is only for a ratio; give the number itself, e.g. {}",
                 "只有比例可以写百分数；请直接写数值，例如 {}", decl.example);
    return std::nullopt;
  }
  Message reason;
  std::optional<Decimal> d = Decimal::parse_with_suffix(text, &reason);
  if (!d) {
    *error = msg("\"{0}\": {1}; e.g. {3}, 350万 or 1.2亿", "\"{0}\"：{2}；例如 {3}、350万 或 1.2亿",
                 text, reason.en, reason.zh, decl.example);
    return std::nullopt;
  }
  if (!number_allowed(decl, *d)) {
    *error = msg("cannot be negative", "不能为负数");
    return std::nullopt;
  }
  return Scalar(*d);
}

std::optional<Scalar> parse_bool(std::string_view text, Message* error) {
  static const std::pair<std::string_view, bool> kWords[] = {
      {"是", true},  {"否", false}, {"y", true},    {"n", false},
      {"yes", true}, {"no", false}, {"true", true}, {"false", false}};
  std::string word = lower(text);
  for (const auto& [w, value] : kWords) {
    if (word == w) return Scalar(value);
  }
  *error = msg("\"{}\" is not yes or no: answer y or n (是 or 否, true or false)",
               "\"{}\" 不是“是”或“否”：请回答 是 或 否（也可写 y/n、true/false）", text);
  return std::nullopt;
}

std::optional<Scalar> parse_enum(const FactDecl& decl, std::string_view text, Message* error) {
  for (std::size_t i = 0; i < decl.values.size(); ++i) {
    if (text == std::to_string(i + 1)) return Scalar(decl.values[i]);
  }
  // The id, or its Chinese or English name as docs/facts.md lists it (中华老字号, National).
  if (int i = decl.value_index(text); i >= 0)
    return Scalar(decl.values[static_cast<std::size_t>(i)]);
  if (decl.values.size() > 10) {  // a long list: the question showed the values that matter
    *error =
        msg("\"{}\" is not one of the values: give a number or a name shown above, or a "
            "value of docs/facts.md",
            "\"{}\" 不是可选的取值：请写上面列出的序号或名称，或 docs/facts.md 中的取值", text);
    return std::nullopt;
  }
  std::string allowed;
  for (std::size_t i = 0; i < decl.values.size(); ++i)
    allowed += (i ? ", " : "") + std::to_string(i + 1) + " " + decl.values[i];
  *error = msg("\"{}\" is not one of the choices: {}", "\"{}\" 不是可选值之一：{}", text, allowed);
  return std::nullopt;
}

}  // namespace

bool can_change_total(const MissingFact& missing) {
  if (!missing.unbounded && missing.at_most.is_zero()) return false;
  return std::any_of(missing.rules.begin(), missing.rules.end(), [](const Rule* r) {
    return r->grant() && r->kind != AmountKind::Unspecified;
  });
}

QuestionKey key_of(const Question& q) {
  return QuestionKey{q.missing.fact, q.field, q.item, q.year};
}

namespace {

// The item fields a list fact still needs (for the year of `m`), in item and field order.
std::vector<Missing> item_fields(const Report& report, const MissingFact& m) {
  std::vector<Missing> out;
  for (const DocumentResult& d : report.documents) {
    for (const RuleResult& rr : d.rules) {
      if (rr.status != Status::NeedsInfo) continue;
      for (const Missing& x : rr.missing) {
        if (x.fact == m.fact && x.field >= 0 && x.year == m.year) out.push_back(x);
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const Missing& a, const Missing& b) {
    return std::tie(a.item, a.field) < std::tie(b.item, b.field);
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Collects the enum values that conditions compare the question's subject with (is, in): a top
// fact, or a field of the list's items (within a has, sum or count over that list).
struct ValueWalk {
  const Question& q;
  std::vector<std::string> found;

  bool subject(const Expr& e, int list) const {
    if (!q.is_list) return e.op == Op::Fact && e.as<FactRef>().fact == q.missing.fact;
    return e.op == Op::Item && list == q.missing.fact && e.as<ItemRef>().field == q.field;
  }
  void expr(const Expr&, int) {}
  void cond(const Cond& c, int list) {
    if (c.op == CondOp::Is && subject(*c.value(), list)) {
      if (const std::string* v = std::get_if<std::string>(&c.as<Is>().is)) found.push_back(*v);
    }
    if (c.op == CondOp::In && subject(*c.value(), list)) {
      const std::vector<std::string>& in = c.as<In>().in;
      found.insert(found.end(), in.begin(), in.end());
    }
  }
};

std::vector<int> choices_of(const Question& q, const Vocabulary& v) {
  if (q.missing.fact == kRolesFact) {  // every role is a choice
    std::vector<int> all(std::size(kRoles));
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
    return all;
  }
  const FactDecl& fact = v.facts[static_cast<std::size_t>(q.missing.fact)];
  const FactDecl& decl = q.is_list ? fact.fields[static_cast<std::size_t>(q.field)] : fact;
  if (decl.type != FactType::Enum) return {};
  ValueWalk values{q, {}};
  for (const Rule* r : q.missing.rules) {
    if (r->when) walk(*r->when, -1, values);
    for (const Expr* e : {r->formula, r->cap, r->up_to}) {
      if (e) walk(*e, -1, values);
    }
  }
  std::vector<int> out;
  for (std::size_t i = 0; i < decl.values.size(); ++i) {
    if (std::find(values.found.begin(), values.found.end(), decl.values[i]) != values.found.end())
      out.push_back(static_cast<int>(i));
  }
  return out;
}

}  // namespace

std::vector<Question> open_questions(const Report& report,
                                     const std::vector<QuestionKey>& skipped) {
  std::vector<Question> out;
  const Vocabulary& v = report.rules->vocabulary();
  auto add = [&](Question q) {
    if (std::find(skipped.begin(), skipped.end(), key_of(q)) != skipped.end()) return;
    if (!q.count()) q.choices = choices_of(q, v);
    out.push_back(std::move(q));
  };
  for (MissingFact& m : rank_missing(report)) {
    if (!can_change_total(m)) continue;
    if (fact_decl_of(v, m.fact).type != FactType::List) {
      add(Question{m, -1, -1, m.year, false, {}});
    } else if (!report.profile->facts[static_cast<std::size_t>(m.fact)].present) {
      add(Question{m, -1, -1, std::nullopt, true, {}});
    } else {
      for (const Missing& x : item_fields(report, m))
        add(Question{m, x.field, x.item, x.year, true, {}});
    }
  }
  return out;
}

std::optional<int> parse_count(std::string_view text, Message* error) {
  text = trim(text);
  int n = 0;
  bool digits = !text.empty() && text.size() <= 3 &&
                std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  for (char c : text) n = digits ? n * 10 + (c - '0') : n;
  if (!digits || n > kMaxInterviewItems) {
    *error = msg("\"{}\" is not a count: give a whole number from 0 to {} (0: none)",
                 "\"{}\" 不是数量：请写 0 到 {} 的整数（0 表示没有）", text, kMaxInterviewItems);
    return std::nullopt;
  }
  return n;
}

void apply_answer(Profile& profile, const Vocabulary& vocabulary, const Question& q,
                  const Scalar& value) {
  if (!q.is_list) {
    set_fact(profile, vocabulary, q.missing.fact, q.year.value_or(0), value);
    return;
  }
  const FactDecl& list = vocabulary.facts[static_cast<std::size_t>(q.missing.fact)];
  Item& item = profile.facts[static_cast<std::size_t>(q.missing.fact)]
                   .items[static_cast<std::size_t>(q.item)];
  item.fields.resize(list.fields.size());
  FactValue& field = item.fields[static_cast<std::size_t>(q.field)];
  field.present = true;
  if (!list.fields[static_cast<std::size_t>(q.field)].per_year) {
    field.scalar = value;
    return;
  }
  auto at = std::find_if(field.years.begin(), field.years.end(),
                         [&](const auto& y) { return y.first >= q.year.value_or(0); });
  if (at != field.years.end() && at->first == q.year.value_or(0)) {
    at->second = value;
  } else {
    field.years.insert(at, {q.year.value_or(0), value});
  }
}

void apply_count(Profile& profile, const Question& q, int count) {
  FactValue& list = profile.facts[static_cast<std::size_t>(q.missing.fact)];
  list.present = true;
  list.items.assign(static_cast<std::size_t>(count), Item{});
}

std::optional<Scalar> parse_answer(const FactDecl& decl, std::string_view text, Message* error) {
  text = trim(text);
  switch (decl.type) {
    case FactType::Number:
      return parse_number(decl, text, error);
    case FactType::Bool:
      return parse_bool(text, error);
    case FactType::Enum:
      return parse_enum(decl, text, error);
    case FactType::List:
      break;
  }
  *error = msg("a list is not asked here", "列表不在此询问");
  return std::nullopt;
}

namespace {

// The words of an answer listing choices: "1,3", "1、3", "1 3", "种粮主体；孵化载体运营主体".
std::vector<std::string> words(std::string_view text) {
  std::string t(text);
  for (std::string_view sep : {"，", "、", "；"}) {
    for (std::size_t at = t.find(sep); at != std::string::npos; at = t.find(sep))
      t.replace(at, sep.size(), ",");
  }
  std::vector<std::string> out;
  std::string word;
  for (char c : t + ",") {
    if (c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\r') {
      if (!word.empty()) out.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  return out;
}

// The entry of `table` that `word` names: its number from 1, its id, or its Chinese or English
// name (English in any case); −1 when none.
template <std::size_t N>
int term_index(const ApplicantTerm (&table)[N], const std::string& word) {
  std::string lower = word;
  for (char& c : lower) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  for (std::size_t i = 0; i < N; ++i) {
    if (word == std::to_string(i + 1) || lower == table[i].id || word == table[i].zh ||
        lower == table[i].en)
      return static_cast<int>(i);
  }
  return -1;
}

template <std::size_t N>
std::string numbered(const ApplicantTerm (&table)[N], Lang lang) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) {
    out += fmt::format("{}{} {}", i ? (lang == Lang::En ? ", " : "、") : "", i + 1,
                       lang == Lang::En ? table[i].en : table[i].zh);
  }
  return out;
}

}  // namespace

std::optional<std::vector<std::string>> parse_roles(std::string_view text, Message* error) {
  std::vector<std::string> out;
  std::vector<std::string> ws = words(text);
  if (ws.size() == 1 && (ws[0] == "0" || ws[0] == "无" || ws[0] == "none")) return out;
  for (const std::string& w : ws) {
    int i = term_index(kRoles, w);
    if (i < 0) {
      *error =
          msg("\"{0}\" is not a role: give the numbers of those held, e.g. 1,3 ({1}; 0: "
              "none)",
              "\"{0}\" 不是可选的身份：请写所担任身份的序号，例如 1,3（{2}；0 表示都不是）", w,
              numbered(kRoles, Lang::En), numbered(kRoles, Lang::Zh));
      return std::nullopt;
    }
    std::string id(kRoles[static_cast<std::size_t>(i)].id);
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

std::optional<std::string> parse_form(std::string_view text, Message* error) {
  std::vector<std::string> ws = words(text);
  int i = ws.size() == 1 ? term_index(kLegalForms, ws[0]) : -1;
  if (i < 0) {
    *error = msg("\"{0}\" is not a legal form: give its number ({1})",
                 "\"{0}\" 不是可选的法律形式：请写其序号（{2}）", trim(text),
                 numbered(kLegalForms, Lang::En), numbered(kLegalForms, Lang::Zh));
    return std::nullopt;
  }
  return std::string(kLegalForms[static_cast<std::size_t>(i)].id);
}

std::vector<const Document*> region_documents(const RuleSet& rules, const std::string& code) {
  // The region's own documents and its city's, as the engine finds them.
  std::string city = region_parent(rules, code);
  std::vector<const Document*> out;
  for (const Document& d : rules.documents()) {
    if (d.region.code == code || (!city.empty() && d.region.code == city)) out.push_back(&d);
  }
  return out;
}

std::optional<std::string> resolve_region(const RuleSet& rules, std::string_view text) {
  std::string code(trim(text));
  bool digits = code.size() == 6 &&
                std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || region_documents(rules, code).empty()) return std::nullopt;
  return code;
}

}  // namespace subsidy
