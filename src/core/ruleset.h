// Loading: rule-file texts → one checked, immutable RuleSet. Every problem in every file is
// reported before giving up.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/builtin_rules.h"
#include "core/compile.h"
#include "core/diagnostic.h"
#include "core/json.h"
#include "core/model.h"
#include "core/reader.h"

namespace subsidy {

// What a file of a rule set holds, by its "format": one table, read by the loader (and by
// `check` and `test`, which also read the test files).
enum class FileFormat { Facts, Rules, Tests, Unknown };

struct FileFormatInfo {
  FileFormat kind;
  std::string_view key;
};

inline constexpr FileFormatInfo kFileFormats[] = {{FileFormat::Facts, "subsidy-facts/1"},
                                                  {FileFormat::Rules, "subsidy-rules/1"},
                                                  {FileFormat::Tests, "subsidy-tests/1"}};

inline FileFormat file_format(std::string_view key) {
  const FileFormatInfo* f = find_by_key(kFileFormats, &FileFormatInfo::key, key);
  return f ? f->kind : FileFormat::Unknown;
}

// Loads a set of files: the fact vocabulary ("format": "subsidy-facts/1", possibly split over
// several files), and any number of rule files ("subsidy-rules/1"); test files
// ("subsidy-tests/1") are skipped. `version`: the rules_version of `files` when known already
// (builtin_rules_version() for the built-in rules), computed when empty. The rule set comes back
// complete and sealed (every derived field computed, the vocabulary indexed), owned by the
// handle: share the handle (or a const reference to what it holds) with every thread and every
// Report that uses it, and keep it alive while they do.
Result<std::shared_ptr<const RuleSet>> load_rule_set(const std::vector<SourceText>& files,
                                                     std::string_view version = {});

// The pieces, for tests and tools.
Vocabulary read_vocabulary(const json::Value& root, Reader& reader);

// The diagnostic text and code for a fact name the vocabulary does not declare: "replaced-fact"
// naming the fact that replaced it when the vocabulary retired the name, else "unknown-fact".
std::pair<Message, std::string> unknown_fact(const Vocabulary& vocabulary, std::string_view name);

}  // namespace subsidy
