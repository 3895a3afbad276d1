#include "report/diff_text.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "report/render.h"
#include "report/text.h"

namespace subsidy {
namespace {

bool en(Lang lang) {
  return lang == Lang::En;
}

// A status name as written in rule tests ("eligible"): kept in English, a label in Chinese.
std::string status_text(const std::string& name, Lang lang) {
  if (en(lang)) return name;
  for (Status s : {Status::Eligible, Status::EligibleUnspecified, Status::NotEligible,
                   Status::NeedsInfo, Status::Excluded, Status::NotApplicable, Status::Error}) {
    if (status_name(s) == name) return status_label(s, lang);
  }
  return name;
}

std::string side(const std::optional<std::string>& status, const std::optional<Decimal>& amount,
                 Lang lang) {
  if (!status) return en(lang) ? "(not evaluated)" : "（未评估）";
  std::string text = status_text(*status, lang);
  return amount ? fmt::format("{} {}", text, text::money(*amount)) : text;
}

std::string delta(Decimal before, Decimal after) {
  std::optional<Decimal> d = sub(after, before);
  if (!d) return "?";
  return (d->is_negative() ? "-" : "+") +
         text::money(Decimal::from_units(d->is_negative() ? -d->units() : d->units()));
}

std::string summary_line(const DiffSummary& s, Lang lang) {
  if (!en(lang)) {
    return fmt::format("{} 个申请人，{} 个有变化，金额增加 {}，金额减少 {}{}", s.profiles,
                       s.affected, text::money(s.up), text::money(s.down),
                       s.bad_rows ? fmt::format("，{} 行有误", s.bad_rows) : "");
  }
  return fmt::format("{} profile(s), {} affected, money up {}, money down {}{}", s.profiles,
                     s.affected, text::money(s.up), text::money(s.down),
                     s.bad_rows ? fmt::format(", {} bad row(s)", s.bad_rows) : "");
}

}  // namespace

DiffSummary summarize(const std::vector<ProfileDiff>& diffs, int bad_rows) {
  DiffSummary s;
  s.profiles = static_cast<int>(diffs.size()) + bad_rows;
  s.bad_rows = bad_rows;
  for (const ProfileDiff& d : diffs) {
    if (!d.changed()) continue;
    ++s.affected;
    std::optional<Decimal> change = sub(d.total_after, d.total_before);
    if (!change) continue;
    if (change->is_negative()) {
      s.down = add(s.down, Decimal::from_units(-change->units())).value_or(s.down);
    } else {
      s.up = add(s.up, *change).value_or(s.up);
    }
  }
  return s;
}

std::string render_diff_table(const std::vector<ProfileDiff>& diffs, const DiffSummary& summary,
                              Lang lang) {
  std::string out;
  for (const ProfileDiff& d : diffs) {
    if (!d.changed()) continue;
    out += fmt::format(
        fmt::runtime(en(lang) ? "{}: total {} → {} ({})\n" : "{}：合计 {} → {}（{}）\n"), d.profile,
        text::money(d.total_before), text::money(d.total_after),
        delta(d.total_before, d.total_after));
    for (const RuleChange& c : d.rules) {
      out += fmt::format(fmt::runtime(en(lang) ? "  {} ({}): {} → {}\n" : "  {}（{}）：{} → {}\n"),
                         c.rule, c.document, side(c.before, c.before_amount, lang),
                         side(c.after, c.after_amount, lang));
    }
    for (const TotalChange& t : d.totals) {
      out += fmt::format(fmt::runtime(en(lang) ? "  {} total: {} → {}\n" : "  {} 合计：{} → {}\n"),
                         t.document, text::money(t.before), text::money(t.after));
    }
  }
  return out + summary_line(summary, lang) + "\n";
}

std::string render_diff_json(const std::vector<ProfileDiff>& diffs, const DiffSummary& summary) {
  nlohmann::ordered_json j;
  j["format"] = "subsidy-diff/1";
  j["summary"] = {{"profiles", summary.profiles},
                  {"affected", summary.affected},
                  {"bad_rows", summary.bad_rows},
                  {"money_up", summary.up.fixed(2)},
                  {"money_down", summary.down.fixed(2)}};
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ProfileDiff& d : diffs) {
    if (!d.changed()) continue;
    nlohmann::ordered_json jd;
    jd["profile"] = d.profile;
    jd["total_before"] = d.total_before.fixed(2);
    jd["total_after"] = d.total_after.fixed(2);
    nlohmann::ordered_json rules = nlohmann::ordered_json::array();
    for (const RuleChange& c : d.rules) {
      nlohmann::ordered_json jc;
      jc["rule"] = c.rule;
      jc["document"] = c.document;
      jc["before"] = c.before ? nlohmann::ordered_json(*c.before) : nlohmann::ordered_json();
      jc["after"] = c.after ? nlohmann::ordered_json(*c.after) : nlohmann::ordered_json();
      if (c.before_amount) jc["before_amount"] = c.before_amount->fixed(2);
      if (c.after_amount) jc["after_amount"] = c.after_amount->fixed(2);
      rules.push_back(jc);
    }
    jd["rules"] = rules;
    nlohmann::ordered_json totals = nlohmann::ordered_json::array();
    for (const TotalChange& t : d.totals) {
      totals.push_back(
          {{"document", t.document}, {"before", t.before.fixed(2)}, {"after", t.after.fixed(2)}});
    }
    jd["documents"] = totals;
    list.push_back(jd);
  }
  j["profiles"] = list;
  return j.dump(2) + "\n";
}

std::string render_diff_markdown(const std::vector<ProfileDiff>& diffs, const DiffSummary& summary,
                                 Lang lang) {
  std::string out =
      std::string(en(lang) ? "### subsidy diff" : "### subsidy diff：规则变更的影响") + "\n\n**" +
      summary_line(summary, lang) + "**\n";
  if (summary.affected == 0) {
    return out + (en(lang) ? "\nNo outcome or amount changed.\n" : "\n没有结果或金额发生变化。\n");
  }
  out += en(lang) ? "\n| profile | rule | document | before | after |\n|---|---|---|---|---|\n"
                  : "\n| 申请人 | 规则 | 文件 | 变更前 | 变更后 |\n|---|---|---|---|---|\n";
  for (const ProfileDiff& d : diffs) {
    for (const RuleChange& c : d.rules) {
      out +=
          fmt::format("| {} | `{}` | {} | {} | {} |\n", d.profile, c.rule, c.document,
                      side(c.before, c.before_amount, lang), side(c.after, c.after_amount, lang));
    }
  }
  out += en(lang)
             ? "\n| profile | document | total before | total after | change |\n"
               "|---|---|---:|---:|---:|\n"
             : "\n| 申请人 | 文件 | 变更前合计 | 变更后合计 | 变化 |\n|---|---|---:|---:|---:|\n";
  for (const ProfileDiff& d : diffs) {
    for (const TotalChange& t : d.totals) {
      out += fmt::format("| {} | {} | {} | {} | {} |\n", d.profile, t.document,
                         text::money(t.before), text::money(t.after), delta(t.before, t.after));
    }
  }
  return out;
}

}  // namespace subsidy
