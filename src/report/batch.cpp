#include "report/batch.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/csv.h"
#include "report/render.h"
#include "report/text.h"

namespace subsidy {
namespace {

bool has_amount(const RuleResult& r) {
  return (r.status == Status::Eligible || r.status == Status::Excluded) &&
         (r.rule->kind == AmountKind::Exact || r.rule->kind == AmountKind::Floor);
}

}  // namespace

BatchRecord make_record(std::size_t row, int line, const RuleSet& rules, const Report& report,
                        std::string_view lang) {
  BatchRecord r;
  r.row = row;
  r.line = line;
  r.ok = !report.overflow;
  if (report.overflow) {
    r.error = lang == "en" ? "arithmetic overflow in a total" : "合计时算术溢出";
  }
  const Profile& p = *report.profile;
  r.id = p.id;
  r.name = p.name;
  r.kind = p.kind;
  r.region = p.region;
  r.policy_year = p.policy_year;
  r.document_totals.resize(rules.documents.size());
  r.total = report.total;
  r.total_is_floor = report.total_is_floor;
  r.tax_relief = report.tax_relief;
  for (const DocumentResult& d : report.documents) {
    std::size_t index = static_cast<std::size_t>(d.document - rules.documents.data());
    if (d.in_force) r.document_totals[index] = d.total;
    for (const RuleResult& rr : d.rules) {
      if (rr.status == Status::NotApplicable) continue;
      r.rules.push_back(
          BatchRecord::Line{index, rr.rule, rr.status,
                            has_amount(rr) ? std::optional<Decimal>(rr.amount) : std::nullopt});
    }
  }
  return r;
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

// A JSON string for text from the input (ids, messages): escaped by nlohmann, invalid UTF-8
// replaced, so a record is always valid JSON.
std::string json_text(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Written by hand rather than through a JSON DOM: this line is the hot path of `batch`, and every
// text in it other than the id and the error is a rule id, status or document number from the
// checked rule files ([a-z0-9-] ids, no characters that need escaping).
std::string batch_jsonl(const BatchRecord& record, const RuleSet& rules) {
  std::string out;
  out.reserve(128 + record.rules.size() * 48);
  out += "{\"row\":" + std::to_string(record.row) + ",\"line\":" + std::to_string(record.line) +
         ",\"id\":" + json_text(record.id);
  if (!record.ok) return out + ",\"status\":\"error\",\"error\":" + json_text(record.error) + "}\n";
  out += ",\"status\":\"ok\",\"region\":" + json_text(record.region) +
         ",\"policy_year\":" + std::to_string(record.policy_year) + ",\"total\":\"" +
         record.total.fixed(2) +
         "\",\"total_is_floor\":" + (record.total_is_floor ? "true" : "false") +
         ",\"tax_relief\":\"" + record.tax_relief.fixed(2) + "\",\"documents\":{";
  bool first = true;
  for (std::size_t i = 0; i < record.document_totals.size(); ++i) {
    if (!record.document_totals[i]) continue;
    out += (first ? "" : ",") + json_text(rules.documents[i].number) + ":\"" +
           record.document_totals[i]->fixed(2) + "\"";
    first = false;
  }
  out += "},\"rules\":[";
  for (std::size_t k = 0; k < record.rules.size(); ++k) {
    const BatchRecord::Line& l = record.rules[k];
    out += (k ? ",{\"id\":\"" : "{\"id\":\"") + l.rule->id + "\",\"status\":\"" +
           std::string(status_name(l.status)) + "\"";
    if (l.amount) out += ",\"amount\":\"" + l.amount->fixed(2) + "\"";
    out += "}";
  }
  return out + "]}\n";
}

std::vector<Cell> summary_header(const RuleSet& rules) {
  std::vector<Cell> h = {{"row"},    {"line"},        {"id"},     {"name"}, {"kind"},
                         {"region"}, {"policy_year"}, {"status"}, {"error"}};
  for (const Document& d : rules.documents) h.push_back({d.number});
  h.push_back({"total"});
  h.push_back({"total_is_floor"});
  h.push_back({"tax_relief"});
  return h;
}

std::vector<Cell> summary_row(const BatchRecord& r) {
  std::vector<Cell> row = {{std::to_string(r.row), true},
                           {std::to_string(r.line), true},
                           {r.id},
                           {r.name},
                           {r.kind},
                           {r.region},
                           {r.ok ? std::to_string(r.policy_year) : "", r.ok},
                           {r.ok ? "ok" : "error"},
                           {r.error}};
  for (const std::optional<Decimal>& t : r.document_totals)
    row.push_back({t ? t->fixed(2) : "", t.has_value()});
  if (!r.ok) {
    // An error row keeps the header's width, its money columns empty.
    row.insert(row.end(), 3, Cell{});
    return row;
  }
  row.push_back({r.total.fixed(2), true});
  row.push_back({r.total_is_floor ? "true" : "false"});
  row.push_back({r.tax_relief.fixed(2), true});
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
  for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + csv::field(cells[i].text);
  return out + "\n";
}

std::vector<Cell> detail_header() {
  return {{"row"},   {"id"},     {"document"}, {"rule"}, {"article"},
          {"title"}, {"status"}, {"amount"},   {"quote"}};
}

std::vector<std::vector<Cell>> detail_rows(const BatchRecord& r, const RuleSet& rules) {
  std::vector<std::vector<Cell>> rows;
  for (const BatchRecord::Line& l : r.rules) {
    rows.push_back({{std::to_string(r.row), true},
                    {r.id},
                    {rules.documents[l.document].number},
                    {l.rule->id},
                    {l.rule->article},
                    {l.rule->title.zh},
                    {std::string(status_name(l.status))},
                    {l.amount ? l.amount->fixed(2) : "", l.amount.has_value()},
                    {l.rule->quote}});
  }
  return rows;
}

BatchSummary::BatchSummary(const RuleSet& rules)
    : rules_(rules), documents_(rules.documents.size()) {}

void BatchSummary::add(const BatchRecord& record) {
  ++profiles_;
  if (!record.ok) {
    ++errors_;
    return;
  }
  total_ = subsidy::add(total_, record.total).value_or(total_);
  for (const BatchRecord::Line& l : record.rules) {
    if (l.status != Status::Eligible) continue;
    Tally& d = documents_[l.document];
    ++d.eligible;
    if (l.amount && l.rule->category != "tax")
      d.total = subsidy::add(d.total, *l.amount).value_or(d.total);
    auto it = std::find_if(categories_.begin(), categories_.end(),
                           [&](const auto& c) { return c.first == l.rule->category; });
    if (it == categories_.end()) {
      categories_.emplace_back(l.rule->category, Tally{});
      it = categories_.end() - 1;
    }
    ++it->second.eligible;
    if (l.amount)
      it->second.total = subsidy::add(it->second.total, *l.amount).value_or(it->second.total);
  }
}

std::string BatchSummary::render(std::string_view lang) const {
  bool en = lang == "en";
  std::string out = en ? fmt::format("{} profiles, {} with errors; total {}\n", profiles_, errors_,
                                     text::money(total_))
                       : fmt::format("共 {} 个申请主体，{} 行出错；合计 {}\n", profiles_, errors_,
                                     text::money(total_));
  std::vector<std::vector<std::string>> rows;
  rows.push_back(en ? std::vector<std::string>{"Document", "Eligible", "Total"}
                    : std::vector<std::string>{"文件", "可享受项数", "金额"});
  for (std::size_t i = 0; i < documents_.size(); ++i) {
    rows.push_back({rules_.documents[i].number, std::to_string(documents_[i].eligible),
                    text::money(documents_[i].total)});
  }
  out += text::table(rows, {false, true, true}, {30, 12, 24});
  rows.clear();
  rows.push_back(en ? std::vector<std::string>{"Category", "Eligible", "Total"}
                    : std::vector<std::string>{"类别", "可享受项数", "金额"});
  for (const auto& [category, tally] : categories_) {
    rows.push_back(
        {category_label(category, lang), std::to_string(tally.eligible), text::money(tally.total)});
  }
  out += text::table(rows, {false, true, true}, {30, 12, 24});
  return out;
}

}  // namespace subsidy
