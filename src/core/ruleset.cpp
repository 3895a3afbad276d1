#include "core/ruleset.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "core/parallel.h"
#include "core/rules_version.h"
#include "core/unread.h"

namespace subsidy {

namespace {

// Group ids are unique across documents, as rule ids are: a report names the group that
// excluded a rule by its id. `seen` maps the ids met so far to their files.
void unique_group_ids(const Document& doc, const json::Value& root,
                      std::map<std::string, std::string>& seen, Reader& reader) {
  const json::Value* groups = root.find("groups");
  bool located = groups && groups->items().size() == doc.groups.size();
  for (std::size_t i = 0; i < doc.groups.size(); ++i) {
    const std::string& id = doc.groups[i].id;
    auto [it, fresh] = seen.emplace(id, doc.file);
    if (!fresh && !id.empty() && it->second != doc.file) {
      reader.error(located ? groups->items()[i] : root, child_path("/groups", i),
                   msg("group id \"{}\" is also used in {}", "组 id \"{}\" 在 {} 中也有使用", id,
                       it->second),
                   "duplicate-id");
    }
  }
}

// A retired fact name must not also be declared, and must point to a declared fact.
void check_replaced(const Vocabulary& vocabulary, std::vector<Diagnostic>& diagnostics) {
  for (const ReplacedFact& x : vocabulary.replaced) {
    auto report = [&](Message message) {
      diagnostics.push_back(
          Diagnostic{x.file, x.line, x.col, "/replaced", std::move(message), "bad-replacement"});
    };
    if (vocabulary.index_of(x.name) >= 0) {
      report(msg("\"{}\" is declared, so it cannot be replaced", "\"{}\" 已声明，不能标为已取代",
                 x.name));
    } else if (vocabulary.index_of(x.replaced_by) < 0) {
      report(msg("\"{}\" is replaced by an unknown fact \"{}\"", "\"{}\" 的替代事实 \"{}\" 未声明",
                 x.name, x.replaced_by));
    }
  }
}

}  // namespace

namespace {

// A vocabulary file's own declarations, read right after it is parsed (beside the parsing of the
// other files) and merged in file order by read_vocabularies, with the problems found in it.
struct FactsPart {
  Reader reader;
  Vocabulary vocabulary;
};

struct Parsed {
  const SourceText* source;
  json::Tree tree;
  const json::Value& root() const { return tree.root(); }
  std::string format;
  FileFormat kind = FileFormat::Unknown;  // `format` read by kFileFormats
  std::optional<FactsPart> facts;         // set when `kind` is Facts
};

// Whether parse_files admits `root` as a vocabulary file (its checks below, in the same order).
bool is_vocabulary(const SourceText& file, const json::Value& root) {
  const json::Value* format = root.find("format");
  return format && format->is_string() && file_format(format->text()) == FileFormat::Facts &&
         !file.name.ends_with(".tests.json");
}

// Each file parsed, with its format; a file that is not JSON, names no format, or is a
// *.tests.json of another format is reported and left out. A vocabulary file is read as soon as
// it is parsed, so that only the merge waits for every file.
std::vector<Parsed> parse_files(const std::vector<SourceText>& files,
                                std::vector<Diagnostic>& diagnostics) {
  std::vector<Parsed> parsed;
  std::vector<Result<json::Tree>> trees(files.size(),
                                        Result<json::Tree>(std::vector<Diagnostic>{}));
  std::vector<std::optional<FactsPart>> facts(files.size());
  std::vector<std::size_t> sizes;
  for (const SourceText& f : files) sizes.push_back(f.text.size());
  parallel_for(largest_first(sizes), [&](std::size_t i) {
    trees[i] = json::parse_borrowed(files[i].text, files[i].name);
    if (trees[i].ok() && is_vocabulary(files[i], trees[i].value().root())) {
      facts[i].emplace(FactsPart{Reader(files[i].name), {}});
      facts[i]->vocabulary = read_vocabulary(trees[i].value().root(), facts[i]->reader);
    }
  });
  for (std::size_t i = 0; i < files.size(); ++i) {
    const SourceText& file = files[i];
    Result<json::Tree>& root = trees[i];
    if (!root.ok()) {
      diagnostics.insert(diagnostics.end(), root.errors().begin(), root.errors().end());
      continue;
    }
    const json::Value* format = root.value().root().find("format");
    if (!format || !format->is_string()) {
      diagnostics.push_back(Diagnostic{file.name,
                                       root.value().root().line,
                                       root.value().root().col,
                                       "/",
                                       {"missing \"format\" (subsidy-facts/1, subsidy-rules/1 or "
                                        "subsidy-tests/1)",
                                        "缺少 \"format\"（subsidy-facts/1、subsidy-rules/1 或 "
                                        "subsidy-tests/1）"},
                                       "missing-key"});
      continue;
    }
    // Commands that only evaluate skip *.tests.json files unread, so such a file must hold tests.
    FileFormat kind = file_format(format->text());
    if (file.name.ends_with(".tests.json") && kind != FileFormat::Tests) {
      diagnostics.push_back(Diagnostic{file.name, format->line, format->col, "/format",
                                       msg("a *.tests.json file must hold test cases "
                                           "(format subsidy-tests/1), not \"{}\"",
                                           "*.tests.json 文件只能存放测试用例"
                                           "（格式 subsidy-tests/1），而不是 \"{}\"",
                                           format->text()),
                                       "bad-format"});
      continue;
    }
    std::string format_name(format->text());
    parsed.push_back(
        Parsed{&file, std::move(root.value()), format_name, kind, std::move(facts[i])});
  }

  return parsed;
}

// The vocabulary may be split over several files (facts.json, facts-*.json); together they form
// one vocabulary, and a fact declared twice is an error. Returns how many files there were.
int read_vocabularies(std::vector<Parsed>& parsed, Vocabulary& vocabulary,
                      std::vector<Diagnostic>& diagnostics) {
  int vocabularies = 0;
  std::map<std::string, std::string> fact_files;
  for (Parsed& p : parsed) {
    if (p.kind != FileFormat::Facts) continue;
    Reader& reader = p.facts->reader;
    Vocabulary& part = p.facts->vocabulary;
    const json::Value* facts = p.root().find("facts");
    for (std::size_t i = 0; i < part.facts.size(); ++i) {
      auto [it, fresh] = fact_files.emplace(part.facts[i].name, p.source->name);
      if (!fresh && it->second != p.source->name && facts && i < facts->items().size()) {
        reader.error(facts->items()[i], child_path("/facts", i),
                     msg("fact \"{}\" is also declared in {}", "事实 \"{}\" 在 {} 中也有声明",
                         part.facts[i].name, it->second),
                     "duplicate-id");
      }
      vocabulary.facts.push_back(std::move(part.facts[i]));
    }
    for (EnumExtension& x : part.extensions) vocabulary.extensions.push_back(std::move(x));
    for (ReplacedFact& x : part.replaced) vocabulary.replaced.push_back(std::move(x));
    diagnostics.insert(diagnostics.end(), reader.diagnostics().begin(), reader.diagnostics().end());
    ++vocabularies;
  }
  return vocabularies;
}

// Values added to an enum by an "extend" entry: the fact (or list field) must be an enum, and a
// value is added once.
void apply_extensions(Vocabulary& vocabulary, std::vector<Diagnostic>& diagnostics) {
  for (const EnumExtension& x : vocabulary.extensions) {
    auto report = [&](Message message) {
      diagnostics.push_back(
          Diagnostic{x.file, x.line, x.col, "/extend", std::move(message), "bad-extension"});
    };
    int index = vocabulary.index_of(x.fact);
    if (index < 0) {
      report(msg("extends unknown fact \"{}\"", "扩展了未知的事实 \"{}\"", x.fact));
      continue;
    }
    FactDecl* decl = &vocabulary.facts[static_cast<std::size_t>(index)];
    if (!x.field.empty()) {
      int field = decl->field_index(x.field);
      if (field < 0) {
        report(msg("\"{}\" has no field \"{}\"", "\"{}\" 没有字段 \"{}\"", x.fact, x.field));
        continue;
      }
      decl = &decl->fields[static_cast<std::size_t>(field)];
    }
    if (decl->type != FactType::Enum) {
      report(msg("only enums can be extended; \"{}\" is not one",
                 "只有枚举可以扩展；\"{}\" 不是枚举", decl->name));
      continue;
    }
    decl->labels.resize(decl->values.size());
    for (std::size_t i = 0; i < x.values.size(); ++i) {
      const std::string& value = x.values[i];
      if (std::find(decl->values.begin(), decl->values.end(), value) != decl->values.end()) {
        report(
            msg("\"{}\" is already a value of {}", "\"{}\" 已经是 {} 的取值", value, decl->name));
      } else {
        decl->values.push_back(value);
        decl->labels.push_back(i < x.labels.size() ? x.labels[i] : Text{});
      }
    }
  }
}

// Ids a rule file declares that must be unique across files: the document's, its rules', its
// groups'; each map holds the ids met so far with their files.
struct SeenIds {
  std::map<std::string, std::string> rules, documents, groups;
};

// A rule file compiled on its own (in parallel with the others), before the checks across files.
struct Compiled {
  Reader reader;
  std::optional<Document> doc;
};

void compile_rule_file(const Parsed& p, const Vocabulary& vocabulary, Compiled& out) {
  if (p.kind != FileFormat::Rules) {
    const json::Value* format = p.root().find("format");
    out.reader.error(*format, "/format",
                     msg("unknown format \"{}\"", "未知的格式 \"{}\"", p.format), "bad-format");
    return;
  }
  out.doc = read_document(p.root(), vocabulary, out.reader);
}

// The checks across files (ids unique), in file order; then the document joins the set.
void admit_rule_file(const Parsed& p, Document doc, RuleSet::Parts& set, SeenIds& seen,
                     Reader& reader) {
  for (const Rule& rule : doc.rules) {
    auto [it, fresh] = seen.rules.emplace(rule.id, p.source->name);
    if (!fresh && !rule.id.empty() && it->second != p.source->name) {
      reader.error_at(rule.line, 1, "/rules",
                      msg("rule id \"{}\" is also used in {}", "规则 id \"{}\" 在 {} 中也有使用",
                          rule.id, it->second),
                      "duplicate-id");
    }
  }
  unique_group_ids(doc, p.root(), seen.groups, reader);
  auto [it, fresh] = seen.documents.emplace(doc.id, p.source->name);
  if (!fresh) {
    reader.error(p.root(), "/document/id",
                 msg("document id \"{}\" is also used in {}", "文件 id \"{}\" 在 {} 中也有使用",
                     doc.id, it->second),
                 "duplicate-id");
  }
  if (!doc.region.parent.empty()) set.region_parents[doc.region.code] = doc.region.parent;
  set.documents.push_back(std::move(doc));
}

// Every rule file, compiled side by side (core/parallel), then admitted in file order, so the
// documents and the diagnostics come in the same order as when read one by one.
void read_rule_files(const std::vector<Parsed>& parsed, RuleSet::Parts& set,
                     std::vector<Diagnostic>& diagnostics) {
  std::vector<const Parsed*> rule_files;
  for (const Parsed& p : parsed) {
    if (p.kind != FileFormat::Facts && p.kind != FileFormat::Tests) rule_files.push_back(&p);
  }
  std::vector<Compiled> compiled;
  compiled.reserve(rule_files.size());
  for (const Parsed* p : rule_files) compiled.push_back(Compiled{Reader(p->source->name), {}});
  std::vector<std::size_t> sizes;
  for (const Parsed* p : rule_files) sizes.push_back(p->source->text.size());
  parallel_for(largest_first(sizes), [&](std::size_t i) {
    compile_rule_file(*rule_files[i], set.vocabulary, compiled[i]);
  });
  SeenIds seen;
  for (std::size_t i = 0; i < rule_files.size(); ++i) {
    Compiled& c = compiled[i];
    if (c.doc) admit_rule_file(*rule_files[i], std::move(*c.doc), set, seen, c.reader);
    diagnostics.insert(diagnostics.end(), c.reader.diagnostics().begin(),
                       c.reader.diagnostics().end());
  }
}

}  // namespace

Result<std::shared_ptr<const RuleSet>> load_rule_set(const std::vector<SourceText>& files,
                                                     std::string_view version) {
  std::vector<Diagnostic> diagnostics;
  std::vector<Parsed> parsed = parse_files(files, diagnostics);
  RuleSet::Parts set;
  int vocabularies = read_vocabularies(parsed, set.vocabulary, diagnostics);
  // Indexed once every vocabulary file is in: extensions add values, never facts, so from here on
  // every lookup by name is a hash lookup and the index stays whole in the sealed rule set.
  set.vocabulary.index();
  apply_extensions(set.vocabulary, diagnostics);
  check_replaced(set.vocabulary, diagnostics);
  if (vocabularies == 0) {
    diagnostics.push_back(
        Diagnostic{"rules",
                   0,
                   0,
                   "",
                   {"no fact vocabulary (a file with \"format\": \"subsidy-facts/1\")",
                    "没有事实词汇表（\"format\" 为 \"subsidy-facts/1\" 的文件）"},
                   "vocabulary"});
  }

  read_rule_files(parsed, set, diagnostics);
  if (has_errors(diagnostics)) return diagnostics;
  index_readers(set);
  set.version = version.empty() ? rules_version(files) : std::string(version);
  return std::make_shared<const RuleSet>(std::move(set));
}

}  // namespace subsidy
