#include "core/testcases.h"

#include <fmt/format.h>

#include "core/reader.h"

namespace subsidy {

Result<std::vector<TestCase>> load_test_cases(std::string_view text, const std::string& source,
                                              const Vocabulary& vocabulary) {
  Result<json::Tree> tree = json::parse(text, source);
  if (!tree.ok()) return tree.errors();
  Reader r(source);
  std::vector<Diagnostic> diagnostics;
  std::vector<TestCase> cases;
  const json::Value& doc = tree.value().root();
  if (r.object(doc, "/", {"format", "cases"}, {"$schema"})) {
    const json::Value& list = *doc.find("cases");
    if (r.expect(list, "/cases", json::Type::Array)) {
      for (std::size_t i = 0; i < list.items().size(); ++i) {
        const json::Value& c = list.items()[i];
        std::string cp = child_path("/cases", i);
        if (!r.object(c, cp, {"name", "profile", "expect"},
                      {"expect_total", "expect_fee_reduction", "note"}))
          continue;
        TestCase t;
        t.file = source;
        t.line = c.line;
        t.name = r.string(c, "name", cp).value_or("");
        std::vector<Diagnostic> profile_errors;
        t.profile = read_profile(*c.find("profile"), source, vocabulary, profile_errors);
        for (Diagnostic& d : profile_errors) {
          d.path = child_path(cp, "profile") + (d.path == "/" ? "" : d.path);
          diagnostics.push_back(std::move(d));
        }
        const json::Value& expect = *c.find("expect");
        std::string ep = child_path(cp, "expect");
        if (r.expect(expect, ep, json::Type::Object)) {
          for (const json::Member& m : expect.members()) {
            std::string mp = child_path(ep, m.key());
            if (!r.object(m.value, mp, {"status"}, {"amount", "up_to"})) continue;
            Expectation e;
            e.rule = m.key();
            e.status = r.string(m.value, "status", mp).value_or("");
            if (const json::Value* amount = m.value.find("amount")) {
              e.amount = r.number(*amount, child_path(mp, "amount"), false);
            }
            if (const json::Value* up = m.value.find("up_to")) {
              e.up_to = r.number(*up, child_path(mp, "up_to"), false);
            }
            t.expect.push_back(std::move(e));
          }
        }
        if (const json::Value* total = c.find("expect_total")) {
          t.total = r.number(*total, child_path(cp, "expect_total"), false);
        }
        if (const json::Value* fee = c.find("expect_fee_reduction")) {
          t.fee_reduction = r.number(*fee, child_path(cp, "expect_fee_reduction"), false);
        }
        cases.push_back(std::move(t));
      }
    }
  }
  diagnostics.insert(diagnostics.end(), r.diagnostics().begin(), r.diagnostics().end());
  if (has_errors(diagnostics)) return diagnostics;
  return cases;
}

std::vector<TestCase> load_all_test_cases(const std::vector<SourceText>& files,
                                          const Vocabulary& vocabulary,
                                          std::vector<Diagnostic>& problems) {
  std::vector<TestCase> cases;
  for (const SourceText& t : files) {
    Result<std::vector<TestCase>> loaded = load_test_cases(t.text, t.name, vocabulary);
    if (loaded.ok()) {
      cases.insert(cases.end(), loaded.value().begin(), loaded.value().end());
    } else {
      problems.insert(problems.end(), loaded.errors().begin(), loaded.errors().end());
    }
  }
  return cases;
}

std::vector<Message> check_case(const TestCase& test, const Report& report) {
  std::vector<Message> problems;
  for (const Expectation& e : test.expect) {
    const RuleResult* found = nullptr;
    for (const DocumentResult& d : report.documents) {
      for (const RuleResult& r : d.rules) {
        if (r.rule->id == e.rule) found = &r;
      }
    }
    if (!found) {
      problems.push_back(
          msg("{}: not evaluated for this profile (unknown rule, other "
              "region, or document not in force)",
              "{}：未对该申请人评估（规则不存在、地区不同或文件不在有效期内）", e.rule));
      continue;
    }
    std::string_view actual = status_name(found->status);
    if (actual != e.status) {
      problems.push_back(msg("{}: expected status {}, got {}", "{}：期望状态 {}，实际 {}", e.rule,
                             e.status, actual));
    }
    if (e.amount && (found->status == Status::Eligible || found->status == Status::Excluded) &&
        found->amount != *e.amount) {
      problems.push_back(msg("{}: expected amount {}, got {}", "{}：期望金额 {}，实际 {}", e.rule,
                             e.amount->fixed(2), found->amount.fixed(2)));
    }
    if (e.up_to && found->status == Status::EligibleUnspecified && found->up_to != e.up_to) {
      problems.push_back(msg("{}: expected up to {}, got {}", "{}：期望最高 {}，实际 {}", e.rule,
                             e.up_to->fixed(2), found->up_to ? found->up_to->fixed(2) : "-"));
    }
  }
  if (test.total && report.total != *test.total) {
    problems.push_back(msg("total: expected {}, got {}", "合计：期望 {}，实际 {}",
                           test.total->fixed(2), report.total.fixed(2)));
  }
  if (test.fee_reduction && report.fee_reduction != *test.fee_reduction) {
    problems.push_back(msg("fee reduction: expected {}, got {}", "费用减免：期望 {}，实际 {}",
                           test.fee_reduction->fixed(2), report.fee_reduction.fixed(2)));
  }
  return problems;
}

}  // namespace subsidy
