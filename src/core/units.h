// What a fact is, one table each (issue 17: one definition per concept): its type ("type":
// "number", kFactTypes) and, for a number, its unit ("unit": "yuan", kUnits). The vocabulary
// reader accepts only these keys; the renderers name them and print values in them; advice, lint,
// the interview and the profile reader ask the table what a unit allows instead of comparing its
// name. Constant tables: thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/tables.h"

namespace subsidy {

enum class FactType { Number, Bool, Enum, List };

struct FactTypeInfo {
  FactType type;
  std::string_view key;  // the vocabulary's "type"
};

inline constexpr FactTypeInfo kFactTypes[] = {{FactType::Number, "number"},
                                              {FactType::Bool, "bool"},
                                              {FactType::Enum, "enum"},
                                              {FactType::List, "list"}};

inline const FactTypeInfo* fact_type_info(std::string_view key) {
  return find_by_key(kFactTypes, &FactTypeInfo::key, key);
}

inline std::string_view fact_type_key(FactType type) {
  return kFactTypes[static_cast<std::size_t>(type)].key;
}

enum class Unit : std::uint8_t { None, Yuan, Mu, Jin, TonKm, Count, Year, Ratio, Kwh };

struct UnitInfo {
  Unit unit;
  std::string_view key;  // the vocabulary's "unit"; empty for None (not a number)
  std::string_view en;   // the unit's name, in a question: "unit: calendar year"
  std::string_view zh;
  // After a value in a report ("12.5 mu", "12.5亩"); empty: the value alone, or as money.
  std::string_view after_en;
  std::string_view after_zh;
  bool money;         // yuan: printed as money (¥1,234.00)
  bool signed_value;  // a ratio (a growth rate) may be negative; amounts, areas, counts not
  bool amount;        // a quantity one can raise to reach a bracket (advice): not years, ratios
  bool scaled;        // may be written with 万 and 亿 (350万) in an answer
  bool percent;       // may be written as a percentage (5% for 0.05)
  bool calendar;      // a calendar year: a point in time, not a quantity
};

inline constexpr UnitInfo kUnits[] = {
    {Unit::None, "", "", "", "", "", false, false, false, false, false, false},
    {Unit::Yuan, "yuan", "yuan", "元", "", "", true, false, true, true, false, false},
    {Unit::Mu, "mu", "mu", "亩", " mu", "亩", false, false, true, true, false, false},
    {Unit::Jin, "jin", "jin", "斤", " jin", "斤", false, false, true, true, false, false},
    {Unit::TonKm, "ton_km", "ton-km", "吨公里", " ton-km", "吨公里", false, false, true, true,
     false, false},
    {Unit::Count, "count", "count", "个（数量）", "", "", false, false, true, false, false, false},
    {Unit::Year, "year", "calendar year", "年份", "", "", false, false, false, false, false, true},
    {Unit::Ratio, "ratio", "ratio", "比例", "", "", false, true, false, false, true, false},
    {Unit::Kwh, "kwh", "kWh", "千瓦时", "", "", false, false, true, true, false, false},
};

inline const UnitInfo& unit_info(Unit unit) {
  return kUnits[static_cast<std::size_t>(unit)];
}

// The entry written `key` ("yuan"); null for any other key, the empty one included.
inline const UnitInfo* unit_info(std::string_view key) {
  return key.empty() ? nullptr : find_by_key(kUnits, &UnitInfo::key, key);
}

static_assert(in_enum_order(kUnits, &UnitInfo::unit), "kUnits is indexed by Unit");
static_assert(in_enum_order(kFactTypes, &FactTypeInfo::type), "kFactTypes is indexed by FactType");

}  // namespace subsidy
