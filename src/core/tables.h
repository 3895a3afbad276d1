// What every table of one concept (units.h, ops.h, model.h, engine.h, report/format.h…) needs:
// the check that a table indexed by its enum lists the enumerators in order, and the lookup of
// an entry by the key a file, an option or a person writes. Pure: thread-safe.
#pragma once

#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace subsidy {

// An enumerator's entry in a table that names it: the key a file or the JSON output writes, and
// its name for people in each language (kAmountKinds, kBenefits, kStepKinds).
template <class Enum>
struct Named {
  Enum value;
  std::string_view key;
  std::string_view en;
  std::string_view zh;
};

// Whether entry i of `table` is for enumerator i (its `member`), so that the table can be
// indexed by the enum; with `count`, also that it has exactly that many entries (every
// enumerator).
template <class Table, class Member>
constexpr bool in_enum_order(const Table& table, Member member, std::size_t count = 0) {
  for (std::size_t i = 0; i < std::size(table); ++i) {
    if (static_cast<std::size_t>(table[i].*member) != i) return false;
  }
  return count == 0 || std::size(table) == count;
}

// The entry of `table` whose `member` (its key or id) is `key`; null when none is.
template <class Table, class Member>
constexpr auto find_by_key(const Table& table, Member member, std::string_view key)
    -> decltype(&*std::begin(table)) {
  for (const auto& entry : table) {
    if (entry.*member == key) return &entry;
  }
  return nullptr;
}

// Every entry's `member` (its key or id), in table order: the values an option admits.
template <class Table, class Member>
std::vector<std::string> keys_of(const Table& table, Member member) {
  std::vector<std::string> keys;
  for (const auto& entry : table) keys.emplace_back(entry.*member);
  return keys;
}

}  // namespace subsidy
