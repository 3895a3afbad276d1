// The rule language's tables (core/ops.h) against the JSON Schema of rule files: the schema's
// operator list, each operator's keys, the operand counts and the fields of each operand must be
// the ones the compiler reads by. The mismatch finder is itself tested on a planted schema.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "core/ops.h"
#include "core/units.h"
#include "report/language_text.h"

namespace subsidy {
namespace {

using Json = nlohmann::json;

Json read_json(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return Json::parse(text.str());
}

const Json& resolve(const Json& defs, const Json& node) {
  if (node.contains("$ref")) {
    std::string ref = node["$ref"];
    return defs.at(ref.substr(ref.rfind('/') + 1));
  }
  return node;
}

std::set<std::string> keys_of(const Json& object) {
  std::set<std::string> out;
  for (auto it = object.begin(); it != object.end(); ++it) out.insert(it.key());
  return out;
}

std::set<std::string> strings(std::span<const std::string_view> list) {
  return {list.begin(), list.end()};
}

// What the operand of `info` must look like in the schema.
void check_operand(const Json& defs, const OpInfo& info, const Json& operand,
                   std::vector<std::string>& out) {
  const Json& o = resolve(defs, operand);
  std::string key(info.key);
  if (info.operand == Operand::List && (o.value("minItems", 0) != static_cast<int>(info.min) ||
                                        o.value("maxItems", 0) != static_cast<int>(info.max))) {
    out.push_back(key + ": operand count differs");
  }
  if (info.operand == Operand::Fields) {
    std::set<std::string> required = o.value("required", std::set<std::string>{});
    std::set<std::string> all = strings(info.fields);
    for (const std::string& k : strings(info.optional)) all.insert(k);
    if (required != strings(info.fields)) out.push_back(key + ": required fields differ");
    if (keys_of(o.at("properties")) != all) out.push_back(key + ": fields differ");
  }
}

// Every way the schema's operators differ from kOps, as "key: what" lines.
std::vector<std::string> schema_mismatches(const Json& schema) {
  const Json& defs = schema.at("definitions");
  const Json& operation = defs.at("operation");
  std::vector<std::string> out;
  std::set<std::string> listed, table;
  for (const Json& alt : operation.at("oneOf")) listed.insert(alt.at("required").at(0));
  for (const OpInfo& o : kOps) table.insert(std::string(o.key));
  if (listed != table) out.push_back("the operator list differs from kOps");
  for (const Json& branch : operation.at("allOf")) {
    std::string key = branch.at("if").at("required").at(0);
    const OpInfo* info = op_info(key);
    if (!info) continue;  // reported above
    const Json& then = resolve(defs, branch.at("then"));
    std::set<std::string> expected = strings(info->beside);
    expected.insert(key);
    if (keys_of(then.at("properties")) != expected) out.push_back(key + ": keys beside differ");
    if (info->operand != Operand::Name) check_operand(defs, *info, then["properties"][key], out);
  }
  std::set<std::string> bounds = keys_of(defs.at("test").at("properties"));
  std::set<std::string> cmp = {"is", "in"};
  for (const CmpInfo& c : kCmpOps) cmp.insert(std::string(c.key));
  if (bounds != cmp) out.push_back("test: the bounds differ from kCmpOps");
  return out;
}

Json rules_schema() {
  return read_json(std::string(SUBSIDY_SOURCE_DIR) + "/docs/schema/rules.schema.json");
}

TEST(Language, TheSchemaFollowsTheTables) {
  EXPECT_EQ(schema_mismatches(rules_schema()), std::vector<std::string>{});
}

// The finder fails on a schema that has drifted: each planted difference is reported.
TEST(Language, APlantedDriftIsFound) {
  struct Case {
    const char* name;
    void (*plant)(Json&);
    const char* expected;
  };
  const Case cases[] = {
      {"an operator missing", [](Json& s) { s["definitions"]["operation"]["oneOf"].erase(0); },
       "the operator list differs from kOps"},
      {"an operand count", [](Json& s) { s["definitions"]["two_operands"]["maxItems"] = 3; },
       "sub: operand count differs"},
      {"a field", [](Json& s) { s["definitions"]["brackets"]["properties"].erase("gaps"); },
       "brackets: fields differ"},
      {"a bound", [](Json& s) { s["definitions"]["test"]["properties"].erase("equals"); },
       "test: the bounds differ from kCmpOps"},
  };
  for (const Case& c : cases) {
    Json schema = rules_schema();
    c.plant(schema);
    std::vector<std::string> found = schema_mismatches(schema);
    EXPECT_NE(std::find(found.begin(), found.end(), c.expected), found.end()) << c.name;
  }
}

TEST(Language, EveryOperatorHasOneEntry) {
  std::set<std::string_view> keys;
  for (const OpInfo& o : kOps) {
    EXPECT_TRUE(keys.insert(o.key).second) << o.key;
    EXPECT_EQ(op_info(o.key), &o);
    EXPECT_EQ(op_info(o.op), &o);
    EXPECT_FALSE(o.form.empty()) << o.key;
    EXPECT_FALSE(o.meaning.empty()) << o.key;
    if (o.operand == Operand::List) {
      EXPECT_LE(o.min, o.max) << o.key;
    }
    if (o.operand == Operand::Fields) {
      EXPECT_FALSE(o.fields.empty()) << o.key;
    }
  }
  EXPECT_EQ(op_info(Op::Const), nullptr);
  EXPECT_EQ(keys.size(), static_cast<std::size_t>(Op::Round));  // every Op but Const
}

TEST(Language, TheReferenceHasARowPerEntry) {
  std::string text = render_language_reference();
  for (const OpInfo& o : kOps) EXPECT_NE(text.find(o.form), std::string::npos) << o.key;
  for (const CondInfo& c : kConds) EXPECT_NE(text.find(c.form), std::string::npos) << c.key;
  for (const CmpInfo& c : kCmpOps)
    EXPECT_NE(text.find("| `" + std::string(c.key) + "` |"), std::string::npos) << c.key;
}

}  // namespace
}  // namespace subsidy

namespace subsidy {
namespace {

// The fact vocabulary's schema lists the units and fact types of core/units.h, no more, no fewer.
TEST(Units, TheFactsSchemaFollowsTheTables) {
  Json schema = read_json(std::string(SUBSIDY_SOURCE_DIR) + "/docs/schema/facts.schema.json");
  std::vector<std::string> units;
  for (const UnitInfo& u : kUnits) {
    if (u.unit != Unit::None) units.emplace_back(u.key);
  }
  EXPECT_EQ(schema["definitions"]["unit"]["enum"].get<std::vector<std::string>>(), units);
  std::vector<std::string> types;
  for (const FactTypeInfo& t : kFactTypes) types.emplace_back(t.key);
  EXPECT_EQ(
      schema["definitions"]["fact"]["properties"]["type"]["enum"].get<std::vector<std::string>>(),
      types);
  for (const UnitInfo& u : kUnits) {
    if (u.unit == Unit::None) continue;
    ASSERT_NE(unit_info(u.key), nullptr) << u.key;
    EXPECT_EQ(unit_info(u.key)->unit, u.unit);
  }
  EXPECT_EQ(unit_info(""), nullptr);
  EXPECT_EQ(unit_info("metre"), nullptr);
}

}  // namespace
}  // namespace subsidy
