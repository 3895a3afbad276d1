// Facts no rule reads (issue 15, item 3): which rules read each fact, indexed once when the rule
// set is built, and, for one profile, each fact it gives that no rule in force for this applicant
// reads (its region, policy year and legal form), why, and what similar fact is read here instead.
// Values only: the renderers say it, the CLI prints it.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/profile.h"
#include "core/walk.h"

namespace subsidy {

// Calls `fn(fact)` for every fact `rule` reads: in its condition, formula, cap, upper bound, payer
// formulas and per-year counters (a list fact counts when any of its fields is read, or it is
// summed, counted or tested with `has`). A fact may be visited more than once.
template <class Fn>
void for_each_fact_read(const Rule& rule, Fn&& fn);

// The city layer over a county-level region: its declared parent (RuleSet::region_parents), else
// by GB/T 2260 structure the prefecture code (the first four digits, then "00"); "" for none.
std::string region_parent(const RuleSet& rules, const std::string& region);

// Whether `document` applies to an applicant of `region` whose city layer is `parent`.
inline bool covers(const Document& document, std::string_view region, std::string_view parent) {
  return document.region.code == region || (!parent.empty() && document.region.code == parent);
}

// Builds RuleSet::readers from the documents, and the empty memo RuleSet::similar: called once by
// load_rule_set, before the rule set is sealed.
void index_readers(RuleSet::Parts& rules);

// The memo behind RuleSet::similar: per fact, computed once on first use (std::call_once), so
// threads sharing the rule set may ask at the same time.
struct SimilarFacts {
  struct Slot {
    std::once_flag once;
    std::vector<int> facts;
  };
  explicit SimilarFacts(std::size_t facts) : slots(std::make_unique<Slot[]>(facts)), size(facts) {}
  std::unique_ptr<Slot[]> slots;
  std::size_t size;
};

// The facts some rule reads whose names are alike `fact`'s (name_distance), the closest first;
// empty for a rule set not indexed by index_readers. The reference lives as long as the rule set.
const std::vector<int>& similar_facts(const RuleSet& rules, int fact);

// Why no rule in force for this applicant reads a fact, the nearest first.
enum class UnreadReason : std::uint8_t {
  OtherForm,    // a rule in force here reads it, but only for other legal forms
  NotInForce,   // a document of this region reads it, but is not in force in the policy year
  OtherRegion,  // only documents of other regions read it
  Nowhere,      // no rule reads it at all
};

// The stable machine name of a reason: other_form, not_in_force, other_region, read_nowhere.
std::string_view unread_reason_name(UnreadReason reason);

struct FactRead {
  int fact = -1;
  const Rule* rule = nullptr;
  const Document* document = nullptr;
};

struct UnreadFact;

// A renderer of one verdict (its line and column not set), for UnreadWhere::text. Pure: the same
// verdict always gives the same text.
using VerdictText = std::string (*)(const UnreadFact& verdict, const RuleSet& rules);

// Where an unread fact is read instead. Immutable once made, and shared: a worker's memo hands
// the same lists to every row given the same verdict, so a row's warnings copy no list.
struct UnreadWhere {
  // For every reason but Nowhere: a rule that reads the fact (for OtherRegion, one per region,
  // in rule-set order), with its document.
  std::vector<FactRead> elsewhere;
  // At most kMaxSuggestions facts of similar name that a rule in force for this applicant reads,
  // the closest first, each with the first such rule.
  std::vector<FactRead> suggestions;
  // The verdict as the renderer given to UnreadMemo::unread_facts (`made_by`) wrote it (a batch
  // record's warning), made with the verdict so that a row copies it instead of writing it again;
  // empty when made without one. Opaque to core.
  std::string text;
  VerdictText made_by = nullptr;
};

struct UnreadFact {
  int fact = -1;  // vocabulary index
  int line = 0;   // where the profile gives it (0 when not known)
  int col = 0;
  UnreadReason reason = UnreadReason::Nowhere;
  // Null only when read nowhere, nothing similar and no text made (an UnreadMemo given a renderer
  // always makes one).
  std::shared_ptr<const UnreadWhere> where;

  const std::vector<FactRead>& elsewhere() const { return where ? where->elsewhere : kNoReads; }
  const std::vector<FactRead>& suggestions() const { return where ? where->suggestions : kNoReads; }
  // UnreadWhere::text if `render` made it, else empty.
  std::string_view text(VerdictText render) const {
    return where && where->made_by == render ? std::string_view(where->text) : "";
  }

 private:
  static inline const std::vector<FactRead> kNoReads;
};

inline constexpr std::size_t kMaxSuggestions = 2;

// Each fact `profile` gives (Profile::given, in the order written) that no rule in force for this
// applicant reads. Per fact given, one look-up in RuleSet::readers; the suggestions, computed only
// for a fact not read, compare its name with the facts read here.
std::vector<UnreadFact> unread_facts(const RuleSet& rules, const Profile& profile);

// The same answers for a worker that scores many profiles: whether a fact is read, and if not why
// and what is read instead, depends only on the applicant's region, policy year and legal form,
// so each fact's verdict is worked out once per such applicant and kept (up to kMaxApplicants of
// them; then the memo starts again). Not thread-safe: one per worker thread. `rules` must be the
// same rule set on every call.
class UnreadMemo {
 public:
  // unread_facts(rules, profile) into `out`, replacing what it held (a vector reused from profile
  // to profile keeps its storage; the lists are shared with the memo, not copied). With `render`,
  // each verdict's UnreadWhere::text is render(verdict, rules), made once when the verdict is;
  // a call with another renderer than the last starts the memo again.
  // The verdicts put in `out` point to the memo's lists without owning them (no reference is
  // counted, so a record overwritten on another thread touches nothing of this one's): they stay
  // valid until the memo's next call or its end. A batch worker renders each record before it
  // scores the next row; the writer reads only UnreadFact::fact.
  void unread_facts(const RuleSet& rules, const Profile& profile, std::vector<UnreadFact>& out,
                    VerdictText render = nullptr);

 private:
  static constexpr std::size_t kMaxApplicants = 256;
  struct Verdicts {  // one applicant's
    std::string region;
    int policy_year = 0;
    unsigned form = 0;
    // Per vocabulary fact: 0 not worked out yet, 1 read here, 2 not read (see `unread`).
    std::vector<std::uint8_t> state;
    std::vector<UnreadFact> unread;  // per fact, for state 2: its verdict (no line, col)
  };
  Verdicts& applicant(const RuleSet& rules, const Profile& profile);
  std::vector<Verdicts> applicants_;
  VerdictText render_ = nullptr;  // what made the texts of the verdicts kept
};

// Edits (insertions, deletions, substitutions of bytes) that turn `a` into `b`.
std::size_t edit_distance(std::string_view a, std::string_view b);

// How alike two fact names are, for suggestions: nullopt when not alike enough, else the edit
// distance (smaller is closer). Alike: an edit distance of at most a third of the longer name, or
// one name made of the other's parts (split at '_') and more, two parts at least
// (agri_loan_interest and agri_loan_interest_guarantee_fee; not tech_loan_interest_settled).
std::optional<int> name_distance(std::string_view given, std::string_view candidate);

}  // namespace subsidy

namespace subsidy {

namespace detail {
template <class Fn>
struct FactsRead {
  Fn& fn;
  void expr(const Expr& e, int) {
    if (int f = fact_named(e); f >= 0) fn(f);
  }
  void cond(const Cond& c, int) {
    if (int f = fact_named(c); f >= 0) fn(f);
  }
};
}  // namespace detail

template <class Fn>
void for_each_fact_read(const Rule& rule, Fn&& fn) {
  detail::FactsRead<Fn> read{fn};
  walk(rule, read);
  for (int fact : rule.advancing_facts) fn(fact);
}

}  // namespace subsidy
