#include "core/ruleset.h"

#include <fmt/format.h>

#include <map>
#include <set>

namespace subsidy {

Result<RuleSet> load_rule_set(const std::vector<SourceText>& files) {
  std::vector<Diagnostic> diagnostics;
  struct Parsed {
    const SourceText* source;
    json::Value root;
    std::string format;
  };
  std::vector<Parsed> parsed;
  for (const SourceText& file : files) {
    Result<json::Value> root = json::parse(file.text, file.name);
    if (!root.ok()) {
      diagnostics.insert(diagnostics.end(), root.errors().begin(), root.errors().end());
      continue;
    }
    const json::Value* format = root.value().find("format");
    if (!format || !format->is_string()) {
      diagnostics.push_back(Diagnostic{file.name, root.value().line, root.value().col, "/",
                                       "missing \"format\" (subsidy-facts/1, subsidy-rules/1 or "
                                       "subsidy-tests/1)",
                                       "missing-key"});
      continue;
    }
    parsed.push_back(Parsed{&file, std::move(root.value()), format->text});
  }

  RuleSet set;
  int vocabularies = 0;
  for (const Parsed& p : parsed) {
    if (p.format != "subsidy-facts/1") continue;
    Reader reader(p.source->name);
    set.vocabulary = read_vocabulary(p.root, reader);
    diagnostics.insert(diagnostics.end(), reader.diagnostics().begin(),
                       reader.diagnostics().end());
    ++vocabularies;
  }
  if (vocabularies != 1) {
    diagnostics.push_back(Diagnostic{
        "rules", 0, 0, "",
        vocabularies == 0 ? "no fact vocabulary (a file with \"format\": \"subsidy-facts/1\")"
                          : "more than one fact vocabulary",
        "vocabulary"});
  }

  std::map<std::string, std::string> rule_files;  // rule id → file, across documents
  std::map<std::string, std::string> document_files;
  for (const Parsed& p : parsed) {
    if (p.format == "subsidy-facts/1" || p.format == "subsidy-tests/1") continue;
    Reader reader(p.source->name);
    if (p.format != "subsidy-rules/1") {
      const json::Value* format = p.root.find("format");
      reader.error(*format, "/format", fmt::format("unknown format \"{}\"", p.format),
                   "bad-format");
    } else {
      Document doc = read_document(p.root, set.vocabulary, reader);
      for (const Rule& rule : doc.rules) {
        auto [it, fresh] = rule_files.emplace(rule.id, p.source->name);
        if (!fresh && !rule.id.empty() && it->second != p.source->name) {
          reader.error_at(rule.line, 1, "/rules",
                          fmt::format("rule id \"{}\" is also used in {}", rule.id, it->second),
                          "duplicate-id");
        }
      }
      auto [it, fresh] = document_files.emplace(doc.id, p.source->name);
      if (!fresh) {
        reader.error(p.root, "/document/id",
                     fmt::format("document id \"{}\" is also used in {}", doc.id, it->second),
                     "duplicate-id");
      }
      if (!doc.region.parent.empty()) set.region_parents[doc.region.code] = doc.region.parent;
      set.documents.push_back(std::move(doc));
    }
    diagnostics.insert(diagnostics.end(), reader.diagnostics().begin(),
                       reader.diagnostics().end());
  }
  if (has_errors(diagnostics)) return diagnostics;
  return set;
}

}  // namespace subsidy
