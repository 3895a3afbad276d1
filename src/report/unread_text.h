// Facts no rule reads (core/unread), said for people in both languages and for programs as JSON:
// the warnings of eval, explain and batch, and the errors of --strict.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "core/message.h"
#include "core/unread.h"

namespace subsidy {

// The code of the warning (and of the --strict error), the same in both languages.
inline constexpr const char* kUnreadFactCode = "unread-fact";

// "`agri_loan_interest` is read by no rule in force for this applicant: only rules of other
// regions read it: 衢州市 (330800, qz-…); did you mean `agri_loan_interest_guarantee_fee`? read
// by wc-36-agri-loan-interest", in English and Chinese. `policy_year` is the profile's.
Message unread_fact_message(const UnreadFact& unread, const RuleSet& rules, int policy_year);

// The warnings section of a text report ("Warnings:" / "警告："), empty when there are none.
std::string unread_facts_section(const std::vector<UnreadFact>& unread, const RuleSet& rules,
                                 int policy_year, Lang lang);

// One warning of that array, {"code", …, "suggestions": […]}: the renderer a batch worker gives
// its UnreadMemo (core/unread), so that each verdict's JSON is written once and a row's warnings
// are copied from their verdicts.
std::string unread_fact_json(const UnreadFact& unread, const RuleSet& rules);

// The stable JSON array of a batch record: [{"code", "fact", "reason", "read_by": [{"rule",
// "document", "region"}], "suggestions": [{"fact", "rule"}]}] (docs/output.md), appended to `out`.
// A warning with UnreadFact::text (made by unread_fact_json) is copied from it.
void append_unread_facts_json(std::string& out, const std::vector<UnreadFact>& unread,
                              const RuleSet& rules);

// The same array written at `at`, which has room for unread_facts_json_size(unread, rules) bytes:
// its end is returned (the batch writer's, which sizes a record before writing it).
std::size_t unread_facts_json_size(const std::vector<UnreadFact>& unread, const RuleSet& rules);
char* write_unread_facts_json(char* at, const std::vector<UnreadFact>& unread,
                              const RuleSet& rules);

// The same array for the JSON report, each object with its `message` in `lang` as well.
nlohmann::ordered_json unread_facts_json(const std::vector<UnreadFact>& unread,
                                         const RuleSet& rules, int policy_year, Lang lang);

// One located diagnostic per fact ("file:line:col (/facts/NAME): … [unread-fact]"): warnings, or
// with `strict` errors that say --strict made them so.
std::vector<Diagnostic> unread_facts_diagnostics(const std::vector<UnreadFact>& unread,
                                                 const RuleSet& rules, const Profile& profile,
                                                 bool strict);

}  // namespace subsidy
