// Microbenchmarks: rule loading, one profile against the built-in rules, and one rule per
// formula shape (a rule set holding the vocabulary and one document cut down to that rule).
#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/engine.h"
#include "core/profile.h"
#include "core/ruleset.h"

using namespace subsidy;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(std::string(SUBSIDY_ROOT) + "/" + path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

RuleSet must(Result<std::shared_ptr<const RuleSet>> r) {
  if (!r.ok()) throw std::runtime_error("rule set does not load: " + r.errors().front().message);
  return *r.value();
}

Profile profile(const RuleSet& rules, const std::string& path) {
  static std::vector<std::string> keep;  // load_profile may keep views into the text
  keep.push_back(slurp(path));
  Result<Profile> p = load_profile(keep.back(), path, rules.vocabulary());
  if (!p.ok()) throw std::runtime_error("profile does not load: " + path);
  return std::move(p.value());
}

// The built-in vocabulary plus `file` with only rule `id` (other articles not_payable).
RuleSet one_rule(const std::string& file, const std::string& id) {
  static std::vector<std::string> texts;
  texts.reserve(64);
  std::vector<SourceText> files;
  for (const SourceText& f : builtin_rule_files())
    if (f.name.find("facts") != std::string::npos) files.push_back(f);
  nlohmann::json doc = nlohmann::json::parse(slurp("rules/" + file));
  nlohmann::json rules = nlohmann::json::array();
  std::string article;
  for (auto& r : doc["rules"])
    if (r["id"] == id) { rules.push_back(r); article = r["article"]; }
  doc["rules"] = rules;
  for (auto& a : doc["articles"])
    if (a["article"] != article && !a.contains("not_payable")) a["not_payable"] = "not in benchmark subset";
  doc["groups"] = nlohmann::json::array();
  texts.push_back(doc.dump());
  files.push_back({file, texts.back()});
  return must(load_rule_set(files));
}

// What `eval` and `batch` load: the vocabulary and rule files, not the *.tests.json files.
std::vector<SourceText> rule_files_only() {
  std::vector<SourceText> files;
  for (const SourceText& f : builtin_rule_files())
    if (!f.name.ends_with(".tests.json")) files.push_back(f);
  return files;
}

void BM_LoadBuiltinRules(benchmark::State& state) {
  std::vector<SourceText> files = rule_files_only();
  for (auto _ : state) benchmark::DoNotOptimize(must(load_rule_set(files)));
}
BENCHMARK(BM_LoadBuiltinRules)->Unit(benchmark::kMillisecond);

// With the test files too, as `check` reads them.
void BM_LoadBuiltinRulesAndTests(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(must(load_rule_set(builtin_rule_files())));
}
BENCHMARK(BM_LoadBuiltinRulesAndTests)->Unit(benchmark::kMillisecond);

void BM_ParseProfile(benchmark::State& state) {
  RuleSet rules = must(load_rule_set(rule_files_only()));
  std::string text = slurp("examples/kecheng-manufacturer.json");
  for (auto _ : state) benchmark::DoNotOptimize(load_profile(text, "p", rules.vocabulary()));
}
BENCHMARK(BM_ParseProfile)->Unit(benchmark::kMicrosecond);

// full:1 is what `eval` does (traces and failure reasons); full:0 is batch's lean evaluation.
void BM_EvalBuiltin(benchmark::State& state) {
  RuleSet rules = must(load_rule_set(rule_files_only()));
  Profile p = profile(rules, "examples/kecheng-manufacturer.json");
  EvalOptions options;
  options.trace = state.range(0) != 0;
  options.reasons = state.range(0) != 0;
  for (auto _ : state) benchmark::DoNotOptimize(evaluate(rules, p, options));
}
BENCHMARK(BM_EvalBuiltin)->Arg(1)->Arg(0)->ArgName("full")->Unit(benchmark::kMicrosecond);

// What a batch worker does per profile: lean evaluation into a Report reused from the last one.
void BM_EvalBuiltinReused(benchmark::State& state) {
  RuleSet rules = must(load_rule_set(rule_files_only()));
  Profile p = profile(rules, "examples/kecheng-manufacturer.json");
  EvalOptions options;
  options.trace = false;
  options.reasons = false;
  Report report;
  for (auto _ : state) {
    evaluate(rules, p, options, report);
    benchmark::DoNotOptimize(report.total);
  }
}
BENCHMARK(BM_EvalBuiltinReused)->Unit(benchmark::kMicrosecond);

void BM_Shape(benchmark::State& state, const char* file, const char* id, const char* example) {
  RuleSet rules = one_rule(file, id);
  Profile p = profile(rules, example);
  for (auto _ : state) benchmark::DoNotOptimize(evaluate(rules, p));
}
BENCHMARK_CAPTURE(BM_Shape, brackets_kc06, "330802-kecheng-2023-16.json", "kc-06-tech-upgrade",
                  "examples/kecheng-manufacturer.json")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Shape, ratio_case_cap_kc12, "330802-kecheng-2023-16.json", "kc-12-rd",
                  "examples/kecheng-manufacturer.json")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Shape, has_list_kc12lg, "330802-kecheng-2023-16.json", "kc-12-little-giant",
                  "examples/kecheng-manufacturer.json")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Shape, per_unit_payers_kc43, "330802-kecheng-2023-16.json", "kc-43-early-rice",
                  "examples/kecheng-grain-farm.json")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Shape, growth_case_jj28, "331002-jiaojiang-2023-6.json", "jj-28-shipping-growth",
                  "examples/jiaojiang-shipping.json")->Unit(benchmark::kMicrosecond);

}  // namespace
