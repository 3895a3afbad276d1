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

// One question: a fact (for a per-year fact, of one year); for a list fact, either how many items
// it has (field −1: the list is not given) or one field of one item (the engine needs it).
struct Question {
  MissingFact missing;  // the fact, what depends on it and the rules that ask for it
  int field = -1;       // a list item's field (index in the list's fields), or −1
  int item = -1;        // that item's position, from 0
  std::optional<int> year;
  bool count() const { return field < 0 && item < 0 && is_list; }
  bool is_list = false;
  // An enum: the positions (in its values) of the values the asking rules compare it with, in
  // order; empty when they compare it with none.
  std::vector<int> choices;
};

// What identifies a question, so that one skipped is not asked again.
struct QuestionKey {
  int fact = -1;
  int field = -1;
  int item = -1;
  std::optional<int> year;
  auto operator<=>(const QuestionKey&) const = default;
};
QuestionKey key_of(const Question& question);

// The most items the interview creates for one list: above any applicant's titles or talents.
constexpr int kMaxInterviewItems = 50;

// Whether answering the missing fact can change the total of grants: some rule that needs it is
// a grant whose amount can be more than zero (an amount the text does not give, tax relief and
// fee reductions stay out of the total).
bool can_change_total(const MissingFact& missing);

// The questions still open in `report`, most money first (rank_missing's order): missing facts
// not in `skipped` on which the total can depend; a list fact the profile does not give is asked
// as a count, then each item's fields as the rules need them, item by item.
std::vector<Question> open_questions(const Report& report, const std::vector<QuestionKey>& skipped);

// Parses the answer to a count question: a whole number from 0 to kMaxInterviewItems.
std::optional<int> parse_count(std::string_view text, Message* error);

// Applies an answer: sets the fact (or the year's value, or the item's field); a count makes the
// list with that many items, their fields unknown.
void apply_answer(Profile& profile, const Vocabulary& vocabulary, const Question& question,
                  const Scalar& value);
void apply_count(Profile& profile, const Question& question, int count);

// What `text` (trimmed) means as a value of `decl`: a number (万/亿 suffixes; % only for ratios;
// not negative unless a ratio), a boolean (是/否, y/n, yes/no, true/false) or an enum value (its
// id, or its position in decl.values counted from 1). nullopt with the reason in *error.
std::optional<Scalar> parse_answer(const FactDecl& decl, std::string_view text, Message* error);

// The answer to the roles question (the profile's `roles`, asked as one question): the numbers of
// the roles held in kRoles' order from 1 ("1,3"; also 、，; or spaces), or their ids or names;
// "0" (无, none) for none. Nullopt, with the reason, when a word names no role.
std::optional<std::vector<std::string>> parse_roles(std::string_view text, Message* error);
// The answer to the legal-form question: a number in kLegalForms' order from 1, an id or a name.
std::optional<std::string> parse_form(std::string_view text, Message* error);

// The documents that apply to a region code: its own and its city's (as the engine finds them).
std::vector<const Document*> region_documents(const RuleSet& rules, const std::string& code);

// The region code for what a person typed, or nullopt when no document covers it. Today a
// six-digit GB/T 2260 code whose documents (its own or its city's) are loaded; the one place to
// teach names (柯城区, Kecheng) to.
std::optional<std::string> resolve_region(const RuleSet& rules, std::string_view text);

}  // namespace subsidy
