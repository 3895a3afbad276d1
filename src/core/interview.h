// The guided interview (`subsidy ask`) without any input or output: which question comes next
// (the missing fact the most money still depends on, as eval ranks them), what a typed answer
// means for a fact, and where a region typed by a person is found.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/advice.h"
#include "core/engine.h"

namespace subsidy {

// A fact (and, for a per-year fact, the year) that the interview asks for.
using FactKey = std::pair<int, std::optional<int>>;

// Whether answering the missing fact can change the total of grants: some rule that needs it is
// a grant whose amount can be more than zero (an amount the text does not give, tax relief and
// fee reductions stay out of the total).
bool can_change_total(const MissingFact& missing);

// The questions still open in `report`, most money first (rank_missing's order): missing facts
// that are not lists, not in `skipped`, and on which the total can depend.
std::vector<MissingFact> open_questions(const Report& report, const std::vector<FactKey>& skipped);

// The list facts that rules in `report` still need (the interview does not ask for lists).
std::vector<int> missing_lists(const Report& report);

// What `text` (trimmed) means as a value of `decl`: a number (万/亿 suffixes; % only for ratios;
// not negative unless a ratio), a boolean (是/否, y/n, yes/no, true/false) or an enum value (its
// id, or its position in decl.values counted from 1). nullopt with the reason in *error.
std::optional<Scalar> parse_answer(const FactDecl& decl, std::string_view text, Message* error);

// The documents that apply to a region code: its own and its city's (as the engine finds them).
std::vector<const Document*> region_documents(const RuleSet& rules, const std::string& code);

// The region code for what a person typed, or nullopt when no document covers it. Today a
// six-digit GB/T 2260 code whose documents (its own or its city's) are loaded; the one place to
// teach names (柯城区, Kecheng) to.
std::optional<std::string> resolve_region(const RuleSet& rules, std::string_view text);

}  // namespace subsidy
