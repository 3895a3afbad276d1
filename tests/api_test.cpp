// The HTTP API without a socket: routing, statuses, error bodies, content types and limits of
// server::Api, over the built-in rules. The bodies themselves are compared with the CLI's by
// tests/serve/check_api.py.
#include "server/api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/ruleset.h"

namespace subsidy::server {
namespace {

const RuleSet& builtin() {
  static const RuleSet rules = [] {
    std::vector<SourceText> files;
    for (const SourceText& f : builtin_rule_files()) {
      if (!f.name.ends_with(".tests.json")) files.push_back(f);
    }
    return *load_rule_set(files).value();
  }();
  return rules;
}

const Api& api() {
  static const Api a(builtin(), ApiConfig{"0.1.0", "test", 1024 * 1024, nullptr});
  return a;
}

Response call(std::string method, std::string path, std::string_view body = "",
              std::string content_type = "application/json",
              std::vector<std::pair<std::string, std::string>> query = {}) {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.query = std::move(query);
  r.content_type = std::move(content_type);
  r.body = body;
  return api().handle(r);
}

std::string error_code(const Response& r) {
  return nlohmann::json::parse(r.body).at("error").at("code").get<std::string>();
}

const char* kProfile = R"({"id": "t", "form": "enterprise", "region": "330802",
  "policy_year": 2023, "facts": {}})";

TEST(Api, HealthAndVersion) {
  Response h = call("GET", "/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.body, "{\"status\":\"ok\"}\n");
  Response v = call("GET", "/v1/version");
  EXPECT_EQ(v.status, 200);
  auto j = nlohmann::json::parse(v.body);
  EXPECT_EQ(j.at("version"), "0.1.0");
  EXPECT_EQ(j.at("rules_version"), builtin().version());
}

TEST(Api, EvalGivesTheJsonReport) {
  Response r = call("POST", "/v1/eval", kProfile);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
  auto j = nlohmann::json::parse(r.body);
  EXPECT_TRUE(j.contains("total"));
  Response html = call("POST", "/v1/eval", kProfile, "application/json; charset=UTF-8",
                       {{"format", "html"}, {"lang", "en"}});
  EXPECT_EQ(html.status, 200);
  EXPECT_EQ(html.content_type, "text/html; charset=utf-8");
  EXPECT_NE(html.body.find("<html"), std::string::npos);
}

TEST(Api, BadProfileIs400WithLocatedDiagnostics) {
  Response r = call("POST", "/v1/eval", "{\"id\": 1,}");
  EXPECT_EQ(r.status, 400);
  auto j = nlohmann::json::parse(r.body).at("error");
  ASSERT_FALSE(j.at("diagnostics").empty());
  EXPECT_EQ(j.at("diagnostics")[0].at("file"), "<body>");
  EXPECT_GT(j.at("diagnostics")[0].at("line").get<int>(), 0);
  EXPECT_EQ(j.at("code"), j.at("diagnostics")[0].at("code"));
}

TEST(Api, StatusesForWrongRequests) {
  EXPECT_EQ(call("GET", "/nope").status, 404);
  EXPECT_EQ(error_code(call("GET", "/nope")), kNotFound);
  Response m = call("GET", "/v1/eval");
  EXPECT_EQ(m.status, 405);
  ASSERT_EQ(m.headers.size(), 1u);
  EXPECT_EQ(m.headers[0].second, "POST");
  EXPECT_EQ(call("DELETE", "/v1/rules").status, 405);
  EXPECT_EQ(call("POST", "/v1/eval", kProfile, "text/plain").status, 415);
  EXPECT_EQ(call("POST", "/v1/eval", kProfile, "application/json; charset=gbk").status, 415);
  EXPECT_EQ(call("POST", "/v1/eval", kProfile, "").status, 415);
  EXPECT_EQ(call("POST", "/v1/eval", std::string(2 * 1024 * 1024, ' ')).status, 413);
  EXPECT_EQ(call("GET", "/v1/rules", "", "", {{"lang", "fr"}}).status, 400);
  EXPECT_EQ(call("GET", "/v1/rules/no-such-rule").status, 404);
  EXPECT_EQ(call("GET", "/v1/schema/passwd").status, 404);
}

// The streamed batch is checked before its body is read (cli/serve): a language other than zh or
// en is refused there as everywhere else, not streamed with an empty one.
TEST(Api, BatchRefusesAnUnknownLanguage) {
  Request r;
  r.method = "POST";
  r.path = "/v1/batch";
  r.content_type = "application/x-ndjson";
  r.query = {{"lang", "fr"}};
  Response refused = api().batch_check(r);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(error_code(refused), kBadRequest);
  r.query = {{"lang", "en"}};
  EXPECT_EQ(api().batch_check(r).status, 0);
}

TEST(Api, PathTraversalFindsNothing) {
  for (const char* path : {"/v1/rules/../../etc/passwd", "/v1/rules/..", "/../../etc/passwd",
                           "/v1/schema/../../../etc/passwd", "/v1/rules/%2e%2e%2fetc"}) {
    Response r = call("GET", path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find("root:"), std::string::npos);
  }
}

TEST(Api, InvalidUtf8IsAnErrorNotAnException) {
  Response r = call("POST", "/v1/eval", "{\"id\": \"\xff\xfe\"}");
  EXPECT_EQ(r.status, 400);
  Response id = call("GET", "/v1/rules/\xff\xfe");
  EXPECT_EQ(id.status, 404);
  EXPECT_NO_THROW(nlohmann::json::parse(id.body));
}

TEST(Api, DeepNestingIs400) {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(call("POST", "/v1/eval", deep).status, 400);
}

TEST(Api, RulesFilteredAndShown) {
  Response all = call("GET", "/v1/rules");
  Response kc = call("GET", "/v1/rules", "", "", {{"region", "柯城区"}});
  auto n = [](const Response& r) { return nlohmann::json::parse(r.body).at("count").get<int>(); };
  EXPECT_GT(n(all), n(kc));
  EXPECT_GT(n(kc), 0);
  EXPECT_EQ(call("GET", "/v1/rules", "", "", {{"region", "nowhere"}}).status, 400);
  std::string id = nlohmann::json::parse(kc.body).at("rules")[0].at("id");
  Response one = call("GET", "/v1/rules/" + id);
  EXPECT_EQ(one.status, 200);
  EXPECT_EQ(nlohmann::json::parse(one.body).at("id"), id);
}

TEST(Api, QuestionnaireNeedsRegionAndForm) {
  EXPECT_EQ(call("GET", "/v1/questionnaire").status, 400);
  EXPECT_EQ(call("GET", "/v1/questionnaire", "", "", {{"region", "330802"}}).status, 400);
  Response q = call("GET", "/v1/questionnaire", "", "",
                    {{"region", "330802"}, {"form", "enterprise"}, {"year", "2023"}});
  EXPECT_EQ(q.status, 200);
  EXPECT_EQ(nlohmann::json::parse(q.body).at("template").at("policy_year"), 2023);
}

TEST(Api, BatchStreamSplitsLinesAcrossPieces) {
  std::string one = std::string(kProfile);
  std::erase(one, '\n');
  std::string input = one + "\r\n\n{bad\r" + one;
  std::string whole;
  {
    BatchStream s(builtin(), Lang::Zh, 1 << 20);
    whole = s.feed(input);  // two statements: the operands of + are not ordered
    whole += s.finish();
  }
  std::string pieces;
  {
    BatchStream s(builtin(), Lang::Zh, 1 << 20);
    for (char c : input) pieces += s.feed(std::string_view(&c, 1));
    pieces += s.finish();
  }
  EXPECT_EQ(whole, pieces);
  EXPECT_EQ(std::count(whole.begin(), whole.end(), '\n'), 3);
  EXPECT_NE(whole.find("\"line\":3"), std::string::npos);
  EXPECT_NE(whole.find("\"line\":4"), std::string::npos);
  Response r = call("POST", "/v1/batch", input, "application/x-ndjson");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, whole);
  EXPECT_EQ(call("POST", "/v1/batch", input, "application/json").status, 415);
}

TEST(Api, PageIsServed) {
  Response r = call("GET", "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<html"), std::string::npos);
  EXPECT_EQ(r.body.find("http://"), std::string::npos);  // nothing fetched from elsewhere
  EXPECT_EQ(r.body.find("https://"), std::string::npos);
}

}  // namespace
}  // namespace subsidy::server
