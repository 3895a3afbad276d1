#include "server/api.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "core/advice.h"
#include "core/profile.h"
#include "core/region.h"
#include "core/unread.h"
#include "report/documents_text.h"
#include "report/rules_text.h"
#include "report/unread_text.h"
#include "report/vocabulary_text.h"

namespace subsidy::server {
namespace {

using Json = nlohmann::ordered_json;

// Request text is not trusted to be UTF-8 (an id in a path, a query value): nlohmann's default
// would throw on it, so every dump replaces what is not UTF-8.
std::string dump(const Json& j, int indent = -1) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

Json diagnostic_json(const Diagnostic& d, Lang lang) {
  Json j;
  j["file"] = d.file;
  j["line"] = d.line;
  j["column"] = d.col;
  j["pointer"] = d.path;
  j["code"] = d.code;
  j["severity"] = d.severity == Severity::Error ? "error" : "warning";
  j["message"] = d.text(lang);
  j["text"] = format_diagnostic(d, lang);
  return j;
}

// The name request bodies are reported by in located messages (the CLI says the file's name).
const std::string kBodyName = "<body>";

Response json_response(std::string body) {
  Response r;
  r.body = std::move(body);
  return r;
}

// Problems in what a request sent: 400, with every diagnostic (capped per file as the CLI does).
Response bad_input(std::vector<Diagnostic> diagnostics, Lang lang) {
  cap_per_file(diagnostics);
  std::string code = diagnostics.empty() ? kBadRequest : diagnostics.front().code;
  std::size_t problems = count_problems(diagnostics);
  return error_response(
      400, code, msg("{} problem(s) in the request body", "请求正文：共 {} 个问题", problems), lang,
      diagnostics);
}

const std::string* query_value(const Request& request, std::string_view key) {
  for (const auto& [k, v] : request.query) {
    if (k == key) return &v;
  }
  return nullptr;
}

bool query_flag(const Request& request, std::string_view key) {
  const std::string* v = query_value(request, key);
  return v && (*v == "1" || *v == "true" || v->empty());
}

// The media type without parameters, lower case; `charset_ok` false when a charset other than
// UTF-8 is named (the API reads and writes UTF-8 only).
std::string media_type(std::string_view header, bool& charset_ok) {
  std::string lower;
  for (char c : header) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  lower.erase(std::remove(lower.begin(), lower.end(), ' '), lower.end());
  charset_ok = true;
  std::size_t semi = lower.find(';');
  std::string type = lower.substr(0, semi);
  std::size_t at = lower.find("charset=");
  if (at != std::string::npos) {
    std::string charset = lower.substr(at + 8, lower.find(';', at) - at - 8);
    if (!charset.empty() && charset.front() == '"') charset = charset.substr(1, charset.size() - 2);
    charset_ok = charset == "utf-8" || charset == "utf8";
  }
  return type;
}

// 415 unless the request's content type is one of `accepted`.
std::optional<Response> check_media_type(const Request& request,
                                         std::initializer_list<std::string_view> accepted,
                                         Lang lang) {
  bool charset_ok = true;
  std::string type = media_type(request.content_type, charset_ok);
  if (charset_ok && std::find(accepted.begin(), accepted.end(), type) != accepted.end()) {
    return std::nullopt;
  }
  std::string list;
  for (std::string_view a : accepted) list += (list.empty() ? "" : ", ") + std::string(a);
  return error_response(
      415, kMediaType,
      msg("content type \"{0}\" not accepted: send {1} in UTF-8",
          "不接受内容类型 \"{0}\"：请以 UTF-8 发送 {1}", request.content_type, list),
      lang);
}

Response not_found(const Request& request, Lang lang) {
  return error_response(404, kNotFound,
                        msg("no such resource: {}", "没有这个资源：{}", request.path), lang);
}

// The API's resources: a path pattern (a trailing '*' is one segment: an id) and its method.
struct Route {
  std::string_view pattern;
  std::string_view method;
};
constexpr Route kRoutes[] = {
    {"/", "GET"},
    {"/index.html", "GET"},
    {"/healthz", "GET"},
    {"/v1/version", "GET"},
    {"/v1/openapi.json", "GET"},
    {"/v1/documents", "GET"},
    {"/v1/choices", "GET"},
    {"/v1/rules", "GET"},
    {"/v1/rules/*", "GET"},
    {"/v1/questionnaire", "GET"},
    {"/v1/schema/*", "GET"},
    {"/v1/eval", "POST"},
    {"/v1/explain/*", "POST"},
    {"/v1/batch", "POST"},
};

// The segment a '*' pattern matches (one non-empty path segment), or nullopt.
std::optional<std::string> match(std::string_view pattern, std::string_view path) {
  if (!pattern.ends_with('*')) {
    if (pattern == path) return std::string();
    return std::nullopt;
  }
  std::string_view prefix = pattern.substr(0, pattern.size() - 1);
  if (!path.starts_with(prefix)) return std::nullopt;
  std::string_view rest = path.substr(prefix.size());
  if (rest.empty() || rest.find('/') != std::string_view::npos) return std::nullopt;
  return std::string(rest);
}

const Route* find_route(std::string_view path, std::string* id, bool* other_method,
                        std::string_view method) {
  *other_method = false;
  for (const Route& r : kRoutes) {
    std::optional<std::string> m = match(r.pattern, path);
    if (!m) continue;
    if (r.method == method || (method == "HEAD" && r.method == "GET")) {
      *id = *m;
      return &r;
    }
    *other_method = true;
  }
  return nullptr;
}

std::string allowed_methods(std::string_view path) {
  std::string out;
  for (const Route& r : kRoutes) {
    if (!match(r.pattern, path)) continue;
    std::string m(r.method);
    if (m == "GET") m = "GET, HEAD";
    if (out.find(m) == std::string::npos) out += (out.empty() ? "" : ", ") + m;
  }
  return out;
}

// What a form offers to choose from, from the one table of each: legal forms, roles, and the
// regions some document covers with the years a document covering them is in force.
std::string choices_json(const RuleSet& rules) {
  auto terms = [](const auto& table) {
    Json list = Json::array();
    for (const ApplicantTerm& t : table) {
      list.push_back({{"id", std::string(t.id)},
                      {"zh", std::string(t.zh)},
                      {"en", std::string(t.en)},
                      {"define_zh", std::string(t.define_zh)},
                      {"define_en", std::string(t.define_en)}});
    }
    return list;
  };
  Json regions = Json::array();
  for (const RegionName& r : region_names()) {
    std::string code(r.code);
    std::vector<int> years;
    for (const Document& doc : rules.documents()) {
      if (!covers(doc, rules, code)) continue;
      for (int y = doc.valid_from.year; y <= std::min(doc.valid_to.year, doc.valid_from.year + 20);
           ++y) {
        if (std::find(years.begin(), years.end(), y) == years.end()) years.push_back(y);
      }
    }
    if (years.empty()) continue;
    std::sort(years.begin(), years.end());
    YearChoice choice = default_policy_year(rules, code);
    regions.push_back({{"code", code},
                       {"zh", std::string(r.zh)},
                       {"en", std::string(r.en)},
                       {"default_year", choice.year},
                       {"years", years}});
  }
  Json j;
  j["forms"] = terms(kLegalForms);
  j["roles"] = terms(kRoles);
  j["regions"] = std::move(regions);
  return dump(j, 2) + "\n";
}

}  // namespace

Response error_response(int status, std::string_view code, const Message& message, Lang lang,
                        const std::vector<Diagnostic>& diagnostics) {
  Json error;
  error["code"] = std::string(code);
  error["message"] = message.in(lang);
  Json list = Json::array();
  for (const Diagnostic& d : diagnostics) list.push_back(diagnostic_json(d, lang));
  error["diagnostics"] = std::move(list);
  Json j;
  j["error"] = std::move(error);
  Response r;
  r.status = status;
  r.body = dump(j, 2) + "\n";
  return r;
}

std::optional<Lang> query_language(const Request& request) {
  const std::string* id = query_value(request, "lang");
  if (!id) return Lang::Zh;
  const LangInfo* info = lang_of(*id);
  return info ? std::optional<Lang>(info->lang) : std::nullopt;
}

// What depends on the rule set alone is rendered once, not per request.
Api::Api(const RuleSet& rules, ApiConfig config)
    : rules_(rules),
      config_(std::move(config)),
      choices_(choices_json(rules)),
      profile_schema_(render_profile_schema(rules.vocabulary())) {}

Response Api::handle(const Request& request) const {
  std::optional<Lang> asked = query_language(request);
  if (!asked) {
    return error_response(400, kBadRequest, msg("lang must be zh or en", "lang 只能是 zh 或 en"),
                          Lang::Zh);
  }
  const Lang lang = *asked;
  std::string id;
  bool other_method = false;
  const Route* route = find_route(request.path, &id, &other_method, request.method);
  if (!route) {
    if (!other_method) return not_found(request, lang);
    Response r = error_response(
        405, kMethodNotAllowed,
        msg("method {0} not allowed on {1}", "{1} 不接受 {0} 方法", request.method, request.path),
        lang);
    r.headers.emplace_back("Allow", allowed_methods(request.path));
    return r;
  }
  if (request.body.size() > config_.max_body) {
    return error_response(413, kTooLarge,
                          msg("request body over the limit of {} bytes",
                              "请求正文超过 {} 字节的上限", config_.max_body),
                          lang);
  }
  if (route->pattern == "/v1/eval") return eval(request, lang);
  if (route->pattern == "/v1/explain/*") return explain(request, id, lang);
  if (route->pattern == "/v1/batch") {
    Response checked = batch_check(request);
    if (checked.status != 0) return checked;
    BatchStream stream(rules_, lang, config_.max_body);
    Response r;
    r.content_type = "application/x-ndjson; charset=utf-8";
    r.body = stream.feed(request.body);
    r.body += stream.finish();
    return r;
  }
  return get(request, lang);
}

Response Api::get(const Request& request, Lang lang) const {
  const std::string& path = request.path;
  if (path == "/" || path == "/index.html") {
    Response r;
    r.content_type = "text/html; charset=utf-8";
    if (auto page = builtin_file(builtin_page_files(), "page/index.html")) r.body = *page;
    return r;
  }
  if (path == "/healthz") return json_response("{\"status\":\"ok\"}\n");
  if (path == "/v1/version") {
    Json j;
    j["program"] = "subsidy";
    j["version"] = config_.program_version;
    j["rules_version"] = rules_.version();
    j["build"] = config_.build;
    j["documents"] = rules_.documents().size();
    return json_response(dump(j, 2) + "\n");
  }
  if (path == "/v1/openapi.json") {
    auto spec = builtin_file(builtin_page_files(), "page/openapi.json");
    return json_response(std::string(spec ? *spec : "{}\n"));
  }
  if (path == "/v1/documents") return json_response(render_documents(rules_, Format::Json, lang));
  if (path == "/v1/choices") return json_response(choices_);
  if (path == "/v1/rules") return rules_list(request, lang);
  if (path == "/v1/questionnaire") return questionnaire(request, lang);
  if (path.starts_with("/v1/rules/")) {
    std::string id = path.substr(10);
    std::string body = render_rule_json(rules_, id, lang);
    if (body.empty()) {
      return error_response(404, kNotFound,
                            msg("no rule with id \"{}\"", "没有 id 为 \"{}\" 的规则", id), lang);
    }
    return json_response(std::move(body));
  }
  std::string which = path.substr(11);  // /v1/schema/
  if (const SchemaInfo* schema = schema_info(which)) {
    if (schema->schema == Schema::Profile) return json_response(profile_schema_);
    if (auto text = builtin_file(builtin_schema_files(), schema->file)) {
      return json_response(std::string(*text));
    }
  }
  return error_response(404, kNotFound,
                        msg("no schema \"{}\": rules, facts or profile",
                            "没有 schema \"{}\"：可选 rules、facts 或 profile", which),
                        lang);
}

Response Api::rules_list(const Request& request, Lang lang) const {
  RuleFilter filter;
  if (const std::string* region = query_value(request, "region"); region && !region->empty()) {
    RegionMatch m = match_region(*region);
    if (m.code.empty()) {
      return error_response(400, kBadRequest,
                            msg("region: unknown or ambiguous region \"{}\"",
                                "region：未知或有歧义的地区 \"{}\"", *region),
                            lang);
    }
    filter.region = m.code;
  }
  if (const std::string* category = query_value(request, "category");
      category && !category->empty()) {
    const CategoryName* c = category_of(*category);
    if (!c) {
      return error_response(
          400, kBadRequest,
          msg("category: unknown category \"{}\"", "category：未知的类别 \"{}\"", *category), lang);
    }
    filter.category = c;
  }
  if (const std::string* search = query_value(request, "search")) filter.search = *search;
  return json_response(render_rule_list_json(rules_, filter));
}

Response Api::eval(const Request& request, Lang lang) const {
  if (auto wrong = check_media_type(request, {"application/json"}, lang)) return *wrong;
  Format format = Format::Json;
  if (const std::string* asked = query_value(request, "format")) {
    const FormatInfo* info = format_of(*asked);
    if (!info || (info->format != Format::Json && info->format != Format::Html)) {
      return error_response(400, kBadRequest,
                            msg("format must be json or html", "format 只能是 json 或 html"), lang);
    }
    format = info->format;
  }
  Result<Profile> profile = load_profile(request.body, kBodyName, rules_.vocabulary());
  if (!profile.ok()) return bad_input(profile.errors(), lang);
  std::vector<UnreadFact> unread = unread_facts(rules_, profile.value());
  if (query_flag(request, "strict") && !unread.empty()) {
    return bad_input(unread_facts_diagnostics(unread, rules_, profile.value(), true), lang);
  }
  Report report = evaluate(rules_, profile.value());
  // As eval: a total that overflowed is no report at all (the CLI prints none and exits 3). A
  // rule's own error is marked in the report, which is still given.
  std::optional<Message> error = evaluation_error(report);
  if (report.overflow) {
    return error_response(422, "overflow",
                          msg("{0}; no report", "{1}；未生成报告", error->en, error->zh), lang);
  }
  ReportExtras extras;
  extras.advice = advise(rules_, profile.value(), report);
  extras.missing = rank_missing(report);
  extras.projections = project(rules_, profile.value(), report);
  if (query_flag(request, "advice")) extras.advice_shown = extras.advice.size();
  extras.all_rules = query_flag(request, "all");
  extras.unread = std::move(unread);
  if (config_.stamp) extras.stamp = config_.stamp();
  Response r;
  if (format == Format::Html) r.content_type = "text/html; charset=utf-8";
  r.body = render_report(report, format, lang, extras);
  return r;
}

Response Api::explain(const Request& request, const std::string& id, Lang lang) const {
  if (auto wrong = check_media_type(request, {"application/json"}, lang)) return *wrong;
  Result<Profile> profile = load_profile(request.body, kBodyName, rules_.vocabulary());
  if (!profile.ok()) return bad_input(profile.errors(), lang);
  std::vector<UnreadFact> unread = unread_facts(rules_, profile.value());
  Explained explained = explain_rule(rules_, profile.value(), id, lang, unread);
  if (!explained.found) {
    return error_response(404, kNotFound,
                          msg("no rule with id \"{}\"", "没有 id 为 \"{}\" 的规则", id), lang);
  }
  if (explained.error) return error_response(422, "overflow", *explained.error, lang);
  Json j;
  j["rule"] = id;
  j["text"] = explained.text;
  return json_response(dump(j, 2) + "\n");
}

Response Api::questionnaire(const Request& request, Lang lang) const {
  auto bad = [&](const Message& m) { return error_response(400, kBadRequest, m, lang); };
  const std::string* region_text = query_value(request, "region");
  if (!region_text || region_text->empty()) {
    return bad(msg("region is required", "缺少参数 region"));
  }
  RegionMatch region = match_region(*region_text);
  if (region.code.empty()) {
    return bad(msg("region: unknown or ambiguous region \"{}\"",
                   "region：未知或有歧义的地区 \"{}\"", *region_text));
  }
  const std::string* form = query_value(request, "form");
  if (!form) form = query_value(request, "kind");
  auto known = [](auto& table, const std::string& id) {
    return std::any_of(std::begin(table), std::end(table),
                       [&](const ApplicantTerm& t) { return t.id == id; });
  };
  if (!form || !known(kLegalForms, *form)) {
    return bad(msg("form: give one of the legal forms (docs/profile.md)",
                   "form：请给出一种法律形式（见 docs/profile.md）"));
  }
  Applicant who{*form, {}};
  for (const auto& [key, value] : request.query) {
    if (key != "role") continue;
    if (!known(kRoles, value)) {
      return bad(msg("role: unknown role \"{}\"", "role：未知的身份 \"{}\"", value));
    }
    if (std::find(who.roles.begin(), who.roles.end(), value) == who.roles.end())
      who.roles.push_back(value);
  }
  YearChoice choice;
  if (const std::string* year = query_value(request, "year"); year && !year->empty()) {
    auto [end, ec] = std::from_chars(year->data(), year->data() + year->size(), choice.year);
    if (ec != std::errc() || end != year->data() + year->size() || choice.year < 1900 ||
        choice.year > 2200) {
      return bad(msg("year: not a year: \"{}\"", "year：不是年份：\"{}\"", *year));
    }
  } else {
    choice = default_policy_year(rules_, region.code);
  }
  if (choice.year == 0) {
    return error_response(
        404, kNotFound,
        msg("no document covers region {}", "没有适用于地区 {} 的政策文件", region.code), lang);
  }
  return json_response(
      render_questionnaire(rules_, region.code, who, choice.year, Format::Json, choice.note, lang));
}

Response Api::batch_check(const Request& request) const {
  std::optional<Lang> lang = query_language(request);
  if (!lang) {
    return error_response(400, kBadRequest, msg("lang must be zh or en", "lang 只能是 zh 或 en"),
                          Lang::Zh);
  }
  if (auto wrong = check_media_type(
          request, {"application/x-ndjson", "application/jsonl", "application/json-lines"},
          *lang)) {
    return *wrong;
  }
  Response ok;
  ok.status = 0;
  ok.body = lang_id(*lang);
  return ok;
}

BatchStream::BatchStream(const RuleSet& rules, Lang lang, std::size_t max_line)
    : rules_(rules), lang_(lang), max_line_(max_line) {}

std::string BatchStream::feed(std::string_view data) {
  std::string out;
  while (!data.empty()) {
    if (after_cr_) {
      after_cr_ = false;
      if (data.front() == '\n') {
        data.remove_prefix(1);
        continue;
      }
    }
    std::size_t end = data.find_first_of("\r\n");
    std::string_view piece = data.substr(0, end);
    if (!too_long_) {
      if (line_.size() + piece.size() > max_line_) {
        too_long_ = true;
        std::string().swap(line_);
      } else {
        line_.append(piece);
      }
    }
    if (end == std::string_view::npos) break;
    after_cr_ = data[end] == '\r';
    data.remove_prefix(end + 1);
    out += line_done();
  }
  return out;
}

std::string BatchStream::finish() {
  if (line_.empty() && !too_long_) return "";
  return line_done();
}

std::string BatchStream::line_done() {
  ++line_number_;
  bool blank = !too_long_ && line_.find_first_not_of(" \t\r") == std::string::npos;
  std::string out;
  if (!blank) {
    RowInput input;
    if (line_number_ > 1 && line_.starts_with("\xEF\xBB\xBF")) {
      input.errors.push_back(
          Diagnostic{kBodyName,
                     line_number_,
                     1,
                     "",
                     {"a byte-order mark in the middle of the input (were two files joined?)",
                      "输入中间有字节顺序标记（是否拼接了两个文件？）"},
                     "json-syntax"});
    } else if (too_long_) {
      input.errors.push_back(Diagnostic{
          kBodyName, line_number_, 1, "",
          msg("line longer than the limit of {} bytes", "该行超过 {} 字节的上限", max_line_),
          "too-large"});
    } else {
      input = read_json_row(line_, line_number_, kBodyName, rules_.vocabulary());
    }
    RowScoring how;
    how.lang = lang_;
    how.relocate_line = line_number_;
    score_row(std::move(input), ++rows_, line_number_, rules_, how, report_, record_);
    out = batch_jsonl(record_, rules_);
  }
  line_.clear();
  too_long_ = false;
  return out;
}

}  // namespace subsidy::server
