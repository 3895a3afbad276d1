// The HTTP API of `subsidy serve` (docs/api.md) as a pure function: a request (method, path, query,
// content type, body) → a response (status, content type, body, extra headers). No sockets, no
// files, no printing: src/cli/serve.cpp owns those and calls handle() from its worker threads.
// Contracts:
//  - the RuleSet is loaded once by the caller, outlives the Api, and is only read: handle() is
//    const and thread-safe (evaluation over a const RuleSet is, as batch's threads rely on);
//  - every body is produced by the renderers the CLI uses, so /v1/eval's body is byte for byte
//    what `eval --format json` prints, and a /v1/batch line what `batch` writes for JSON Lines;
//  - nothing a request says reaches the file system: ids and paths are looked up in memory only;
//  - errors are {"error": {"code", "message", "diagnostics": [...]}} with the CLI's diagnostic
//    codes and located messages; text that is not UTF-8 is replaced, never
//    thrown on.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/builtin_rules.h"
#include "core/diagnostic.h"
#include "core/engine.h"
#include "core/model.h"
#include "report/batch.h"
#include "report/render.h"

namespace subsidy {

// The page at "/" (src/server/page/index.html as "page/index.html") and the OpenAPI description
// (docs/openapi.json as "page/openapi.json"), embedded by cmake/embed_rules.cmake.
const std::vector<SourceText>& builtin_page_files();

namespace server {

struct Request {
  std::string method;  // "GET", "POST", ...; HEAD is answered as GET by the HTTP layer
  std::string path;    // decoded, without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::string content_type;                                // the header, or empty
  std::string_view body;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Allow for a 405
};

struct ApiConfig {
  std::string program_version;  // "0.1.0"
  std::string build;            // compiler and build type, for /v1/version
  std::size_t max_body = 16u << 20;
  // The stamp of a report (date, versions); called per request, so the date follows the clock.
  std::function<ReportStamp()> stamp;
};

// Status codes and the error codes that go with them (docs/api.md).
inline constexpr const char* kNotFound = "not-found";
inline constexpr const char* kMethodNotAllowed = "method-not-allowed";
inline constexpr const char* kTooLarge = "too-large";
inline constexpr const char* kMediaType = "unsupported-media-type";
inline constexpr const char* kSaturated = "saturated";
inline constexpr const char* kBadRequest = "bad-request";
inline constexpr const char* kInternal = "internal";

// An error response: `status`, the error `code`, and the message (and diagnostics, each located
// and in `lang`).
Response error_response(int status, std::string_view code, const Message& message, Lang lang,
                        const std::vector<Diagnostic>& diagnostics = {});
// The language of a query's lang (default Chinese); nullopt when it names none (kLangs).
std::optional<Lang> query_language(const Request& request);

// /v1/batch as a stream: JSON Lines fed in pieces of any size, the records of every complete line
// returned as soon as it is read. Lines end at LF, CRLF or CR, as `batch` reads them; a line
// longer than the body limit is an error record. One per request; not shared between threads.
class BatchStream {
 public:
  BatchStream(const RuleSet& rules, Lang lang, std::size_t max_line);
  std::string feed(std::string_view data);
  std::string finish();  // the last line, when the input does not end with a line end

 private:
  std::string line_done();
  const RuleSet& rules_;
  Lang lang_;
  std::size_t max_line_;
  std::string line_;
  bool too_long_ = false;
  bool after_cr_ = false;  // the last line ended at a CR: an LF right after it belongs to it
  int line_number_ = 0;
  std::size_t rows_ = 0;
  Report report_;       // reused from row to row
  BatchRecord record_;  // the same
};

class Api {
 public:
  Api(const RuleSet& rules, ApiConfig config);
  Response handle(const Request& request) const;
  // A request that /v1/batch will stream: its content type checked. An error response, or
  // status 0 with the language to stream in (in `body`).
  Response batch_check(const Request& request) const;
  const RuleSet& rules() const { return rules_; }
  const ApiConfig& config() const { return config_; }

 private:
  Response get(const Request& request, Lang lang) const;
  Response eval(const Request& request, Lang lang) const;
  Response explain(const Request& request, const std::string& id, Lang lang) const;
  Response questionnaire(const Request& request, Lang lang) const;
  Response rules_list(const Request& request, Lang lang) const;
  const RuleSet& rules_;
  ApiConfig config_;
  std::string choices_;         // GET /v1/choices
  std::string profile_schema_;  // GET /v1/schema/profile
};

}  // namespace server
}  // namespace subsidy
