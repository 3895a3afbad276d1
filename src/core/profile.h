// Profiles: one applicant's identity and facts, read from JSON text against the fact vocabulary.
// A fact the profile does not give, or gives as null, stays absent: the engine reports it as
// needed, never as zero.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/diagnostic.h"
#include "core/json.h"
#include "core/model.h"

namespace subsidy {

struct FactValue;

struct Item {
  // Indexed like the list's FactDecl::fields; empty when the item gives no field at all.
  std::vector<FactValue> fields;
  const FactValue& field(int index) const;  // an absent value when not given (inline, below)
  // Written out in profile.cpp, as FactValue's: clang 14 crashes on the two defaulted
  // comparisons calling each other.
  bool operator==(const Item& other) const;
};

struct FactValue {
  bool present = false;
  Scalar scalar;                              // scalar facts
  std::vector<std::pair<int, Scalar>> years;  // per-year facts, sorted by year
  std::vector<Item> items;                    // list facts

  const Scalar* at_year(int year) const;
  bool operator==(const FactValue& other) const;
};

// What Item::field gives for a field not given. Constant-initialized: no guard on each read.
inline constinit const FactValue kAbsentField{};

// Inline: the engine reads an item's fields for every item of every list it tests.
inline const FactValue& Item::field(int index) const {
  auto i = static_cast<std::size_t>(index);
  return i < fields.size() ? fields[i] : kAbsentField;
}

// The most items a list fact may hold: far above any applicant's certificates or machines.
constexpr std::size_t kMaxListItems = 10000;

// A fact as the profile gives it: which, and where it is written (the key in JSON, the first
// non-empty cell in CSV), for messages about the fact itself.
struct GivenFact {
  int fact = -1;  // vocabulary index
  int line = 0;
  int col = 0;
  bool operator==(const GivenFact&) const = default;
};

struct Profile {
  std::string id;
  std::string name;
  std::string form;  // a legal form (kLegalForms)
  // The roles held (kRoles), when known: `roles` absent or null leaves them unknown, [] is none.
  std::optional<std::vector<std::string>> roles;
  unsigned role_mask = 0;  // `roles` as bits (kRoles), set with them
  std::string region;
  int policy_year = 0;
  std::vector<FactValue> facts;  // indexed like Vocabulary::facts
  std::vector<GivenFact> given;  // the facts present, in the order written
  std::string source;            // where it was read from, for messages
  // Member by member (the fast path's differential tests compare the two readers' profiles).
  bool operator==(const Profile&) const = default;
};

// Whether a number fact may take `value`: amounts, areas and counts are never negative; ratios
// (a growth rate) may be.
bool number_allowed(const FactDecl& decl, Decimal value);

// Sets the profile's roles (and role_mask) from role ids, all of them in kRoles.
void set_roles(Profile& profile, std::vector<std::string> roles);

Result<Profile> load_profile(std::string_view text, const std::string& source,
                             const Vocabulary& vocabulary);
Profile read_profile(const json::Value& root, const std::string& source,
                     const Vocabulary& vocabulary, std::vector<Diagnostic>& diagnostics);

}  // namespace subsidy
