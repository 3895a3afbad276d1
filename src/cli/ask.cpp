// `subsidy ask --region CODE [--form FORM]`: the guided interview. Asks one question at a time, the
// missing fact on which the most money still depends, until no open question can change the
// total or the input ends; then writes the profile it built and prints the report.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "core/advice.h"
#include "core/interview.h"
#include "core/profile.h"
#include "core/region.h"
#include "report/interview_text.h"
#include "report/render.h"
#include "report/vocabulary_text.h"

namespace subsidy::cli {
namespace {

struct AskOptions {
  std::string region;
  std::string form;                // empty: asked first
  std::vector<std::string> roles;  // empty: asked as a question when a rule needs them
  int year = 0;                    // 0: the latest year with a document in force for the region
  std::string profile;
  std::string output;
  std::string rules_dir;
  Lang lang = Lang::Zh;
};

struct Session {
  const RuleSet& rules;
  Profile profile;
  std::vector<QuestionKey> skipped;
  Lang lang = Lang::Zh;
  bool echo = false;  // answers read from a pipe or a file are echoed, so the transcript reads well
  int asked = 0;
};

enum class Outcome { Answered, Skipped, End };

// The profile to start from: --profile's file, or a new one; --region, --form, --role and
// --year override.
Profile start_profile(const AskOptions& options, const RuleSet& rules) {
  Profile p;
  if (!options.profile.empty()) {
    if (options.profile == "-") {
      throw Fatal(kUsage, msg("--profile cannot be standard input: the answers are read from it",
                              "--profile 不能是标准输入：回答要从标准输入读取"));
    }
    Result<Profile> loaded =
        load_profile(read_input(options.profile), options.profile, rules.vocabulary());
    if (!loaded.ok()) {
      throw diagnostics_error(kBadInput, loaded.errors(), {options.profile, options.profile});
    }
    p = std::move(loaded.value());
  } else {
    if (options.region.empty()) {
      throw Fatal(kUsage,
                  msg("give --region, or --profile FILE", "请给出 --region，或 --profile 文件"));
    }
    p.facts.resize(rules.vocabulary().facts.size());
  }
  if (!options.form.empty()) p.form = options.form;
  if (!options.roles.empty()) set_roles(p, options.roles);
  if (!options.region.empty()) {
    std::optional<std::string> code =
        resolve_region(rules, region_code(options.region, "--region"));
    if (!code) {
      throw Fatal(kBadInput, msg("no document covers region {}", "没有适用于地区 {} 的政策文件",
                                 options.region));
    }
    p.region = *code;
  }
  if (options.year) {
    p.policy_year = options.year;
  } else if (options.profile.empty() || !options.region.empty()) {
    p.policy_year = default_policy_year(rules, p.region).year;
  }
  return p;
}

bool blank(const std::string& line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

// Reads an answer to `q` into the profile; false (with the reason) when it is not valid.
bool take_answer(Session& s, const Question& q, const std::string& line, Message& error) {
  if (q.missing.fact == kRolesFact) {
    std::optional<std::vector<std::string>> roles = parse_roles(line, &error);
    if (roles) set_roles(s.profile, std::move(*roles));
    return roles.has_value();
  }
  if (q.count()) {
    std::optional<int> n = parse_count(line, &error);
    if (n) apply_count(s.profile, q, *n);
    return n.has_value();
  }
  const FactDecl& fact = s.rules.vocabulary().facts[static_cast<std::size_t>(q.missing.fact)];
  const FactDecl& decl = q.is_list ? fact.fields[static_cast<std::size_t>(q.field)] : fact;
  std::optional<Scalar> value = parse_answer(decl, line, &error);
  if (value) apply_answer(s.profile, s.rules.vocabulary(), q, *value);
  return value.has_value();
}

// The legal form, when neither --form nor --profile gave it: asked first, until answered (it
// decides which rules apply at all); the end of input ends the interview with a usage error.
void ask_form(Session& s) {
  std::cout << tr(s.lang, "\nThe applicant's legal form? ", "\n申请主体的法律形式？");
  for (std::size_t i = 0; i < std::size(kLegalForms); ++i) {
    std::cout << (i ? tr(s.lang, ", ", "、") : "") << i + 1 << " "
              << (s.lang == Lang::En ? kLegalForms[i].en : kLegalForms[i].zh);
  }
  std::cout << "\n> ";
  for (;;) {
    std::cout.flush();
    std::string line;
    if (!std::getline(std::cin, line)) {
      std::cout << "\n";
      throw Fatal(kUsage, msg("no legal form given: answer the first question, or give --form",
                              "未给出法律形式：请回答第一个问题，或给出 --form"));
    }
    if (s.echo) std::cout << line << "\n";
    Message error;
    if (std::optional<std::string> form = parse_form(line, &error)) {
      s.profile.form = *form;
      return;
    }
    std::cout << "    " << error.in(s.lang) << "\n> ";
  }
}

// One question, asked until it gets a valid answer, a skip or the end of input.
Outcome ask_one(Session& s, const Question& q, const Report& report) {
  std::cout << question_text(q, report, ++s.asked, s.lang);
  for (;;) {
    std::cout.flush();
    std::string line;
    if (!std::getline(std::cin, line)) {
      std::cout << "\n";
      return Outcome::End;
    }
    if (s.echo) std::cout << line << "\n";
    if (blank(line)) return Outcome::Skipped;
    if (line.find_first_not_of(" \t\r?") == std::string::npos || line == "？") {
      std::cout << question_sources(q.missing, report, s.lang) << "> ";
      continue;
    }
    Message error;
    if (take_answer(s, q, line, error)) return Outcome::Answered;
    std::cout << "    " << error.in(s.lang) << "\n> ";
  }
}

// Asks until no open question can change the total, or the input ends; returns the last report.
Report interview(Session& s) {
  Report report = evaluate(s.rules, s.profile);
  std::cout << progress_text(report, open_questions(report, s.skipped).size(), s.lang);
  for (;;) {
    std::vector<Question> open = open_questions(report, s.skipped);
    if (open.empty()) {
      std::cout << tr(s.lang, "\nNo open question can change the total.\n",
                      "\n没有待答的问题还能改变合计金额。\n");
      break;
    }
    Outcome outcome = ask_one(s, open.front(), report);
    if (outcome == Outcome::End) {
      std::cout << tr(s.lang, "End of input: the questions left stay unknown.\n",
                      "输入结束：其余问题保持未知。\n");
      break;
    }
    if (outcome == Outcome::Skipped) s.skipped.push_back(key_of(open.front()));
    report = evaluate(s.rules, s.profile);
    std::cout << progress_text(report, open_questions(report, s.skipped).size(), s.lang);
  }
  return report;
}

int run_ask(const AskOptions& options) {
  std::shared_ptr<const RuleSet> rule_set = load_rules(options.rules_dir);
  const RuleSet& rules = *rule_set;
  ReportStamp stamp = report_stamp(rules);  // a bad SUBSIDY_NOW is found before any question
  Session s{rules, start_profile(options, rules), {}, options.lang, !isatty(0), 0};
  if (s.profile.policy_year == 0) {
    throw Fatal(kBadInput, msg("no document covers region {}", "没有适用于地区 {} 的政策文件",
                               s.profile.region));
  }
  // The destination is checked before the first question: no answers are lost to a bad -o.
  std::optional<OutputFile> out;
  if (!options.output.empty()) {
    std::vector<std::string> inputs;
    if (!options.profile.empty()) inputs.push_back(options.profile);
    out.emplace(options.output, inputs);
  }
  if (s.profile.form.empty()) ask_form(s);
  std::cout << (options.lang == Lang::En
                    ? fmt::format("Interview for {}, {}, policy year {}.\n",
                                  region_label(s.profile.region, Lang::En),
                                  form_label(s.profile.form, Lang::En), s.profile.policy_year)
                    : fmt::format("问卷：{}，{}，政策年度 {}。\n",
                                  region_label(s.profile.region, Lang::Zh),
                                  form_label(s.profile.form, Lang::Zh), s.profile.policy_year));
  std::cout << documents_text(region_documents(rules, s.profile.region), s.profile.policy_year,
                              options.lang);
  Report report = interview(s);
  std::string json = render_profile_json(s.profile, rules.vocabulary());
  if (out) {
    out->write(json);
    out->commit();
    std::cout << (options.lang == Lang::En
                      ? fmt::format("\nProfile written to {}.\n\n", out->name())
                      : fmt::format("\n档案已写入 {}。\n\n", out->name()));
  } else {
    std::cout << tr(options.lang, "\nThe profile:\n", "\n档案：\n") << json << "\n";
  }
  std::optional<Message> error = evaluation_error(report);
  if (report.overflow) {
    throw Fatal(kBadInput, msg("{0}; no report printed", "{1}；未输出报告", error->en, error->zh));
  }
  ReportExtras extras;
  extras.advice = advise(rules, s.profile, report);
  extras.missing = rank_missing(report);
  extras.projections = project(rules, s.profile, report);
  extras.stamp = stamp;
  std::cout << render_report(report, Format::Table, options.lang, extras);
  if (error) {
    std::cout.flush();
    throw Fatal(kBadInput, *error);
  }
  return kOk;
}

}  // namespace

Run setup_ask(CLI::App* cmd, Lang lang) {
  auto options = std::make_shared<AskOptions>();
  cmd->description(
      tr(lang,
         "Guided interview: asks for the facts on which the most money depends, one at a "
         "time, then writes the profile and the report",
         "逐题问答：每次询问最多金额所取决的一项事实，最后写出档案和评估报告"));
  cmd->add_option("--region", options->region,
                  tr(lang, "Region: code or name (Chinese or English), e.g. 330802, Kecheng",
                     "地区：代码或名称，例如 330802、柯城区、柯城、Kecheng"));
  add_form_option(cmd, options->form, lang, false);
  add_role_option(cmd, options->roles, lang);
  cmd->add_option("--year", options->year,
                  tr(lang, "Policy year (default: the latest with a document in force)",
                     "政策年度（默认：有政策文件生效的最近一年）"));
  cmd->add_option("--profile", options->profile,
                  tr(lang, "Start from this profile and ask only its gaps",
                     "从此档案开始，只询问其中缺少的事实"));
  cmd->add_option("-o,--output", options->output,
                  tr(lang, "Write the profile to this file (default: print it)",
                     "将档案写入此文件（默认：打印出来）"));
  add_rules_option(cmd, options->rules_dir, lang);
  add_lang_option(cmd, options->lang, lang);
  return [options] { return run_ask(*options); };
}

}  // namespace subsidy::cli
