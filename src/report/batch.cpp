#include "report/batch.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <nlohmann/json.hpp>

#include "core/csv.h"
#include "core/json.h"
#include "core/region.h"
#include "core/utf8.h"
#include "report/render.h"
#include "report/text.h"
#include "report/unread_text.h"

namespace subsidy {
namespace {

constexpr std::size_t kOutcomes = std::size(kRecordOutcomes);

constexpr std::size_t kStatuses = static_cast<std::size_t>(Status::Error) + 1;

// Per status (indexed by Status): where it comes in kRecordOutcomes; kOutcomes for one that is
// not listed. Looked up twice for every rule of every row, so computed once, from the table.
constexpr std::array<std::uint8_t, kStatuses> kOutcomePositions = [] {
  std::array<std::uint8_t, kStatuses> at{};
  at.fill(static_cast<std::uint8_t>(kOutcomes));
  for (std::size_t k = 0; k < kOutcomes; ++k) {
    at[static_cast<std::size_t>(kRecordOutcomes[k])] = static_cast<std::uint8_t>(k);
  }
  return at;
}();

std::size_t outcome_position(Status status) {
  return kOutcomePositions[static_cast<std::size_t>(status)];
}

bool has_amount(const RuleResult& r) {
  return (r.status == Status::Eligible || r.status == Status::Excluded) &&
         (r.rule->kind == AmountKind::Exact || r.rule->kind == AmountKind::Floor);
}

}  // namespace

void make_record(std::size_t row, int line, const RuleSet& rules, const Report& report, Lang lang,
                 bool with_reasons, BatchRecord& r) {
  r.row = row;
  r.line = line;
  // A rule or a total that overflowed makes the row an error: its totals would be wrong.
  std::optional<Message> error = evaluation_error(report);
  r.ok = !error;
  r.error.clear();
  if (error) r.error = error->in(lang);
  const Profile& p = *report.profile;
  r.id = p.id;
  r.name = p.name;
  r.form = p.form;
  // As a CSV cell writes them: ids joined by ';', "[]" for none, empty for not known.
  r.roles.clear();
  if (p.roles) {
    if (p.roles->empty()) r.roles = "[]";
    for (std::size_t i = 0; i < p.roles->size(); ++i) {
      if (i > 0) r.roles += ';';
      r.roles += (*p.roles)[i];
    }
  }
  r.region = p.region;
  r.policy_year = p.policy_year;
  r.document_totals.assign(rules.documents().size(), std::nullopt);
  r.total = report.total;
  r.total_is_floor = report.total_is_floor;
  r.tax_relief = report.tax_relief;
  r.fee_reduction = report.fee_reduction;
  // Grouped by outcome with a counting sort: count each group, then put each line in its
  // group's next slot, so that rule-file order holds within a group.
  std::array<std::size_t, kOutcomes + 1> next{};  // by outcome position; the last: not listed
  for (const DocumentResult& d : report.documents) {
    for (const RuleResult& rr : d.rules) ++next[outcome_position(rr.status)];
  }
  std::size_t listed = 0;
  for (std::size_t k = 0; k < kOutcomes; ++k) {
    std::size_t count = next[k];
    next[k] = listed;
    listed += count;
  }
  r.rules.resize(listed);
  r.reasons.resize(with_reasons ? listed : 0);
  for (const DocumentResult& d : report.documents) {
    auto index = static_cast<std::uint32_t>(d.document - rules.documents().data());
    if (d.in_force) r.document_totals[index] = d.total;
    for (const RuleResult& rr : d.rules) {
      std::size_t k = outcome_position(rr.status);
      if (k == kOutcomes) continue;
      BatchRecord::Line& l = r.rules[next[k]++];
      l.rule = rr.rule;
      l.amount = rr.amount;
      l.document = index;
      l.status = rr.status;
      l.has_amount = has_amount(rr);
      if (with_reasons) r.reasons[next[k] - 1] = rule_reasons(rr, report, lang);
    }
  }
}

BatchRecord error_record(std::size_t row, int line, std::string id, std::string error,
                         std::size_t documents) {
  BatchRecord r;
  r.document_totals.resize(documents);
  r.row = row;
  r.line = line;
  r.id = std::move(id);
  r.error = std::move(error);
  return r;
}

std::string first_error(const std::vector<Diagnostic>& errors, Lang lang) {
  constexpr std::size_t kListed = 3;
  std::string out;
  std::size_t listed = 0, more = 0;
  for (const Diagnostic& d : errors) {
    if (d.severity != Severity::Error) continue;
    if (d.code == kTooMany) {
      more += d.omitted;
    } else if (listed < kListed) {
      ++listed;
      out += (out.empty() ? "" : "; ") + format_diagnostic(d, lang);
    } else {
      ++more;
    }
  }
  if (more > 0) {
    out += "; " + more_problems("", more).text(lang);
  }
  return out;
}

RowInput read_json_row(std::string_view text, int line, const std::string& source,
                       const Vocabulary& vocabulary) {
  Result<json::Tree> root = json::parse(text, source);
  if (root.ok()) return read_json_row(root.value().root(), line, source, vocabulary);
  RowInput in;
  in.errors = root.errors();
  for (Diagnostic& d : in.errors) d.line = line;
  return in;
}

RowInput read_json_row(const json::Value& root, int line, const std::string& source,
                       const Vocabulary& vocabulary) {
  RowInput in;
  Profile p = read_profile(root, source, vocabulary, in.errors);
  for (Diagnostic& d : in.errors) d.line = line;
  if (!has_errors(in.errors)) in.profile = std::move(p);
  if (root.is_object()) {
    const json::Value* id = root.find("id");
    if (id && id->is_string()) in.id = std::string(id->text());
  }
  return in;
}

void score_row(RowInput input, std::size_t row, int line, const RuleSet& rules,
               const RowScoring& how, Report& report, BatchRecord& out) {
  if (!input.profile) {
    out = error_record(row, line, input.id, first_error(input.errors, how.lang),
                       rules.documents().size());
    return;
  }
  score_profile(*input.profile, row, line, rules, how, report, out);
}

void score_profile(const Profile& profile, std::size_t row, int line, const RuleSet& rules,
                   const RowScoring& how, Report& report, BatchRecord& out) {
  // The warnings go straight into the record's: its elements' storage is reused, and each
  // verdict's JSON is written once, by the memo, for batch_jsonl to copy.
  if (how.unread) {
    how.unread->unread_facts(rules, profile, out.warnings, &unread_fact_json);
  } else {
    out.warnings = unread_facts(rules, profile);
  }
  if (how.strict && !out.warnings.empty()) {
    std::vector<Diagnostic> errors = unread_facts_diagnostics(out.warnings, rules, profile, true);
    if (how.relocate_line != 0) {
      for (Diagnostic& d : errors) d.line = how.relocate_line;
    }
    out = error_record(row, line, profile.id, first_error(errors, how.lang),
                       rules.documents().size());
    return;
  }
  EvalOptions lean;
  lean.trace = false;
  lean.reasons = how.with_reasons;
  evaluate(rules, profile, lean, report);
  make_record(row, line, rules, report, how.lang, how.with_reasons, out);
}

namespace {

// Per byte: 1 for ASCII that JSON writes as it is, 0 for ASCII it escapes (control characters,
// quote, backslash, DEL), 2 for the lead or continuation byte of a longer sequence.
constexpr std::array<std::uint8_t, 256> kJsonBytes = [] {
  std::array<std::uint8_t, 256> kind{};
  for (std::size_t c = 0; c < 256; ++c) {
    kind[c] = c >= 0x80 ? 2 : c < 0x20 || c == '"' || c == '\\' || c == 0x7F ? 0 : 1;
  }
  return kind;
}();

// Whether `s` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF)
// with nothing JSON must escape: no control characters, quotes or backslashes.
bool plain_json_text(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    std::uint8_t kind = kJsonBytes[static_cast<unsigned char>(s[i])];
    if (kind == 1) {
      ++i;
      continue;
    }
    std::size_t n = kind == 0 ? 0 : utf8::sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// A record is written through a pointer into storage sized beforehand by an upper bound of its
// length (record_bound): each piece is one copy, with no check of room or measuring pass.
// A piece of 16 to 32 bytes (most rule ids) is copied inline as two overlapping 16-byte blocks,
// not by a call to memcpy; it reads and writes only the piece's own bytes.
char* put(char* at, std::string_view s) {
  std::size_t n = s.size();
  if (n >= 16 && n <= 32) {
    std::memcpy(at, s.data(), 16);
    std::memcpy(at + n - 16, s.data() + n - 16, 16);
  } else {
    std::memcpy(at, s.data(), n);
  }
  return at + n;
}

// The most a JSON string of `s` takes: a byte escaped as \u00XX takes six.
std::size_t json_text_bound(const std::string& s) {
  return 6 * s.size() + 2;
}

// A JSON string for text from the input (ids, messages) or a document number: escaped by
// nlohmann, invalid UTF-8 replaced, so a record is always valid JSON. Text that needs neither, the
// usual case, is the same either way and is copied directly.
char* put_json_text(char* at, const std::string& s) {
  if (!plain_json_text(s)) {
    return put(at,
               nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  *at++ = '"';
  at = put(at, s);
  *at++ = '"';
  return at;
}

constexpr std::size_t kIntBound = 20;  // a sign and 19 digits

// A whole number, without the temporary string of std::to_string.
char* put_int(char* at, std::int64_t n) {
  return std::to_chars(at, at + kIntBound, n).ptr;
}

constexpr std::size_t kMoneyBound = 32;  // Decimal::fixed(2): a sign, 19 digits, point, 2

// amount.fixed(2): an amount already in whole fen (what rounding leaves, nearly always) written
// directly, anything else by Decimal::fixed, which rounds.
char* put_money(char* at, Decimal amount) {
  using namespace std::string_view_literals;
  constexpr std::int64_t kPerFen = Decimal::kOne / 100;
  std::int64_t units = amount.units();
  if (units == 0) return put(at, "0.00"sv);  // most relief and reductions
  std::int64_t fen = units / kPerFen;
  if (units < 0 || fen * kPerFen != units) {
    std::string text = amount.fixed(2);
    return put(at, std::string_view(text).substr(0, kMoneyBound));
  }
  std::int64_t yuan = fen / 100;
  auto cents = static_cast<int>(fen - yuan * 100);
  at = std::to_chars(at, at + kMoneyBound - 3, yuan).ptr;
  at[0] = '.';
  at[1] = static_cast<char>('0' + cents / 10);
  at[2] = static_cast<char>('0' + cents % 10);
  return at + 3;
}

// Room for every name and punctuation of a record but the texts bounded apart: its keys (about
// 200 bytes), the outcome groups' names and brackets, numbers and money of the head.
constexpr std::size_t kFixedBound = 1024;

// The rules grouped by outcome (make_record gives the lines in kRecordOutcomes' order). About 45
// ids per record: the longest part. `longest_id`: the longest rule id of the rule set, when known
// (else each line's is read).
std::size_t rule_groups_bound(const BatchRecord& record, std::size_t longest_id) {
  constexpr std::size_t kLine = 6 + kMoneyBound;  // quotes, colon, comma, and an amount
  if (longest_id) return record.rules.size() * (longest_id + kLine);
  std::size_t size = 0;
  for (const BatchRecord::Line& l : record.rules) size += l.rule->id.size() + kLine;
  return size;
}

char* put_rule_groups(char* at, const BatchRecord& record) {
  using namespace std::string_view_literals;
  // Read through locals: a write through `at` may alias anything, so a member would be read
  // again after every byte written.
  const BatchRecord::Line* line = record.rules.data();
  const BatchRecord::Line* end = line + record.rules.size();
  for (std::size_t k = 0; k < kOutcomes; ++k) {
    Status status = kRecordOutcomes[k];
    bool paid = status == Status::Eligible || status == Status::Excluded;  // id → amount
    at = put(at, k ? ",\""sv : "\""sv);
    at = put(at, status_name(status));
    at = put(at, paid ? "\":{"sv : "\":["sv);
    // Each entry ends with a comma; the group's last one becomes its closing bracket.
    for (; line != end && line->status == status; ++line) {
      const BatchRecord::Line& l = *line;
      *at++ = '"';
      at = put(at, l.rule->id);
      *at++ = '"';
      if (paid && l.has_amount) {
        at = put(at, ":\""sv);
        at = put_money(at, l.amount);
        *at++ = '"';
      } else if (paid) {
        at = put(at, ":null"sv);
      }
      *at++ = ',';
    }
    char close = paid ? '}' : ']';
    if (at[-1] == ',') {
      at[-1] = close;
    } else {
      *at++ = close;
    }
  }
  return at;
}

// What a record is written with: the rule set and, for BatchJsonl, each document's number as a
// JSON key made once (null: each made as it is written).
struct Texts {
  const RuleSet& rules;
  const std::vector<std::string>* document_keys = nullptr;
  std::size_t longest_id = 0;  // of the rule set's rules; 0: not known
};

// A document's number as a JSON string, and the colon and quote that open its total.
std::size_t document_key_bound(const Texts& texts, std::size_t i) {
  if (texts.document_keys) return (*texts.document_keys)[i].size();
  return json_text_bound(texts.rules.documents()[i].number) + 2;
}

char* put_document_key(char* at, const Texts& texts, std::size_t i) {
  using namespace std::string_view_literals;
  if (texts.document_keys) return put(at, (*texts.document_keys)[i]);
  at = put_json_text(at, texts.rules.documents()[i].number);
  return put(at, ":\""sv);
}

// The longest a record can be: written into a buffer of that size, it cannot overrun.
std::size_t record_bound(const BatchRecord& record, const Texts& texts) {
  std::size_t size = kFixedBound + json_text_bound(record.id) + json_text_bound(record.error);
  if (!record.ok) return size;
  size += json_text_bound(record.region);
  for (std::size_t i = 0; i < record.document_totals.size(); ++i) {
    if (record.document_totals[i]) size += document_key_bound(texts, i) + 2 + kMoneyBound;
  }
  return size + rule_groups_bound(record, texts.longest_id) +
         unread_facts_json_size(record.warnings, texts.rules);
}

// The head of a good record: its region, year and money, and its documents' totals.
char* put_totals(char* at, const BatchRecord& record, const Texts& texts) {
  using namespace std::string_view_literals;
  at = put(at, ",\"status\":\"ok\",\"region\":"sv);
  at = put_json_text(at, record.region);
  at = put(at, ",\"policy_year\":"sv);
  at = put_int(at, record.policy_year);
  at = put(at, ",\"total\":\""sv);
  at = put_money(at, record.total);
  at = put(
      at, record.total_is_floor ? "\",\"total_is_floor\":true"sv : "\",\"total_is_floor\":false"sv);
  at = put(at, ",\"tax_relief\":\""sv);
  at = put_money(at, record.tax_relief);
  at = put(at, "\",\"fee_reduction\":\""sv);
  at = put_money(at, record.fee_reduction);
  at = put(at, "\",\"documents\":{"sv);
  bool first = true;
  for (std::size_t i = 0; i < record.document_totals.size(); ++i) {
    if (!record.document_totals[i]) continue;
    if (!first) *at++ = ',';
    at = put_document_key(at, texts, i);
    at = put_money(at, *record.document_totals[i]);
    *at++ = '"';
    first = false;
  }
  *at++ = '}';
  return at;
}

// The record at `at`, which has room for record_bound(record, rules) bytes; returns its end.
char* put_record(char* at, const BatchRecord& record, const Texts& texts) {
  using namespace std::string_view_literals;
  at = put(at, "{\"row\":"sv);
  at = put_int(at, static_cast<std::int64_t>(record.row));
  at = put(at, ",\"line\":"sv);
  at = put_int(at, record.line);
  at = put(at, ",\"id\":"sv);
  at = put_json_text(at, record.id);
  if (!record.ok) {
    at = put(at, ",\"status\":\"error\",\"error\":"sv);
    at = put_json_text(at, record.error);
    return put(at, "}\n"sv);
  }
  at = put_totals(at, record, texts);
  // Rules grouped by outcome, each group in rule-file order: a consumer reads what pays with
  // `.rules.eligible` and what is worth asking for with `.rules.needs_info`, and the record is
  // about half the size of one object per rule.
  at = put(at, ",\"rules\":{"sv);
  at = put_rule_groups(at, record);
  at = put(at, "},\"warnings\":"sv);
  at = write_unread_facts_json(at, record.warnings, texts.rules);
  return put(at, "}\n"sv);
}

// A record is written on the stack and copied once into `out`, whose storage the caller reuses
// (no allocation once it has held a record). The usual record is about 3 KB (its bound up to
// about 11); with the rules duplicated 8 times (bench/run.sh) up to 27 KB (bound up to 65): below
// 128 KiB neither is allocated nor zeroed per record. A string that grew for a longer record is
// given back first: a batch keeps hundreds of them in flight.
constexpr std::size_t kStackRecord = 128 << 10;

void write_record(const BatchRecord& record, const Texts& texts, std::string& out) {
  std::size_t bound = record_bound(record, texts);
  if (out.capacity() > kStackRecord) std::string().swap(out);
  if (bound <= kStackRecord) {
    char buffer[kStackRecord];
    out.assign(buffer, put_record(buffer, record, texts));
    return;
  }
  out.resize(bound);
  out.resize(static_cast<std::size_t>(put_record(out.data(), record, texts) - out.data()));
}

}  // namespace

// Written by hand rather than through a JSON DOM: this line is the hot path of `batch`, and every
// text in it other than the id, the region, the error and the document numbers is a rule id,
// status or fact name from the checked rule files ([a-z0-9_-] ids, no characters that need
// escaping).
std::string batch_jsonl(const BatchRecord& record, const RuleSet& rules) {
  std::string out;
  write_record(record, Texts{rules}, out);
  return out;
}

BatchJsonl::BatchJsonl(const RuleSet& rules) : rules_(rules) {
  for (const Document& d : rules.documents()) {
    for (const Rule& r : d.rules) longest_id_ = std::max(longest_id_, r.id.size());
  }
  for (std::size_t i = 0; i < rules.documents().size(); ++i) {
    std::string key(document_key_bound(Texts{rules}, i), '\0');
    key.resize(
        static_cast<std::size_t>(put_document_key(key.data(), Texts{rules}, i) - key.data()));
    document_keys_.push_back(std::move(key));
  }
}

void BatchJsonl::write(const BatchRecord& record, std::string& out) const {
  write_record(record, Texts{rules_, &document_keys_, longest_id_}, out);
}

// The summary's columns before the documents': row, line, id, name, form, roles, region, year,
// status, error. The total row leaves them empty but for its label.
constexpr std::size_t kIdentityColumns = 10;

std::vector<Cell> summary_header(const RuleSet& rules) {
  std::vector<Cell> h = {{"row"},   {"line"},   {"id"},          {"name"},   {"form"},
                         {"roles"}, {"region"}, {"policy_year"}, {"status"}, {"error"}};
  for (const Document& d : rules.documents()) h.push_back({d.number});
  h.push_back({"total"});
  h.push_back({"total_is_floor"});
  h.push_back({"tax_relief"});
  h.push_back({"fee_reduction"});
  return h;
}

std::vector<Cell> summary_row(const BatchRecord& r) {
  std::vector<Cell> row = {{std::to_string(r.row), true},
                           {std::to_string(r.line), true},
                           {r.id},
                           {r.name},
                           {r.form},
                           {r.roles},
                           {r.region},
                           {r.ok ? std::to_string(r.policy_year) : "", r.ok},
                           {r.ok ? "ok" : "error"},
                           {r.error}};
  for (const std::optional<Decimal>& t : r.document_totals)
    row.push_back({t ? t->fixed(2) : "", t.has_value()});
  if (!r.ok) {
    // An error row keeps the header's width, its money columns empty.
    row.insert(row.end(), 4, Cell{});
    return row;
  }
  row.push_back({r.total.fixed(2), true});
  row.push_back({r.total_is_floor ? "true" : "false"});
  row.push_back({r.tax_relief.fixed(2), true});
  row.push_back({r.fee_reduction.fixed(2), true});
  return row;
}

std::string batch_csv_header(const RuleSet& rules) {
  std::string out;
  for (const Cell& c : summary_header(rules)) out += (out.empty() ? "" : ",") + csv::field(c.text);
  return out + "\n";
}

std::string batch_csv_row(const BatchRecord& record) {
  std::vector<Cell> cells = summary_row(record);
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i)
    out += (i ? "," : "") + csv::field(cells[i].text, cells[i].number);
  return out + "\n";
}

namespace {

bool en(Lang lang) {
  return lang == Lang::En;
}

std::string upper_first(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

// A benefit kind's name as a column header: 税收减免 / Tax relief.
std::string benefit_header(Benefit benefit, Lang lang) {
  const BenefitInfo& b = benefit_info(benefit);
  return en(lang) ? upper_first(b.en) : std::string(b.zh);
}

// The roles cell (ids joined by ';', "[]" for none, empty when not given) in words.
std::string roles_words(const std::string& cell, Lang lang) {
  if (cell.empty()) return roles_label(std::nullopt, lang);
  std::vector<std::string> ids;
  if (cell != "[]") {
    for (std::size_t start = 0; start <= cell.size();) {
      std::size_t end = std::min(cell.find(';', start), cell.size());
      ids.push_back(cell.substr(start, end - start));
      start = end + 1;
    }
  }
  return roles_label(ids, lang);
}

std::string money_cell(Decimal amount) {
  return amount.fixed(2);
}

}  // namespace

std::string sheet_name(bool detail, Lang lang) {
  if (detail) return en(lang) ? "detail" : "明细";
  return en(lang) ? "summary" : "汇总";
}

std::vector<SheetColumn> sheet_summary_columns(const RuleSet& rules, Lang lang) {
  bool e = en(lang);
  std::vector<SheetColumn> c = {
      {e ? "Row" : "行号", 7},     {e ? "Line" : "输入行", 7},           {e ? "ID" : "编号", 18},
      {e ? "Name" : "名称", 28},   {e ? "Legal form" : "法律形式", 12},  {e ? "Roles" : "身份", 16},
      {e ? "Region" : "地区", 20}, {e ? "Policy year" : "政策年度", 10}, {e ? "Status" : "状态", 8},
      {e ? "Error" : "错误", 40}};
  for (const Document& d : rules.documents()) c.push_back({d.number, 20});
  c.push_back({e ? "Total of grants" : "资金奖补合计", 18});
  c.push_back({e ? "Total is a minimum" : "合计为下限", 10});
  c.push_back({benefit_header(Benefit::TaxRelief, lang), 16});
  c.push_back({benefit_header(Benefit::FeeReduction, lang), 16});
  return c;
}

std::vector<Cell> sheet_summary_row(const BatchRecord& r, Lang lang) {
  std::vector<Cell> row = summary_row(r);  // the CSV's cells, with words where it has ids
  if (r.ok) {
    row[4].text = form_label(r.form, lang);
    row[5].text = roles_words(r.roles, lang);
    row[6].text = region_label(r.region, lang);
  }
  row[8].text = r.ok ? (en(lang) ? "ok" : "正常") : (en(lang) ? "error" : "出错");
  std::size_t floor = row.size() - 3;
  if (r.ok)
    row[floor].text = r.total_is_floor ? (en(lang) ? "yes" : "是") : (en(lang) ? "no" : "否");
  return row;
}

std::vector<SheetColumn> sheet_detail_columns(Lang lang) {
  bool e = en(lang);
  std::vector<SheetColumn> c = {{e ? "Row" : "行号", 7},       {e ? "ID" : "编号", 18},
                                {e ? "Document" : "文件", 20}, {e ? "Rule" : "规则", 30},
                                {e ? "Article" : "条款", 8},   {e ? "Title" : "政策", 36},
                                {e ? "Benefit" : "类型", 12},  {e ? "Status" : "结果", 16}};
  for (const BenefitInfo& b : kBenefits) c.push_back({benefit_header(b.value, lang), 16});
  c.push_back({e ? "Not counted (not combined)" : "不计入的金额（不重复享受）", 16});
  c.push_back({e ? "Reason" : "说明", 60});
  c.push_back({e ? "Quote" : "原文", 60});
  return c;
}

// Money goes to the column of its benefit kind; an amount lost to a better rule of its stacking
// group to the "not counted" column, so that each money column sums to its total.
std::vector<std::vector<Cell>> sheet_detail_rows(const BatchRecord& r, const RuleSet& rules,
                                                 Lang lang) {
  std::vector<std::vector<Cell>> rows;
  for (std::size_t i = 0; i < r.rules.size(); ++i) {
    const BatchRecord::Line& l = r.rules[i];
    // One column per kBenefits entry, then the amounts not counted.
    std::vector<Cell> money(std::size(kBenefits) + 1);
    std::size_t column = l.status == Status::Excluded
                             ? std::size(kBenefits)
                             : static_cast<std::size_t>(&benefit_info(l.rule->benefit) - kBenefits);
    if (l.has_amount) money[column] = {money_cell(l.amount), true};
    std::vector<Cell> row = {{std::to_string(r.row), true},
                             {r.id},
                             {rules.documents()[l.document].number},
                             {l.rule->id},
                             {l.rule->article},
                             {l.rule->title.in(lang)},
                             {benefit_header(l.rule->benefit, lang)},
                             {status_label(l.status, lang)}};
    row.insert(row.end(), money.begin(), money.end());
    row.push_back({i < r.reasons.size() ? r.reasons[i] : ""});
    row.push_back({l.rule->quote});
    rows.push_back(std::move(row));
  }
  return rows;
}

SheetTotals::SheetTotals(const RuleSet& rules) : documents_(rules.documents().size()) {}

void SheetTotals::Sum::add(Decimal amount) {
  std::optional<Decimal> sum = subsidy::add(total, amount);
  if (!sum) overflow = true;
  total = sum.value_or(total);
}

void SheetTotals::add(const BatchRecord& record) {
  if (!record.ok) return;
  ++profiles_;
  for (std::size_t i = 0; i < documents_.size() && i < record.document_totals.size(); ++i) {
    if (record.document_totals[i]) documents_[i].add(*record.document_totals[i]);
  }
  total_.add(record.total);
  tax_relief_.add(record.tax_relief);
  fee_reduction_.add(record.fee_reduction);
}

std::vector<Cell> SheetTotals::row(Lang lang) const {
  auto cell = [&](const Sum& s) {
    return s.overflow ? Cell{en(lang) ? "overflow" : "溢出"} : Cell{money_cell(s.total), true};
  };
  std::vector<Cell> row(kIdentityColumns);
  row[0].text = en(lang) ? "Total" : "合计";
  row[2].text = en(lang) ? fmt::format("{} profiles scored", profiles_)
                         : fmt::format("已测算 {} 个申请主体", profiles_);
  for (const Sum& d : documents_) row.push_back(cell(d));
  row.push_back(cell(total_));
  row.push_back({});
  row.push_back(cell(tax_relief_));
  row.push_back(cell(fee_reduction_));
  return row;
}

BatchSummary::BatchSummary(const RuleSet& rules)
    : rules_(rules),
      documents_(rules.documents().size()),
      unread_(rules.vocabulary().facts.size()),
      savings_(std::size(kBenefits)) {}

void BatchSummary::Tally::add(Decimal amount) {
  std::optional<Decimal> sum = subsidy::add(total, amount);
  if (!sum) overflow = true;
  total = sum.value_or(total);
}

void BatchSummary::add(const BatchRecord& record) {
  ++profiles_;
  if (!record.ok) {
    ++errors_;
    return;
  }
  total_.add(record.total);
  if (!record.warnings.empty()) ++warned_;
  for (const UnreadFact& u : record.warnings) ++unread_[static_cast<std::size_t>(u.fact)];
  for (const BatchRecord::Line& l : record.rules) {
    if (l.status != Status::Eligible) break;  // the eligible lines come first
    if (!l.rule->grant()) {                   // a relief or reduction: apart, by its kind
      auto k = static_cast<std::size_t>(&benefit_info(l.rule->benefit) - kBenefits);
      ++savings_[k].eligible;
      if (l.has_amount) savings_[k].add(l.amount);
      continue;
    }
    Tally& d = documents_[l.document];
    ++d.eligible;
    if (l.has_amount) d.add(l.amount);
    auto it = std::find_if(categories_.begin(), categories_.end(),
                           [&](const auto& c) { return c.first == l.rule->category; });
    if (it == categories_.end()) {
      categories_.emplace_back(l.rule->category, Tally{});
      it = categories_.end() - 1;
    }
    ++it->second.eligible;
    if (l.has_amount) it->second.add(l.amount);
  }
}

std::string BatchSummary::Tally::text(Lang lang) const {
  if (!overflow) return text::money(total);
  return lang == Lang::En ? "overflow (beyond ¥9,000,000,000,000)"
                          : "溢出（超出 ¥9,000,000,000,000）";
}

// Tax relief and fee reductions, by kind, apart from the grants and labelled as not in the total.
std::string BatchSummary::savings_text(Lang lang) const {
  bool en = lang == Lang::En;
  std::vector<std::vector<std::string>> rows;
  rows.push_back(en ? std::vector<std::string>{"Relief or reduction", "Eligible", "Total"}
                    : std::vector<std::string>{"减免类型", "可享受项数", "金额"});
  for (std::size_t k = 0; k < savings_.size(); ++k) {
    if (savings_[k].eligible == 0) continue;
    rows.push_back({std::string(en ? kBenefits[k].en : kBenefits[k].zh),
                    std::to_string(savings_[k].eligible), savings_[k].text(lang)});
  }
  if (rows.size() == 1) return "";
  std::string out = en ? "Tax relief and fee reductions (not money paid, not in the total):\n"
                       : "税收减免与费用减免（非资金拨付，未计入合计）：\n";
  return out + text::table(rows, {false, true, true}, {30, 12, 24});
}

std::string BatchSummary::render(Lang lang) const {
  bool en = lang == Lang::En;
  std::string out = en ? fmt::format("{} profiles, {} with errors; total of grants {}\n", profiles_,
                                     errors_, total_.text(lang))
                       : fmt::format("共 {} 个申请主体，{} 行出错；资金奖补合计 {}\n", profiles_,
                                     errors_, total_.text(lang));
  std::vector<std::vector<std::string>> rows;
  rows.push_back(en ? std::vector<std::string>{"Document", "Region", "Eligible", "Total"}
                    : std::vector<std::string>{"文件", "地区", "可享受项数", "金额"});
  for (std::size_t i = 0; i < documents_.size(); ++i) {
    rows.push_back({rules_.documents()[i].number,
                    region_label(rules_.documents()[i].region.code, lang),
                    std::to_string(documents_[i].eligible), documents_[i].text(lang)});
  }
  out += text::table(rows, {false, false, true, true}, {30, 30, 12, 24});
  rows.clear();
  rows.push_back(en ? std::vector<std::string>{"Category", "Eligible", "Total"}
                    : std::vector<std::string>{"类别", "可享受项数", "金额"});
  for (const auto& [category, tally] : categories_) {
    rows.push_back(
        {category_label(*category, lang), std::to_string(tally.eligible), tally.text(lang)});
  }
  out += text::table(rows, {false, true, true}, {30, 12, 24});
  out += savings_text(lang);
  if (warned_ == 0) return out;
  out += en ? fmt::format("{} profiles give facts that no rule in force for them reads:\n", warned_)
            : fmt::format("{} 个申请主体提供了对其有效的规则均不读取的事实：\n", warned_);
  rows.clear();
  rows.push_back(en ? std::vector<std::string>{"Fact", "Profiles"}
                    : std::vector<std::string>{"事实", "申请主体数"});
  for (std::size_t f = 0; f < unread_.size(); ++f) {
    if (unread_[f] == 0) continue;
    rows.push_back({rules_.vocabulary().facts[f].name, std::to_string(unread_[f])});
  }
  out += text::table(rows, {false, true}, {40, 12});
  return out;
}

}  // namespace subsidy
