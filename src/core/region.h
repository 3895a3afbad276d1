// Regions as people name them: the one table of region names (GB/T 2260 code, Chinese name,
// English name) that every command-line option taking a region reads, the one test of which
// documents cover a region (its own and its city's), and the policy year a region defaults to.
// Also defines category_of (model.h), which reads category names the same forgiving way.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.h"
#include "core/model.h"

namespace subsidy {

struct RegionName {
  std::string_view code;  // six-digit GB/T 2260 code
  std::string_view zh;    // full name as documents write it: 柯城区
  std::string_view en;    // pinyin without tones: Kecheng
};

// The county-level regions and cities of the documents' cities (Jinhua, Quzhou, Taizhou).
std::span<const RegionName> region_names();
// The table's entry for a code, or nullptr.
const RegionName* region_name(std::string_view code);
// Whether `code` is written as a GB/T 2260 code (six digits), the one test of the rule files'
// and the profiles' region codes.
bool is_region_code(std::string_view code);

// What a person typed for a region: a six-digit code (taken as it is), or a name. A name matches
// the Chinese name with or without its 区/县/市 (柯城区, 柯城), or the English name in any case,
// with or without District/County/City (Kecheng, kecheng, Kecheng District); failing an exact
// match, the one name it begins with (柯, kech). `code` is empty when nothing or more than one
// region matches; `candidates` then holds the regions it could mean (empty: none).
struct RegionMatch {
  std::string code;
  std::vector<const RegionName*> candidates;
};
RegionMatch match_region(std::string_view text, std::span<const RegionName> table = region_names());
// "柯城区 (330802)", or the code alone when the table does not know it.
std::string region_label(std::string_view code, Lang lang);

// True when the document is the region's own or its city's (region_parent, core/unread.h).
bool covers(const Document& doc, const RuleSet& rules, const std::string& region);

// The policy year a region defaults to when none is given: the latest year in which a document of
// the region itself is in force, or, when it has none of its own, the latest year of its city's
// documents; 0 when no document covers it. `note` says which year was chosen and why, and names a
// later year in which only the city's documents are in force.
struct YearChoice {
  int year = 0;
  Message note;
};
YearChoice default_policy_year(const RuleSet& rules, const std::string& region);

}  // namespace subsidy
