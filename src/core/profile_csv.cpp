#include "core/profile_csv.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "core/json.h"
#include "core/profile_fast.h"
#include "core/region.h"
#include "core/ruleset.h"

namespace subsidy {
namespace {

bool is_year(std::string_view s) {
  return s.size() == 4 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

json::Draft text_value(std::string_view text, json::Type type, int line, int col) {
  json::Draft v;
  v.type = type;
  v.text = text;
  v.line = line;
  v.col = col;
  return v;
}

// A `roles` cell: role ids separated by ';' ("grain_grower;agricultural_producer"), or the JSON
// list text; the profile reader checks the ids.
json::Draft roles_cell(std::string_view cell, const std::string& source, int line, int col,
                       std::vector<Diagnostic>& errors) {
  if (!cell.empty() && cell.front() == '[') {
    Result<json::Tree> parsed = json::parse(cell, source);
    if (parsed.ok()) return json::Draft::of(parsed.value().root());
    for (Diagnostic d : parsed.errors()) {
      d.line = line;
      d.col = col;
      d.path = "/roles";
      errors.push_back(std::move(d));
    }
    return text_value("", json::Type::Array, line, col);
  }
  json::Draft list = text_value("", json::Type::Array, line, col);
  std::size_t start = 0;
  while (start <= cell.size()) {
    std::size_t end = std::min(cell.find(';', start), cell.size());
    std::string id(cell.substr(start, end - start));
    id.erase(0, id.find_first_not_of(" \t"));
    id.erase(id.find_last_not_of(" \t") + 1);
    if (!id.empty()) list.items.push_back(text_value(id, json::Type::String, line, col));
    start = end + 1;
  }
  return list;
}

// A cell as the JSON value its fact expects: booleans and numbers keep their text, so that the
// profile reader checks them exactly as it checks JSON.
json::Draft cell_value(std::string_view cell, const FactDecl* decl, int line, int col) {
  if (decl && decl->type == FactType::Bool) {
    // Spreadsheets write TRUE/FALSE (any case); Chinese forms write 是/否.
    std::string lower(cell);
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    bool yes = lower == "true" || cell == "是", no = lower == "false" || cell == "否";
    if (yes || no) {
      json::Draft v = text_value("", json::Type::Bool, line, col);
      v.boolean = yes;
      return v;
    }
  }
  return text_value(cell, json::Type::String, line, col);
}

// A list given whole as JSON text in one cell; its parse errors are located at the cell.
void list_cell(const std::string& fact, std::string_view cell, int line, int col,
               const std::string& source, json::Draft& facts, std::vector<Diagnostic>& errors) {
  Result<json::Tree> parsed = json::parse(cell, source);
  if (!parsed.ok()) {
    for (Diagnostic d : parsed.errors()) {
      d.line = line;
      d.col = col;
      d.path = "/facts/" + fact;
      errors.push_back(std::move(d));
    }
    return;
  }
  facts.member(fact, line, col) = json::Draft::of(parsed.value().root());
}

}  // namespace

int CsvProfileLayout::id_column() const {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].kind == Column::Kind::Id) return static_cast<int>(i);
  }
  return -1;
}

std::optional<CsvProfileLayout::Column::Kind> CsvProfileLayout::own_key(std::string_view name) {
  for (Column::Kind k :
       {Column::Kind::Id, Column::Kind::Name, Column::Kind::OldKind, Column::Kind::Form,
        Column::Kind::Roles, Column::Kind::Region, Column::Kind::PolicyYear}) {
    if (own_name(k) == name) return k;
  }
  return std::nullopt;
}

std::string_view CsvProfileLayout::own_name(Column::Kind kind) {
  switch (kind) {
    case Column::Kind::Id:
      return "id";
    case Column::Kind::Name:
      return "name";
    case Column::Kind::OldKind:
      return "kind";
    case Column::Kind::Form:
      return "form";
    case Column::Kind::Roles:
      return "roles";
    case Column::Kind::Region:
      return "region";
    case Column::Kind::PolicyYear:
      return "policy_year";
    default:
      return "";
  }
}

namespace {

// A header cell's column name: what precedes " (" when the cell ends in ")". The questionnaire's
// CSV template writes a column's choices there ("certifications[0].type (high_tech_enterprise=…)");
// no column name has a space, so nothing else is cut.
std::string column_name(const std::string& cell) {
  std::size_t open = cell.find(" (");
  if (open == std::string::npos || cell.empty() || cell.back() != ')') return cell;
  return cell.substr(0, open);
}

}  // namespace

std::optional<CsvProfileLayout::Column> CsvProfileLayout::column_of(const std::string& name,
                                                                    const Vocabulary& vocabulary,
                                                                    std::set<std::string>& seen,
                                                                    Problem& problem) {
  auto refuse = [&](Message message, std::string code) {
    problem = Problem{std::move(message), std::move(code)};
    return std::nullopt;
  };
  Column c;
  if (!seen.insert(name).second) {
    return refuse(msg("column \"{}\" appears twice", "列 \"{}\" 出现了两次", name),
                  "duplicate-column");
  }
  if (std::optional<Column::Kind> own = own_key(name)) {
    c.kind = *own;
    return c;
  }
  std::string path = name, year;
  if (std::size_t at = name.rfind('@'); at != std::string::npos) {
    path = name.substr(0, at);
    year = name.substr(at + 1);
    if (!is_year(year)) {
      return refuse(msg("\"{}\": expected FACT@YEAR with a four-digit year",
                        "\"{}\"：应为 事实@年份，年份为四位数字", name),
                    "bad-column");
    }
  }
  std::size_t bracket = path.find('[');
  std::string fact_name = path.substr(0, bracket);
  int index = vocabulary.index_of(fact_name);
  if (index < 0) {
    auto [message, code] = unknown_fact(vocabulary, fact_name);
    return refuse(std::move(message), code);
  }
  const FactDecl& decl = vocabulary.facts[static_cast<std::size_t>(index)];
  c.fact = fact_name;
  c.decl = index;
  c.year = year;
  c.year_number = year.empty() ? 0 : std::stoi(year);  // four digits, checked above
  if (bracket != std::string::npos) return list_field_of(name, path, decl, c, seen, problem);
  if (decl.type == FactType::List) {
    if (!year.empty()) {
      return refuse(msg("\"{}\" is a list: no @year", "\"{}\" 是列表：不能带 @年份", fact_name),
                    "bad-column");
    }
    c.kind = Column::Kind::ListJson;
  } else if (decl.per_year != !year.empty()) {
    return refuse(decl.per_year ? msg("\"{0}\" is per year: name the column {0}@YEAR",
                                      "\"{0}\" 按年份取值：列名应为 {0}@年份", fact_name)
                                : msg("\"{}\" is not per year: drop the @{}",
                                      "\"{}\" 不按年份取值：去掉 @{}", fact_name, year),
                  "bad-column");
  } else {
    c.kind = year.empty() ? Column::Kind::Fact : Column::Kind::FactYear;
  }
  return c;
}

std::optional<CsvProfileLayout::Column> CsvProfileLayout::list_field_of(
    const std::string& name, const std::string& path, const FactDecl& decl, Column c,
    std::set<std::string>& seen, Problem& problem) {
  auto refuse = [&](Message message, std::string code) {
    problem = Problem{std::move(message), std::move(code)};
    return std::nullopt;
  };
  std::size_t bracket = path.find('[');
  std::size_t close = path.find("].", bracket);
  std::string digits =
      close == std::string::npos ? "" : path.substr(bracket + 1, close - bracket - 1);
  if (decl.type != FactType::List || digits.empty() || digits.size() > 4 ||
      !std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return refuse(msg("\"{}\": expected LIST[N].FIELD for a list fact",
                      "\"{}\"：列表事实的列名应为 列表[N].字段", name),
                  "bad-column");
  }
  c.kind = Column::Kind::ListField;
  c.item = std::stoi(digits);
  // certifications[0].type and certifications[00].type name the same cell: refused once.
  std::string canonical = fmt::format("{}[{}].{}{}{}", c.fact, c.item, path.substr(close + 2),
                                      c.year.empty() ? "" : "@", c.year);
  if (canonical != name && !seen.insert(canonical).second) {
    return refuse(msg("column \"{}\" names the same cell as \"{}\"",
                      "列 \"{}\" 与 \"{}\" 指向同一个单元", name, canonical),
                  "duplicate-column");
  }
  c.field = path.substr(close + 2);
  int field = decl.field_index(c.field);
  if (field < 0) {
    return refuse(
        msg("list \"{}\" has no field \"{}\"", "列表 \"{}\" 没有字段 \"{}\"", c.fact, c.field),
        "unknown-fact");
  }
  if (decl.fields[static_cast<std::size_t>(field)].per_year != !c.year.empty()) {
    return refuse(
        decl.fields[static_cast<std::size_t>(field)].per_year
            ? msg("\"{}\": the field {} is per year", "\"{}\"：字段 {} 按年份取值", name, c.field)
            : msg("\"{}\": the field {} is not per year", "\"{}\"：字段 {} 不按年份取值", name,
                  c.field),
        "bad-column");
  }
  return c;
}

Result<CsvProfileLayout> CsvProfileLayout::from_header(const csv::Record& header,
                                                       const std::string& source,
                                                       const Vocabulary& vocabulary) {
  CsvProfileLayout layout;
  std::vector<Diagnostic> errors;
  std::set<std::string> seen;
  std::size_t omitted = 0;  // a million bad columns must not become a million messages
  auto error = [&](std::size_t i, Message message, std::string code) {
    if (errors.size() >= kMaxDiagnosticsPerFile) {
      ++omitted;
      return;
    }
    errors.push_back(Diagnostic{source, header.line, static_cast<int>(i) + 1,
                                fmt::format("header column {}", i + 1), std::move(message),
                                std::move(code)});
  };
  if (!header.error.empty()) {
    error(0, msg("malformed header: {0}", "表头格式错误：{1}", header.error.en, header.error.zh),
          "csv-syntax");
    return errors;  // its cells (UTF-16, a wrong encoding) would only add noise
  }
  for (std::size_t i = 0; i < header.size(); ++i) {
    Problem problem;
    std::optional<Column> c =
        column_of(column_name(std::string(header[i])), vocabulary, seen, problem);
    if (c) {
      layout.columns_.push_back(*c);
    } else {
      error(i, std::move(problem.message), std::move(problem.code));
    }
  }
  // Checked once here rather than as the same error on every row.
  std::vector<std::string> missing;
  for (const char* required : {"form", "region", "policy_year"}) {
    // An old `kind` column is refused on each row, with what to write for its value.
    bool replaced = std::string_view(required) == "form" && seen.count("kind");
    if (!seen.count(required) && !replaced) missing.push_back(required);
  }
  if (!missing.empty()) {
    errors.push_back(Diagnostic{source, header.line, 1, "header",
                                msg("missing required column(s): {}", "缺少必需的列：{}",
                                    fmt::format("{}", fmt::join(missing, ", "))),
                                "missing-column"});
  }
  if (omitted > 0) errors.push_back(more_problems(source, omitted));
  if (!errors.empty()) return errors;
  std::set<int> facts;
  for (const Column& c : layout.columns_) {
    if (c.decl >= 0) facts.insert(c.decl);
  }
  layout.facts_ = facts.size();
  layout.plan_fast(vocabulary);
  return layout;
}

void CsvProfileLayout::plan_fast(const Vocabulary& vocabulary) {
  std::map<std::string, std::map<int, std::vector<std::pair<std::size_t, int>>>> lists;
  std::set<int> slots;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    const Column& c = columns_[i];
    if (c.decl >= 0) slots.insert(c.decl);
    if (c.kind != Column::Kind::ListField) continue;
    const FactDecl& decl = vocabulary.facts[static_cast<std::size_t>(c.decl)];
    int field = decl.field_index(c.field);
    const FactDecl& field_decl = decl.fields[static_cast<std::size_t>(field)];
    if (field_decl.per_year || field_decl.type == FactType::List) fast_ = false;
    lists[c.fact][c.item].emplace_back(i, field);
  }
  fact_slots_.assign(slots.begin(), slots.end());
  for (auto& [name, items] : lists) {
    ListPlan plan;
    plan.decl = vocabulary.index_of(name);
    for (auto& [index, cells] : items) plan.items.push_back(std::move(cells));
    lists_.push_back(std::move(plan));
  }
}

namespace {

bool ascii_iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == y;
         });
}

// A cell as read_profile reads what cell_value makes of it; false where it would refuse it.
bool cell_scalar(const FactDecl& decl, std::string_view cell, Scalar& out) {
  switch (decl.type) {
    case FactType::Bool: {
      bool yes = ascii_iequals(cell, "true") || cell == "是";
      bool no = ascii_iequals(cell, "false") || cell == "否";
      if (!yes && !no) return false;
      out = yes;
      return true;
    }
    case FactType::Number: {
      std::optional<Decimal> d = read_decimal(cell);
      if (!d || !number_allowed(decl, *d)) return false;
      out = *d;
      return true;
    }
    case FactType::Enum:
      if (std::find(decl.values.begin(), decl.values.end(), cell) == decl.values.end())
        return false;
      out = std::string(cell);
      return true;
    case FactType::List:
      break;
  }
  return false;
}

// A `roles` cell of ids separated by ';', as roles_cell and read_profile read it.
bool fast_roles(std::string_view cell, Profile& p) {
  if (cell.front() == '[') return false;  // JSON: left to read()
  if (!p.roles) p.roles.emplace();
  std::size_t start = 0;
  while (start <= cell.size()) {
    std::size_t end = std::min(cell.find(';', start), cell.size());
    std::string_view id = cell.substr(start, end - start);
    while (!id.empty() && (id.front() == ' ' || id.front() == '\t')) id.remove_prefix(1);
    while (!id.empty() && (id.back() == ' ' || id.back() == '\t')) id.remove_suffix(1);
    if (!id.empty()) {
      unsigned bit = role_bit(id);
      if (bit == 0 || (p.role_mask & bit) != 0) return false;  // unknown, or listed twice
      p.role_mask |= bit;
      p.roles->emplace_back(id);
    }
    start = end + 1;
  }
  return true;
}

}  // namespace

bool CsvProfileLayout::fast_cell(const Column& c, std::string_view cell, int line, int col,
                                 const Vocabulary& vocabulary, Profile& p) const {
  switch (c.kind) {
    case Column::Kind::Id:
      p.id.assign(cell);
      return true;
    case Column::Kind::Name:
      p.name.assign(cell);
      return true;
    case Column::Kind::Form:
      p.form.assign(cell);
      return form_bit(cell) != 0;
    case Column::Kind::Region:
      p.region.assign(cell);
      return is_region_code(cell);
    case Column::Kind::Roles:
      return fast_roles(cell, p);
    case Column::Kind::PolicyYear: {
      // As put_cell (digits and dots are a number, anything else text) and Reader::integer.
      if (!std::all_of(cell.begin(), cell.end(),
                       [](char ch) { return (ch >= '0' && ch <= '9') || ch == '.'; }))
        return false;
      std::optional<Decimal> year = read_decimal(cell);
      if (!year || year->units() % Decimal::kOne != 0) return false;
      if (year->whole() < 1990 || year->whole() > 2100) return false;
      p.policy_year = static_cast<int>(year->whole());
      return true;
    }
    case Column::Kind::Fact:
    case Column::Kind::FactYear: {
      const FactDecl& decl = vocabulary.facts[static_cast<std::size_t>(c.decl)];
      FactValue& fact = p.facts[static_cast<std::size_t>(c.decl)];
      if (!fact.present) p.given.push_back(GivenFact{c.decl, line, col});  // its first cell
      fact.present = true;
      if (c.kind == Column::Kind::Fact) return cell_scalar(decl, cell, fact.scalar);
      int year = c.year_number;
      fact.years.emplace_back(year, Decimal());
      if (!cell_scalar(decl, cell, fact.years.back().second)) return false;
      // Kept sorted by year, as read_profile sorts them (the header refuses a year twice).
      std::rotate(std::upper_bound(fact.years.begin(), fact.years.end() - 1, year,
                                   [](int y, const auto& e) { return y < e.first; }),
                  fact.years.end() - 1, fact.years.end());
      return true;
    }
    case Column::Kind::ListJson: {
      // Only the empty list ("[]", what a spreadsheet export writes for none); any other JSON is
      // left to read(). Items given cell by cell are added to it (fast_lists), as read() does.
      if (cell != "[]") return false;
      FactValue& fact = p.facts[static_cast<std::size_t>(c.decl)];
      p.given.push_back(GivenFact{c.decl, line, col});
      fact.present = true;
      return true;
    }
    case Column::Kind::OldKind:
    case Column::Kind::ListField:
      break;
  }
  return false;
}

// The lists given cell by cell, after every other fact (as read() adds them), in name order; an
// item is there when one of its cells is not empty, items in the order of their indexes.
bool CsvProfileLayout::fast_lists(const csv::Record& row, const Vocabulary& vocabulary,
                                  Profile& p) const {
  for (const ListPlan& list : lists_) {
    const FactDecl& decl = vocabulary.facts[static_cast<std::size_t>(list.decl)];
    FactValue& fact = p.facts[static_cast<std::size_t>(list.decl)];
    for (const auto& cells : list.items) {
      if (std::all_of(cells.begin(), cells.end(),
                      [&](const auto& cell) { return row[cell.first].empty(); }))
        continue;
      if (!fact.present) p.given.push_back(GivenFact{list.decl, row.line, 1});
      fact.present = true;
      Item& item = fact.items.emplace_back();
      item.fields.resize(decl.fields.size());
      for (const auto& [column, field] : cells) {
        std::string_view cell = row[column];
        if (cell.empty()) continue;
        FactValue& value = item.fields[static_cast<std::size_t>(field)];
        value.present = true;
        if (!cell_scalar(decl.fields[static_cast<std::size_t>(field)], cell, value.scalar))
          return false;
      }
    }
  }
  return true;
}

bool CsvProfileLayout::read_fast(const csv::Record& row, const std::string& source,
                                 const Vocabulary& vocabulary, Profile& p) const {
  if (!fast_ || !row.error.empty() || row.size() != columns_.size()) return false;
  if (p.facts.size() != vocabulary.facts.size()) {
    p.facts.assign(vocabulary.facts.size(), FactValue{});
  } else {
    for (int slot : fact_slots_) {  // cleared in place: their storage serves the next row
      FactValue& fact = p.facts[static_cast<std::size_t>(slot)];
      fact.present = false;
      fact.scalar = Decimal();
      fact.years.clear();
      fact.items.clear();
    }
  }
  p.id.clear();
  p.name.clear();
  p.form.clear();
  p.region.clear();
  p.policy_year = 0;
  p.roles.reset();
  p.role_mask = 0;
  p.given.clear();
  bool form = false, region = false, year = false;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    std::string_view cell = row[i];
    const Column& c = columns_[i];
    if (cell.empty() || c.kind == Column::Kind::ListField) continue;
    if (!fast_cell(c, cell, row.line, static_cast<int>(i) + 1, vocabulary, p)) return false;
    form |= c.kind == Column::Kind::Form;
    region |= c.kind == Column::Kind::Region;
    year |= c.kind == Column::Kind::PolicyYear;
  }
  if (!form || !region || !year || !fast_lists(row, vocabulary, p)) return false;
  if (p.source != source) p.source = source;
  return true;
}

void CsvProfileLayout::put_cell(const Column& c, std::string_view cell, int line, int col,
                                const std::string& source, const Vocabulary& vocabulary,
                                RowDraft& row) const {
  auto put = [&](const char* key, json::Draft v) {
    row.root.members.push_back({key, line, col, std::move(v)});
  };
  const FactDecl* decl = c.decl < 0 ? nullptr : &vocabulary.facts[static_cast<std::size_t>(c.decl)];
  switch (c.kind) {
    case Column::Kind::Id:
    case Column::Kind::Name:
    case Column::Kind::OldKind:
    case Column::Kind::Form:
    case Column::Kind::Region:
      // own_name's keys are literals, so .data() ends the key.
      put(own_name(c.kind).data(), text_value(cell, json::Type::String, line, col));
      break;
    case Column::Kind::Roles:
      put("roles", roles_cell(cell, source, line, col, row.errors));
      break;
    case Column::Kind::PolicyYear: {
      bool numeric = std::all_of(cell.begin(), cell.end(),
                                 [](char ch) { return (ch >= '0' && ch <= '9') || ch == '.'; });
      put("policy_year",
          text_value(cell, numeric ? json::Type::Number : json::Type::String, line, col));
      break;
    }
    case Column::Kind::Fact:
      row.facts.member(c.fact, line, col) = cell_value(cell, decl, line, col);
      break;
    case Column::Kind::FactYear:
      row.facts.member(c.fact, line, col).member(c.year, line, col) =
          cell_value(cell, decl, line, col);
      break;
    case Column::Kind::ListJson:
      list_cell(c.fact, cell, line, col, source, row.facts, row.errors);
      break;
    case Column::Kind::ListField: {
      json::Draft& item = row.items[c.fact][c.item];
      item.type = json::Type::Object;
      item.line = line;
      item.col = col;
      const FactDecl& field = decl->fields[static_cast<std::size_t>(decl->field_index(c.field))];
      json::Draft v = cell_value(cell, &field, line, col);
      json::Draft& at = item.member(c.field, line, col);
      (c.year.empty() ? at : at.member(c.year, line, col)) = std::move(v);
      break;
    }
  }
}

Result<Profile> CsvProfileLayout::read(const csv::Record& row, const std::string& source,
                                       const Vocabulary& vocabulary) const {
  if (!row.error.empty()) {
    return std::vector<Diagnostic>{Diagnostic{source, row.line, 1, "", row.error, "csv-syntax"}};
  }
  if (row.size() != columns_.size()) {
    return std::vector<Diagnostic>{
        Diagnostic{source, row.line, 1, "",
                   msg("the row has {} cells, the header {} columns",
                       "该行有 {} 个单元格，表头有 {} 列", row.size(), columns_.size()),
                   "csv-ragged"}};
  }
  RowDraft draft;
  draft.root = text_value("", json::Type::Object, row.line, 1);
  draft.facts = text_value("", json::Type::Object, row.line, 1);
  draft.facts.members.reserve(facts_);  // one member per fact at most: no growth while filling
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    std::string_view cell = row[i];
    if (cell.empty()) continue;  // an empty cell is an unknown fact, never zero
    put_cell(columns_[i], cell, row.line, static_cast<int>(i) + 1, source, vocabulary, draft);
  }
  for (auto& [list, by_index] : draft.items) {
    json::Draft& array = draft.facts.member(list, row.line, 1);
    if (array.type == json::Type::Object && array.members.empty()) {
      array.type = json::Type::Array;
    } else if (array.type != json::Type::Array) {
      continue;  // also given as a JSON cell: that cell wins
    }
    for (auto& [index, item] : by_index) array.items.push_back(std::move(item));
  }
  draft.root.members.push_back({"facts", row.line, 1, std::move(draft.facts)});
  json::Tree tree = draft.root.freeze();
  Profile p = read_profile(tree.root(), source, vocabulary, draft.errors);
  if (has_errors(draft.errors)) return draft.errors;
  return p;
}

}  // namespace subsidy
