#include "core/unread.h"

#include <algorithm>
#include <array>

#include "core/reuse.h"

namespace subsidy {

std::string region_parent(const RuleSet& rules, const std::string& region) {
  auto parent = rules.region_parents().find(region);
  if (parent != rules.region_parents().end()) return parent->second;
  return region.size() == 6 && !region.ends_with("00") ? region.substr(0, 4) + "00" : "";
}

namespace {

std::vector<std::string_view> name_parts(std::string_view name) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('_', start);
    if (end == std::string_view::npos) end = name.size();
    if (end > start) parts.push_back(name.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// The given name, split once, with its letters counted: the count difference bounds the edit
// distance from below, so that most pairs of names are told apart without computing it.
struct Name {
  std::string_view text;
  std::vector<std::string_view> parts;
  std::array<std::uint8_t, 128> letters{};

  explicit Name(std::string_view name) : text(name), parts(name_parts(name)) {
    count_letters(name, letters);
  }
  static void count_letters(std::string_view name, std::array<std::uint8_t, 128>& letters) {
    for (char c : name) ++letters[static_cast<unsigned char>(c) & 127];
  }
};

// Whether `part` (no '_' in it) is one of the parts of `name`: found between underscores or ends.
bool has_part(std::string_view name, std::string_view part) {
  for (std::size_t at = name.find(part); at != std::string_view::npos;
       at = name.find(part, at + 1)) {
    std::size_t end = at + part.size();
    if ((at == 0 || name[at - 1] == '_') && (end == name.size() || name[end] == '_')) return true;
  }
  return false;
}

// name_parts(name).size(), without the list.
std::size_t part_count(std::string_view name) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] != '_' && (i == 0 || name[i - 1] == '_')) ++count;
  }
  return count;
}

// The candidate is looked at only as far as it must be: each fact's suggestions compare its name
// with every fact read, nearly all of them not alike, so the cheap tests come first (its parts
// found in place, not split into a list; the difference in length) and the letters are counted
// only for a candidate that passes them.
std::optional<int> alike(const Name& given, std::string_view candidate) {
  std::size_t shared = 0;
  for (std::string_view part : given.parts) {
    if (has_part(candidate, part)) ++shared;
  }
  // One name is the other with parts added: every part of the shorter one is in the longer.
  bool parts = shared >= 2 && (shared == given.parts.size() || shared == part_count(candidate));
  std::size_t longer = std::max(given.text.size(), candidate.size());
  if (!parts) {
    std::size_t shorter = std::min(given.text.size(), candidate.size());
    // The difference in length bounds the edits from below, as the letters' does.
    if ((longer - shorter) * 3 > longer) return std::nullopt;
    std::array<std::uint8_t, 128> letters{};
    Name::count_letters(candidate, letters);
    std::size_t more = 0, fewer = 0;  // letters the candidate has more, fewer of
    // Over the letters of either name, each once: any other is in neither, and adds nothing.
    std::array<bool, 128> seen{};
    auto compare = [&](char letter) {
      std::size_t c = static_cast<unsigned char>(letter) & 127;
      if (seen[c]) return;
      seen[c] = true;
      if (letters[c] > given.letters[c]) more += letters[c] - given.letters[c];
      if (letters[c] < given.letters[c]) fewer += given.letters[c] - letters[c];
    };
    for (char letter : given.text) compare(letter);
    for (char letter : candidate) compare(letter);
    if (std::max(more, fewer) * 3 > longer) return std::nullopt;  // no typo either
  }
  std::size_t edits = edit_distance(given.text, candidate);
  if (!parts && edits * 3 > longer) return std::nullopt;
  return static_cast<int>(edits);
}

// The facts some rule reads with a name alike `fact`'s, closest first.
std::vector<int> find_similar(const RuleSet& rules, std::size_t fact) {
  const std::vector<FactDecl>& facts = rules.vocabulary().facts;
  Name given(facts[fact].name);
  std::vector<std::pair<int, int>> found;  // distance, fact
  for (std::size_t g = 0; g < facts.size(); ++g) {
    if (g == fact || rules.readers()[g].empty()) continue;
    if (std::optional<int> d = alike(given, facts[g].name)) {
      found.emplace_back(*d, static_cast<int>(g));
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<int> similar;
  similar.reserve(found.size());
  for (const auto& [distance, g] : found) similar.push_back(g);
  return similar;
}

}  // namespace

void index_readers(RuleSet::Parts& rules) {
  rules.readers.assign(rules.vocabulary.facts.size(), {});
  for (std::size_t d = 0; d < rules.documents.size(); ++d) {
    const Document& doc = rules.documents[d];
    for (std::size_t r = 0; r < doc.rules.size(); ++r) {
      const Rule& rule = doc.rules[r];
      for_each_fact_read(rule, [&](int fact) {
        if (fact < 0 || static_cast<std::size_t>(fact) >= rules.readers.size()) return;
        std::vector<FactReaders>& readers = rules.readers[static_cast<std::size_t>(fact)];
        if (readers.empty() || readers.back().document != d) {
          readers.push_back(FactReaders{static_cast<std::uint32_t>(d), 0, {}});
        }
        FactReaders& here = readers.back();
        here.applicants |= rule.applicant_mask;
        if (here.rules.empty() || here.rules.back() != r) {
          here.rules.push_back(static_cast<std::uint32_t>(r));
        }
      });
    }
  }
  rules.similar = std::make_shared<SimilarFacts>(rules.vocabulary.facts.size());
}

const std::vector<int>& similar_facts(const RuleSet& rules, int fact) {
  static const std::vector<int> kNone;
  std::size_t f = static_cast<std::size_t>(fact);
  if (!rules.similar() || fact < 0 || f >= rules.similar()->size) return kNone;
  SimilarFacts::Slot& slot = rules.similar()->slots[f];
  std::call_once(slot.once, [&] { slot.facts = find_similar(rules, f); });
  return slot.facts;
}

std::string_view unread_reason_name(UnreadReason reason) {
  switch (reason) {
    case UnreadReason::OtherForm:
      return "other_form";
    case UnreadReason::NotInForce:
      return "not_in_force";
    case UnreadReason::OtherRegion:
      return "other_region";
    case UnreadReason::Nowhere:
      break;
  }
  return "read_nowhere";
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // A row on the stack for names (every fact name is far shorter), on the heap beyond.
  std::array<std::size_t, 128> small;
  std::vector<std::size_t> large(b.size() < small.size() ? 0 : b.size() + 1);
  std::size_t* row = large.empty() ? small.data() : large.data();
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

namespace {

// What the applicant is, for the look-ups: the documents that cover it are those of its region
// and of its city layer, in force in its policy year; the rules, those for its legal form.
struct Applicant {
  const RuleSet& rules;
  unsigned form;
  // Per document of the rule set: whether it covers the applicant's region, and whether it is
  // also in force in the policy year; decided once per profile, not per fact and reader (comparing
  // region codes there was most of the cost of this pass in a batch).
  std::vector<std::uint8_t> covers_here;

  Applicant(const RuleSet& r, const Profile& p) : rules(r), form(form_bit(p.form)) {
    std::string parent = region_parent(r, p.region);
    covers_here.reserve(r.documents().size());
    for (const Document& d : r.documents()) {
      bool here = covers(d, p.region, parent);
      covers_here.push_back(
          static_cast<std::uint8_t>(here ? (d.in_force(p.policy_year) ? 2 : 1) : 0));
    }
  }

  bool here(const Document& d) const { return covers_here[index(d)] != 0; }
  bool in_force(const Document& d) const { return covers_here[index(d)] == 2; }
  std::size_t index(const Document& d) const {
    return static_cast<std::size_t>(&d - rules.documents().data());
  }
  const Document& document(const FactReaders& r) const { return rules.documents()[r.document]; }
  // The first rule that reads the fact for this applicant, or null.
  FactRead reader(int fact) const {
    for (const FactReaders& r : rules.readers()[static_cast<std::size_t>(fact)]) {
      const Document& d = document(r);
      if (!(r.applicants & form) || !in_force(d)) continue;
      for (std::uint32_t i : r.rules) {
        if (d.rules[i].applicant_mask & form) return FactRead{fact, &d.rules[i], &d};
      }
    }
    return {};
  }
};

// Why `fact`, which no rule in force for this applicant reads, is not read, and where it is.
void explain_unread(const Applicant& a, UnreadFact& u, UnreadWhere& w) {
  for (const FactReaders& r : a.rules.readers()[static_cast<std::size_t>(u.fact)]) {
    const Document& d = a.document(r);
    UnreadReason reason = a.in_force(d) ? UnreadReason::OtherForm
                          : a.here(d)   ? UnreadReason::NotInForce
                                        : UnreadReason::OtherRegion;
    // One rule per other region: a region with several documents is named once.
    if (reason == UnreadReason::OtherRegion && u.reason == reason &&
        std::any_of(w.elsewhere.begin(), w.elsewhere.end(),
                    [&](const FactRead& e) { return e.document->region.code == d.region.code; })) {
      continue;
    }
    FactRead read{u.fact, &d.rules[r.rules.front()], &d};
    if (w.elsewhere.empty() || reason < u.reason) {
      u.reason = reason;
      w.elsewhere.assign(1, read);
    } else if (reason == u.reason) {
      w.elsewhere.push_back(read);
    }
  }
}

void suggest(const Applicant& a, int fact, UnreadWhere& w) {
  for (int candidate : similar_facts(a.rules, fact)) {
    if (w.suggestions.size() == kMaxSuggestions) break;
    FactRead read = a.reader(candidate);
    if (read.rule) w.suggestions.push_back(read);
  }
}

}  // namespace

std::optional<int> name_distance(std::string_view given, std::string_view candidate) {
  return alike(Name(given), candidate);
}

namespace {

// `fact`'s verdict for the applicant: null when a rule in force for it reads the fact. With
// `render`, its text is made too, once the verdict is complete (the renderer reads it whole).
std::optional<UnreadFact> verdict(const Applicant& a, int fact, VerdictText render = nullptr) {
  if (a.reader(fact).rule) return std::nullopt;
  UnreadFact u;
  u.fact = fact;
  auto where = std::make_shared<UnreadWhere>();
  explain_unread(a, u, *where);
  suggest(a, fact, *where);
  if (render) {
    u.where = where;
    where->text = render(u, a.rules);
    where->made_by = render;
  } else if (!where->elsewhere.empty() || !where->suggestions.empty()) {
    u.where = std::move(where);
  }
  return u;
}

bool indexed(const RuleSet& rules) {
  return rules.readers().size() == rules.vocabulary().facts.size();
}

}  // namespace

std::vector<UnreadFact> unread_facts(const RuleSet& rules, const Profile& profile) {
  std::vector<UnreadFact> unread;
  if (profile.given.empty() || !indexed(rules)) return unread;
  Applicant a(rules, profile);
  for (const GivenFact& g : profile.given) {
    std::optional<UnreadFact> u = verdict(a, g.fact);
    if (!u) continue;
    u->line = g.line;
    u->col = g.col;
    unread.push_back(std::move(*u));
  }
  return unread;
}

UnreadMemo::Verdicts& UnreadMemo::applicant(const RuleSet& rules, const Profile& profile) {
  unsigned form = form_bit(profile.form);
  for (Verdicts& a : applicants_) {
    if (a.policy_year == profile.policy_year && a.form == form && a.region == profile.region) {
      return a;
    }
  }
  if (applicants_.size() == kMaxApplicants) applicants_.clear();
  Verdicts& a = applicants_.emplace_back();
  a.region = profile.region;
  a.policy_year = profile.policy_year;
  a.form = form;
  a.state.assign(rules.vocabulary().facts.size(), 0);
  a.unread.resize(rules.vocabulary().facts.size());
  return a;
}

void UnreadMemo::unread_facts(const RuleSet& rules, const Profile& profile,
                              std::vector<UnreadFact>& out, VerdictText render) {
  if (render != render_) {  // every verdict kept has the text of the renderer asked for
    applicants_.clear();
    render_ = render;
  }
  std::size_t count = 0;
  if (!profile.given.empty() && indexed(rules)) {
    Verdicts& memo = applicant(rules, profile);
    std::optional<Applicant> here;  // built only when a fact is not worked out yet
    for (const GivenFact& g : profile.given) {
      auto f = static_cast<std::size_t>(g.fact);
      if (memo.state[f] == 0) {
        if (!here) here.emplace(rules, profile);
        std::optional<UnreadFact> u = verdict(*here, g.fact, render);
        memo.state[f] = u ? 2 : 1;
        if (u) memo.unread[f] = std::move(*u);
      }
      if (memo.state[f] != 2) continue;
      UnreadFact& u = refill_slot(out, count++);
      const UnreadFact& kept = memo.unread[f];
      u.fact = kept.fact;
      u.reason = kept.reason;
      // Not owning (an aliasing pointer with no control block): copying the memo's pointer
      // would count references atomically, and the record holding it is written on another
      // thread, which would then bounce the count's cache line between the cores.
      u.where = std::shared_ptr<const UnreadWhere>(std::shared_ptr<const UnreadWhere>(),
                                                   kept.where.get());
      u.line = g.line;
      u.col = g.col;
    }
  }
  out.resize(count);
}

}  // namespace subsidy
