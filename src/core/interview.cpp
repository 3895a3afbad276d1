#include "core/interview.h"

#include <algorithm>

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
  if (text.ends_with("%") && decl.unit != "ratio") {
    *error = msg("a percentage is only for a ratio; give the number itself, e.g. {}",
                 "只有比例可以写百分数；请直接写数值，例如 {}", decl.example);
    return std::nullopt;
  }
  Message reason;
  std::optional<Decimal> d = Decimal::parse_with_suffix(text, &reason);
  if (!d) {
    *error = msg("\"{0}\" is not a number ({1}); e.g. {3}, 350万 or 1.2亿",
                 "\"{0}\" 不是数值（{2}）；例如 {3}、350万 或 1.2亿", text, reason.en, reason.zh,
                 decl.example);
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
    if (text == decl.values[i] || text == std::to_string(i + 1)) return Scalar(decl.values[i]);
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

std::vector<MissingFact> open_questions(const Report& report, const std::vector<FactKey>& skipped) {
  std::vector<MissingFact> out;
  const Vocabulary& v = report.rules->vocabulary;
  for (MissingFact& m : rank_missing(report)) {
    if (v.facts[static_cast<std::size_t>(m.fact)].type == FactType::List) continue;
    FactKey key{m.fact, m.year};
    if (std::find(skipped.begin(), skipped.end(), key) != skipped.end()) continue;
    if (can_change_total(m)) out.push_back(std::move(m));
  }
  return out;
}

std::vector<int> missing_lists(const Report& report) {
  std::vector<int> out;
  const Vocabulary& v = report.rules->vocabulary;
  for (const MissingFact& m : rank_missing(report)) {
    bool list = v.facts[static_cast<std::size_t>(m.fact)].type == FactType::List;
    if (list && can_change_total(m) && std::find(out.begin(), out.end(), m.fact) == out.end())
      out.push_back(m.fact);
  }
  return out;
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

std::vector<const Document*> region_documents(const RuleSet& rules, const std::string& code) {
  // The region's own documents and its city's, as the engine finds them.
  auto parent = rules.region_parents.find(code);
  std::string city = parent != rules.region_parents.end()       ? parent->second
                     : code.size() != 6 || code.ends_with("00") ? ""
                                                                : code.substr(0, 4) + "00";
  std::vector<const Document*> out;
  for (const Document& d : rules.documents) {
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
