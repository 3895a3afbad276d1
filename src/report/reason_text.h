// Reasons in plain words: why a rule does not pay, what it tests and what is missing, written
// from the rule and the vocabulary's names in Chinese or English. No rule-language notation and no
// internal ids reach a person here: enum values are named by their labels (中华老字号, 省级),
// facts and item fields by their names, bounds in words (不低于 200万, no later than 2023). The
// JSON report keeps the ids (relation, actual, threshold) for machines.
//
// All functions read the Report's rule set and profile, which must outlive the call; they keep
// nothing. Thread-safe as long as the Report is not changed meanwhile.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/engine.h"

namespace subsidy {

// A fact's name in `lang`, with the calendar year when given: "主营业务收入（2022年）".
std::string fact_label(const FactDecl& decl, std::optional<int> year, Lang lang);
// A field of one item of a list, by the short names: "技改项目第1项的新增设备和技术投资额",
// "New equipment and technology investment of Technical-upgrade projects #1".
std::string item_field_label(const FactDecl& list, int item, int field, std::optional<int> year,
                             Lang lang);
// The vocabulary entry of a fact index of the report's rule set.
const FactDecl& fact_decl(const Report& report, int fact);

// What a condition tests, in words: "级别为国家级或省级，状态为新认定".
std::string describe_condition(const Cond& cond, const Report& report, Lang lang);
// Why a rule failed: "没有符合条件的称号记录（优秀众创空间，国家级或省级，新认定，2023年）".
std::string explain_failure(const Failure& failure, const Report& report, Lang lang);
// What is missing: "缺少：主营业务收入（2022年）".
std::string explain_missing(const Missing& missing, const Report& report, Lang lang);

}  // namespace subsidy
