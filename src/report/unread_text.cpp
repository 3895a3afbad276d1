#include "report/unread_text.h"

#include <fmt/format.h>

#include <set>

#include "core/reader.h"
#include "core/region.h"
#include "report/render.h"
#include "report/text.h"

namespace subsidy {
namespace {

const std::string& fact_name(const RuleSet& rules, int fact) {
  return rules.vocabulary().facts[static_cast<std::size_t>(fact)].name;
}

std::string date_text(const Date& d) {
  return fmt::format("{}-{:02}-{:02}", d.year, d.month, d.day);
}

// Where the fact is read, and why not for this applicant.
Message reason_message(const UnreadFact& u, int policy_year) {
  Message out;
  auto add = [&out](const Message& m, const char* en_sep, const char* zh_sep) {
    out.en += (out.en.empty() ? "" : en_sep) + m.en;
    out.zh += (out.zh.empty() ? "" : zh_sep) + m.zh;
  };
  switch (u.reason) {
    case UnreadReason::OtherForm: {
      std::set<std::string> kinds;
      std::string ids;
      for (const FactRead& r : u.elsewhere()) {
        ids += (ids.empty() ? "" : ", ") + r.rule->id;
        kinds.insert(r.rule->applicants.begin(), r.rule->applicants.end());
      }
      std::string kinds_en, kinds_zh;
      for (const std::string& k : kinds) {
        kinds_en += (kinds_en.empty() ? "" : ", ") + form_label(k, Lang::En);
        kinds_zh += (kinds_zh.empty() ? "" : "、") + form_label(k, Lang::Zh);
      }
      return msg("{0} read it only for other legal forms of applicant ({1})",
                 "{0} 只对其他法律形式的申请主体（{2}）读取它", ids, kinds_en, kinds_zh);
    }
    case UnreadReason::NotInForce:
      for (const FactRead& r : u.elsewhere()) {
        const Document& d = *r.document;
        add(msg("\"{0}\" reads it ({1}) but is not in force in {2} (valid {3} to {4})",
                "{0}（{1}）读取它，但该文件在 {2} 年不在有效期内（有效期 {3} 至 {4}）", d.number,
                r.rule->id, policy_year, date_text(d.valid_from), date_text(d.valid_to)),
            "; ", "；");
      }
      return out;
    case UnreadReason::OtherRegion:
      for (const FactRead& r : u.elsewhere()) {
        const Region& region = r.document->region;
        // The region by name in each language (region table, core/region.h).
        const RegionName* name = region_name(region.code);
        add(msg("{0} ({1}, {2})", "{3}（{1}，{2}）", name ? std::string(name->en) : region.name,
                region.code, r.rule->id, name ? std::string(name->zh) : region.name),
            ", ", "、");
      }
      return msg("only rules of other regions read it: {0}", "只有其他地区的规则读取它：{1}",
                 out.en, out.zh);
    case UnreadReason::Nowhere:
      break;
  }
  return {"no rule reads it", "没有任何规则读取它"};
}

Message suggestion_message(const UnreadFact& u, const RuleSet& rules) {
  if (u.suggestions().empty()) return {};
  const FactRead& a = u.suggestions()[0];
  if (u.suggestions().size() == 1) {
    return msg("; did you mean `{0}`? read by {1}", "；是否应为 `{0}`？由 {1} 读取",
               fact_name(rules, a.fact), a.rule->id);
  }
  const FactRead& b = u.suggestions()[1];
  return msg("; did you mean `{0}` (read by {1}) or `{2}` (read by {3})?",
             "；是否应为 `{0}`（由 {1} 读取）或 `{2}`（由 {3} 读取）？", fact_name(rules, a.fact),
             a.rule->id, fact_name(rules, b.fact), b.rule->id);
}

}  // namespace

Message unread_fact_message(const UnreadFact& u, const RuleSet& rules, int policy_year) {
  Message why = reason_message(u, policy_year);
  Message suggestion = suggestion_message(u, rules);
  return msg("`{0}` is read by no rule in force for this applicant: {1}{3}",
             "没有对本申请主体有效的规则读取事实 `{0}`：{2}{4}", fact_name(rules, u.fact), why.en,
             why.zh, suggestion.en, suggestion.zh);
}

std::string unread_facts_section(const std::vector<UnreadFact>& unread, const RuleSet& rules,
                                 int policy_year, Lang lang) {
  if (unread.empty()) return "";
  std::string out = lang == Lang::En ? "\nWarnings (these facts change no amount):\n"
                                     : "\n警告（这些事实不影响任何金额）：\n";
  for (const UnreadFact& u : unread) {
    out += "  - " + unread_fact_message(u, rules, policy_year).in(lang) + "\n";
  }
  return out;
}

namespace {

// The JSON of one warning, written piece by piece to a sink (text::append_measured).
template <class Sink>
void emit_unread(Sink&& out, const UnreadFact& u, const RuleSet& rules) {
  using namespace std::string_view_literals;
  // Every text here is a fact name, rule id, document id or region code of the checked rule
  // files ([a-z0-9_-]): nothing to escape.
  auto text = [&out](std::string_view s) {
    out("\""sv);
    out(s);
    out("\""sv);
  };
  out("{\"code\":"sv);
  text(kUnreadFactCode);
  out(",\"fact\":"sv);
  text(fact_name(rules, u.fact));
  out(",\"reason\":"sv);
  text(unread_reason_name(u.reason));
  out(",\"read_by\":["sv);
  const std::vector<FactRead>& elsewhere = u.elsewhere();
  for (std::size_t k = 0; k < elsewhere.size(); ++k) {
    const FactRead& r = elsewhere[k];
    out(k ? ",{\"rule\":"sv : "{\"rule\":"sv);
    text(r.rule->id);
    out(",\"document\":"sv);
    text(r.document->id);
    out(",\"region\":"sv);
    text(r.document->region.code);
    out("}"sv);
  }
  out("],\"suggestions\":["sv);
  const std::vector<FactRead>& suggestions = u.suggestions();
  for (std::size_t k = 0; k < suggestions.size(); ++k) {
    const FactRead& s = suggestions[k];
    out(k ? ",{\"fact\":"sv : "{\"fact\":"sv);
    text(fact_name(rules, s.fact));
    out(",\"rule\":"sv);
    text(s.rule->id);
    out("}"sv);
  }
  out("]}"sv);
}

// The array, a batch's most repeated text: a warning made by a memo given unread_fact_json is
// copied whole from its verdict, any other written anew.
template <class Sink>
void emit_unread(Sink&& out, const std::vector<UnreadFact>& unread, const RuleSet& rules) {
  using namespace std::string_view_literals;
  out("["sv);
  for (std::size_t i = 0; i < unread.size(); ++i) {
    if (i) out(","sv);
    std::string_view made = unread[i].text(&unread_fact_json);
    if (made.empty()) {
      emit_unread(out, unread[i], rules);
    } else {
      out(made);
    }
  }
  out("]"sv);
}

}  // namespace

std::string unread_fact_json(const UnreadFact& unread, const RuleSet& rules) {
  std::string out;
  text::append_measured(out, [&](auto sink) { emit_unread(sink, unread, rules); });
  return out;
}

void append_unread_facts_json(std::string& out, const std::vector<UnreadFact>& unread,
                              const RuleSet& rules) {
  text::append_measured(out, [&](auto sink) { emit_unread(sink, unread, rules); });
}

std::size_t unread_facts_json_size(const std::vector<UnreadFact>& unread, const RuleSet& rules) {
  return text::measured_size([&](auto sink) { emit_unread(sink, unread, rules); });
}

char* write_unread_facts_json(char* at, const std::vector<UnreadFact>& unread,
                              const RuleSet& rules) {
  return text::write_measured(at, [&](auto sink) { emit_unread(sink, unread, rules); });
}

nlohmann::ordered_json unread_facts_json(const std::vector<UnreadFact>& unread,
                                         const RuleSet& rules, int policy_year, Lang lang) {
  std::string text;
  append_unread_facts_json(text, unread, rules);
  nlohmann::ordered_json out = nlohmann::ordered_json::parse(text);
  for (std::size_t i = 0; i < unread.size(); ++i) {
    out[i]["message"] = unread_fact_message(unread[i], rules, policy_year).in(lang);
  }
  return out;
}

std::vector<Diagnostic> unread_facts_diagnostics(const std::vector<UnreadFact>& unread,
                                                 const RuleSet& rules, const Profile& profile,
                                                 bool strict) {
  std::vector<Diagnostic> out;
  for (const UnreadFact& u : unread) {
    Message text = unread_fact_message(u, rules, profile.policy_year);
    if (strict) {
      text = msg("{0} (an error under --strict)", "{1}（--strict 下视为错误）", text.en, text.zh);
    }
    out.emplace_back(profile.source, u.line, u.col, child_path("/facts", fact_name(rules, u.fact)),
                     std::move(text), kUnreadFactCode,
                     strict ? Severity::Error : Severity::Warning);
  }
  return out;
}

}  // namespace subsidy
