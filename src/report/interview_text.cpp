#include "report/interview_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "report/text.h"

namespace subsidy {
namespace {

bool en(Lang lang) {
  return lang == Lang::En;
}

const FactDecl& decl_of(const Report& report, int fact) {
  return fact_decl_of(report.rules->vocabulary(), fact);
}

std::string name_line(const FactDecl& decl, std::optional<int> year, Lang lang) {
  const std::string& name = en(lang) ? decl.en : decl.zh;
  if (!year) return name;
  return en(lang) ? fmt::format("{} ({})", name, *year) : fmt::format("{}（{}年）", name, *year);
}

// How to answer: the unit and an example, the yes/no words, or the numbered choices.
std::string answer_line(const FactDecl& decl, const std::vector<int>& read, Lang lang) {
  switch (decl.type) {
    case FactType::Number: {
      std::string example = decl.example.empty() ? "" : decl.example;
      const UnitInfo& unit = unit_info(decl.unit);
      if (unit.percent) {
        return en(lang) ? fmt::format("a ratio: 0.05 or 5%; e.g. {}", example)
                        : fmt::format("比例：写 0.05 或 5%；例如 {}", example);
      }
      std::string_view name = en(lang) ? unit.en : unit.zh;
      if (!unit.scaled) {
        return en(lang) ? fmt::format("unit: {}; e.g. {}", name, example)
                        : fmt::format("单位：{}；例如 {}", name, example);
      }
      return en(lang) ? fmt::format("unit: {} (万 and 亿 accepted: 350万); e.g. {}", name, example)
                      : fmt::format("单位：{}（可写 万、亿，如 350万）；例如 {}", name, example);
    }
    case FactType::Bool:
      return en(lang) ? "answer y or n (是/否, true/false)" : "回答 是 或 否（也可写 y/n）";
    case FactType::Enum: {
      // Only the values the asking rules compare it with, when they name fewer than all.
      bool some = !read.empty() && read.size() < decl.values.size();
      std::string choices;
      for (std::size_t i = 0; i < decl.values.size(); ++i) {
        if (some && std::find(read.begin(), read.end(), static_cast<int>(i)) == read.end())
          continue;
        const std::string& name = decl.label(i).in(lang);  // 国家级 / National
        choices += fmt::format("{}{} {}{}", choices.empty() ? "" : ", ", i + 1, decl.values[i],
                               name.empty() ? ""
                               : en(lang)   ? " (" + name + ")"
                                            : "（" + name + "）");
      }
      std::string out =
          en(lang) ? "choose (number or name): " + choices : "选择（序号或名称）：" + choices;
      if (some) {
        out += en(lang) ? fmt::format(
                              " (what these rules ask about; any of the {} values of "
                              "docs/facts.md is accepted by name)",
                              decl.values.size())
                        : fmt::format(
                              "（这些是相关条款询问的取值；docs/facts.md 中全部 {} "
                              "个取值均可按名称填写）",
                              decl.values.size());
      }
      return out;
    }
    case FactType::List:
      break;
  }
  return "";
}

// Why this calendar year: its offset from the policy year, as the rules read it.
std::string stake_line(const MissingFact& m, Lang lang) {
  std::size_t n = m.rules.size();
  if (m.unbounded) {
    return en(lang) ? fmt::format("the amount of {} rule(s) depends on it", n)
                    : fmt::format("{} 项政策的金额取决于它", n);
  }
  return en(lang) ? fmt::format("up to {} depends on it ({} rule(s))", text::money(m.at_most), n)
                  : fmt::format("最多 {} 取决于它（{} 项政策）", text::money(m.at_most), n);
}

const Document* document_of(const Report& report, const Rule* rule) {
  for (const DocumentResult& d : report.documents) {
    for (const RuleResult& rr : d.rules) {
      if (rr.rule == rule) return d.document;
    }
  }
  return nullptr;
}

const std::string kNumberMark = "\x01\x02number:";

// Turns each marked string "\u0001\u0002number:TEXT" into the bare number TEXT.
std::string number_marks(std::string json) {
  const std::string mark = "\"\\u0001\\u0002number:";
  std::string out;
  std::size_t at = 0;
  for (std::size_t i; (i = json.find(mark, at)) != std::string::npos;) {
    std::size_t end = json.find('"', i + mark.size());
    out += json.substr(at, i - at) + json.substr(i + mark.size(), end - i - mark.size());
    at = end + 1;
  }
  return out + json.substr(at);
}

nlohmann::ordered_json scalar_json(const Scalar& s) {
  // A number goes in as a marked string, replaced by its exact text after dumping
  // (number_marks): nlohmann's numbers are binary floating point.
  if (const Decimal* d = std::get_if<Decimal>(&s)) return kNumberMark + d->str();
  if (const bool* b = std::get_if<bool>(&s)) return *b;
  return std::get<std::string>(s);
}

nlohmann::ordered_json fact_json(const FactValue& v, const FactDecl& decl) {
  if (decl.type == FactType::List) {
    nlohmann::ordered_json items = nlohmann::ordered_json::array();
    for (const Item& item : v.items) {
      nlohmann::ordered_json fields = nlohmann::ordered_json::object();
      for (std::size_t i = 0; i < item.fields.size(); ++i) {
        if (item.fields[i].present)
          fields[decl.fields[i].name] = fact_json(item.fields[i], decl.fields[i]);
      }
      items.push_back(fields);
    }
    return items;
  }
  if (!decl.per_year) return scalar_json(v.scalar);
  nlohmann::ordered_json years = nlohmann::ordered_json::object();
  for (const auto& [year, value] : v.years) years[std::to_string(year)] = scalar_json(value);
  return years;
}

}  // namespace

std::string documents_text(const std::vector<const Document*>& documents, int year, Lang lang) {
  std::string out;
  for (const Document* d : documents) {
    if (d->in_force(year)) {
      out += en(lang) ? fmt::format("  in force: {} ({})\n", d->number, d->region.name)
                      : fmt::format("  适用文件：{}（{}）\n", d->number, d->region.name);
    } else {
      int other = d->valid_to.year < year ? d->valid_to.year : d->valid_from.year;
      out += en(lang) ? fmt::format("  not in force in {}: {} ({}); for it: --year {}\n", year,
                                    d->number, d->region.name, other)
                      : fmt::format("  {} 年不适用：{}（{}）；如需询问它：--year {}\n", year,
                                    d->number, d->region.name, other);
    }
  }
  return out;
}

namespace {

// Which calendar year is asked and why: the offset from the policy year and the articles that
// read that year ("2022 年 = 政策年度 2023 − 1：柯政发〔2023〕16号第12条按这一年计算").
std::string year_line(int year, const MissingFact& m, const Report& report, Lang lang) {
  int policy_year = report.profile->policy_year;
  std::string articles;
  for (const Rule* r : m.rules) {
    const Document* d = document_of(report, r);
    std::string one =
        (d ? d->number + (en(lang) ? " " : "") : std::string()) + text::article(r->article, lang);
    if (articles.find(one) != std::string::npos) continue;
    articles += (articles.empty() ? "" : en(lang) ? ", " : "、") + one;
  }
  int offset = year - policy_year;
  std::string when;
  if (offset == 0) {
    when = en(lang) ? fmt::format("year: {}, the policy year itself", year)
                    : fmt::format("年度：{} 年，即政策年度", year);
  } else {
    std::string sign = offset < 0 ? "−" : "+";
    int k = offset < 0 ? -offset : offset;
    when = en(lang) ? fmt::format("year: {} = policy year {} {} {}", year, policy_year, sign, k)
                    : fmt::format("年度：{} 年 = 政策年度 {} {} {}", year, policy_year, sign, k);
  }
  if (articles.empty()) return when;
  return en(lang) ? fmt::format("{}: the year {} reads", when, articles)
                  : fmt::format("{}：{}按这一年计算", when, articles);
}

}  // namespace

std::string question_text(const Question& q, const Report& report, int number, Lang lang) {
  const FactDecl& decl = decl_of(report, q.missing.fact);
  std::string out;
  if (q.count()) {
    out = fmt::format("\n[{}] {}\n    ", number, en(lang) ? decl.en : decl.zh);
    out += en(lang) ? fmt::format("how many? (a whole number from 0 to {}; 0: none)\n",
                                  kMaxInterviewItems)
                    : fmt::format("共有几项？（0 到 {} 的整数；0 表示没有）\n", kMaxInterviewItems);
  } else if (q.is_list) {
    const FactDecl& field = decl.fields[static_cast<std::size_t>(q.field)];
    out = en(lang) ? fmt::format("\n[{}] {}, item {}: {}\n", number, decl.en, q.item + 1,
                                 name_line(field, q.year, lang))
                   : fmt::format("\n[{}] {}，第 {} 项：{}\n", number, decl.zh, q.item + 1,
                                 name_line(field, q.year, lang));
    out += "    " + answer_line(field, q.choices, lang) + "\n";
  } else if (q.missing.fact == kRolesFact) {
    out = fmt::format("\n[{}] {}\n    ", number, name_line(decl, q.year, lang));
    out += en(lang) ? "which of these does the applicant hold? " : "申请主体担任以下哪些身份？";
    for (std::size_t i = 0; i < std::size(kRoles); ++i) {
      out += fmt::format("{}{} {}", i ? (en(lang) ? ", " : "、") : "", i + 1,
                         en(lang) ? kRoles[i].en : kRoles[i].zh);
    }
    out += en(lang) ? "\n    (the numbers of all held, e.g. 1,3; 0: none)\n"
                    : "\n    （写出所有担任身份的序号，例如 1,3；0 表示都不是）\n";
  } else {
    out = fmt::format("\n[{}] {}\n", number, name_line(decl, q.year, lang));
    out += "    " + answer_line(decl, q.choices, lang) + "\n";
  }
  if (q.year) out += "    " + year_line(*q.year, q.missing, report, lang) + "\n";
  out += "    " + stake_line(q.missing, lang) + "\n";
  out += en(lang) ? "    (Enter skips it; ? shows which articles ask for it)\n"
                  : "    （直接回车跳过；输入 ? 查看哪些条款需要它）\n";
  return out + "> ";
}

std::string question_sources(const MissingFact& m, const Report& report, Lang lang) {
  std::string out = en(lang) ? "    asked for by:\n" : "    需要它的条款：\n";
  for (const Rule* r : m.rules) {
    const Document* d = document_of(report, r);
    out += fmt::format("    - {}: {} {} {}\n", r->id, d ? d->number : std::string(),
                       text::article(r->article, lang), r->title.in(lang));
  }
  return out;
}

std::string progress_text(const Report& report, std::size_t open, Lang lang) {
  std::string total = (report.total_is_floor ? (en(lang) ? "at least " : "至少 ") : std::string()) +
                      text::money(report.total);
  return en(lang) ? fmt::format("    eligible so far: {}; {} question(s) open\n", total, open)
                  : fmt::format("    目前可获：{}；尚有 {} 个问题\n", total, open);
}

std::string render_profile_json(const Profile& profile, const Vocabulary& vocabulary) {
  nlohmann::ordered_json j;
  if (!profile.id.empty()) j["id"] = profile.id;
  if (!profile.name.empty()) j["name"] = profile.name;
  j["form"] = profile.form;
  if (profile.roles) j["roles"] = *profile.roles;
  j["region"] = profile.region;
  j["policy_year"] = profile.policy_year;
  nlohmann::ordered_json facts = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < vocabulary.facts.size() && i < profile.facts.size(); ++i) {
    if (profile.facts[i].present)
      facts[vocabulary.facts[i].name] = fact_json(profile.facts[i], vocabulary.facts[i]);
  }
  j["facts"] = facts;
  return number_marks(j.dump(2)) + "\n";
}

}  // namespace subsidy
