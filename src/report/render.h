// Renderers: a Report → text, in Chinese (default) or English, as a terminal table, stable JSON
// (docs/output.md), CSV or Markdown. They return strings; only the CLI prints.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/advice.h"
#include "core/engine.h"
#include "core/unread.h"
#include "report/format.h"
#include "report/reason_text.h"

namespace subsidy {

// When and from what a report was produced, for its header, footer and JSON keys (docs/output.md):
// the UTC date (cli: SUBSIDY_NOW, else SOURCE_DATE_EPOCH, else the clock), RuleSet::version and
// the program's version. Empty fields are left out.
struct ReportStamp {
  std::string date;  // YYYY-MM-DD, UTC
  std::string rules_version;
  std::string program_version;
};

// "生成于 2026-11-30（UTC）· 规则版本 0123456789abcdef · subsidy 0.1.0"; empty without a date.
std::string stamp_text(const ReportStamp& stamp, Lang lang);
// The one-sentence notice that amounts are estimates, not a decision of the government.
std::string disclaimer_text(Lang lang);
// A document not in force for the policy year, in one line: "衢政发〔2024〕7号《…》：2024 年起
// 施行，本年度（2023 年）不适用".
std::string not_in_force_text(const Document& doc, int policy_year, Lang lang);

// What eval adds beyond the rules' outcomes: near-miss advice and the missing facts ranked.
struct ReportExtras {
  std::vector<Advice> advice;
  std::vector<MissingFact> missing;
  std::vector<Projection> projections;
  std::size_t advice_shown = 5;  // in table and Markdown; JSON has them all
  // Facts the profile gives that no rule in force for the applicant reads: a warnings section
  // (table, Markdown, HTML) and the `warnings` array (JSON); CSV has no place for them.
  std::vector<UnreadFact> unread;
  ReportStamp stamp;
  // Table, Markdown and HTML list only the rules that concern the applicant (concerns_applicant)
  // and count the rest in one line per document; true lists them all. JSON and CSV list all.
  bool all_rules = false;
};

// Table, JSON, CSV, Markdown or HTML (report/html.h).
std::string render_report(const Report& report, Format format, Lang lang,
                          const ReportExtras& extras = {});
std::string advice_text(const Advice& advice, const Report& report, Lang lang);
std::string missing_fact_text(const MissingFact& missing, const Report& report, Lang lang);
std::string projection_text(const Projection& projection, Lang lang);

// One-line explanations, shared by every format: report/reason_text.h.
std::string status_label(Status status, Lang lang);
// A legal form's or a role's name (kLegalForms, kRoles) in `lang`; the id when unknown.
std::string form_label(const std::string& form, Lang lang);
std::string role_label(const std::string& role, Lang lang);
// Roles by name, joined ("种粮主体、农业生产经营主体"); roles_label also says "not given" (null)
// and "none" ([]).
std::string role_list(std::span<const std::string> roles, Lang lang);
std::string roles_label(const std::optional<std::vector<std::string>>& roles, Lang lang);
// Why a rule came out as it did, in one line (every failure and missing fact, the stacking group,
// the cap): the reports' "why" text; empty for a rule that pays in full.
std::string rule_reasons(const RuleResult& result, const Report& report, Lang lang);
std::string category_label(const CategoryName& category, Lang lang);
// Who bears money, by name: the region's 财政 for "issuer", else kPayers' name in `lang`.
std::string payer_label(const std::string& payer, const Document& doc, Lang lang);
// A trace step's name ("formula", "cap", ...) for a reader: "value", "cap" in English, 公式结果,
// 上限 in Chinese.
std::string step_label(StepKind step, Lang lang);

}  // namespace subsidy

namespace subsidy {

// `subsidy explain`: one rule's full trace for a profile: each tested condition with its actual
// value and threshold, the bracket, base, cap, rounding, stacking, payers and the quoted text.
// `unread`: the profile's facts no rule in force for it reads, shown as warnings at the end.
std::string render_explanation(const Report& report, const RuleResult& result, Lang lang,
                               const std::vector<UnreadFact>& unread = {});

// `subsidy explain` for one rule id, shared with the server's /v1/explain: the explanation (or why
// the rule's document does not apply: not in force in the policy year, another region), with the
// unread facts' warnings. `found` is false for an unknown id; `error` is the rule's own
// evaluation error (an overflow), told after the text as the CLI tells it (exit 3).
struct Explained {
  bool found = false;
  std::string text;
  std::optional<Message> error;
};
Explained explain_rule(const RuleSet& rules, const Profile& profile, const std::string& rule_id,
                       Lang lang, const std::vector<UnreadFact>& unread);

}  // namespace subsidy
