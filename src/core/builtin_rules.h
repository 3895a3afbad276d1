// Data files compiled into the binary (see cmake/embed_rules.cmake): the rule files of rules/
// and the JSON Schemas of docs/schema/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/tables.h"

namespace subsidy {

// A file's text and the name to report it by; loaders never touch the disk.
struct SourceText {
  std::string name;
  std::string_view text;
};

const std::vector<SourceText>& builtin_rule_files();
const std::vector<SourceText>& builtin_schema_files();
// The rules version (core/rules_version) of builtin_rule_files(), computed when the binary was
// built.
std::string_view builtin_rules_version();

// The JSON Schemas `schema` and `GET /v1/schema/…` give, one table: the name asked for, and the
// built-in file (none for the profile's, which is generated from the vocabulary in use, so that
// it types every fact the rules can read).
enum class Schema { Rules, Facts, Profile };

struct SchemaInfo {
  Schema schema;
  std::string_view key;
  std::string_view file;  // in builtin_schema_files(); empty: generated
};

inline constexpr SchemaInfo kSchemas[] = {
    {Schema::Rules, "rules", "docs/schema/rules.schema.json"},
    {Schema::Facts, "facts", "docs/schema/facts.schema.json"},
    {Schema::Profile, "profile", ""},
};

// The entry named `key`; nullptr for any other name.
inline const SchemaInfo* schema_info(std::string_view key) {
  return find_by_key(kSchemas, &SchemaInfo::key, key);
}

// The text of the file of `files` named `name`; nullptr when there is none.
inline const std::string_view* builtin_file(const std::vector<SourceText>& files,
                                            std::string_view name) {
  for (const SourceText& f : files) {
    if (f.name == name) return &f.text;
  }
  return nullptr;
}

}  // namespace subsidy
