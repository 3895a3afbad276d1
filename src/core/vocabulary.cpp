#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/ruleset.h"

namespace subsidy {
namespace {

// "labels": {"value": {"zh": "...", "en": "..."}}, read into a vector indexed like `values`. A
// label for a value not in `values` is an error; a value without a label stays unlabelled (the
// catalogue test, tests/loader_test.cpp, requires a label for every value of the shipped rules).
std::vector<Text> read_labels(const json::Value& v, const std::string& path,
                              const std::vector<std::string>& values, Reader& r) {
  std::vector<Text> out(values.size());
  const json::Value* labels = v.find("labels");
  std::string lp = child_path(path, "labels");
  if (!labels || !r.expect(*labels, lp, json::Type::Object)) return out;
  for (const json::Member& m : labels->members()) {
    std::string mp = child_path(lp, m.key());
    auto it = std::find(values.begin(), values.end(), m.key());
    if (it == values.end()) {
      r.error(m.value, mp,
              msg("label for \"{}\", which is not one of the values",
                  "\"{}\" 有名称，但不是可选的取值之一", m.key()),
              "bad-value");
      continue;
    }
    if (!r.object(m.value, mp, {"zh", "en"})) continue;
    Text& t = out[static_cast<std::size_t>(it - values.begin())];
    t.zh = r.string(m.value, "zh", mp).value_or("");
    t.en = r.string(m.value, "en", mp).value_or("");
  }
  return out;
}

// The keys of a table joined as a person lists them: "a, b, c or d" ("a、b、c 或 d").
template <class Table>
std::string or_list(const Table& table, std::string_view last_sep, std::string_view sep = ", ") {
  std::string out;
  for (std::size_t i = 0; i < std::size(table); ++i) {
    if (i > 0) out += i + 1 == std::size(table) ? last_sep : sep;
    out += table[i].key;
  }
  return out;
}

// A number's "unit", one of kUnits (required).
Unit read_unit(const json::Value& v, const std::string& path, Reader& r) {
  std::optional<std::string> unit = r.string(v, "unit", path, true);
  if (!unit) return Unit::None;
  const UnitInfo* info = unit_info(*unit);
  if (!info) {
    r.error(*v.find("unit"), child_path(path, "unit"),
            msg("unknown unit \"{}\"", "未知的单位 \"{}\"", *unit), "bad-value");
    return Unit::None;
  }
  return info->unit;
}

FactDecl read_fact(const json::Value& v, const std::string& path, Reader& r, bool is_field);

// A list's "fields": facts of one item, none of them a list.
void read_fields(const json::Value& v, const std::string& path, bool is_field, FactDecl& f,
                 Reader& r) {
  if (is_field)
    r.error(v, path, {"a list item cannot contain another list", "列表项中不能再含列表"},
            "bad-value");
  const json::Value* fields = v.find("fields");
  if (!fields) {
    r.error(v, path, {"a list fact needs \"fields\"", "列表事实需要 \"fields\""}, "missing-key");
    return;
  }
  std::string fp = child_path(path, "fields");
  if (!r.expect(*fields, fp, json::Type::Array)) return;
  for (std::size_t i = 0; i < fields->items().size(); ++i) {
    f.fields.push_back(read_fact(fields->items()[i], child_path(fp, i), r, true));
  }
}

FactDecl read_fact(const json::Value& v, const std::string& path, Reader& r, bool is_field) {
  FactDecl f;
  if (!r.object(v, path, {"name", "type", "zh", "en"},
                {"unit", "per_year", "values", "labels", "fields", "example"})) {
    if (!v.is_object()) return f;
  }
  f.name = r.string(v, "name", path).value_or("");
  f.zh = r.string(v, "zh", path).value_or("");
  f.en = r.string(v, "en", path).value_or("");
  if (const json::Value* ex = v.find("example")) {
    f.example = ex->is_string() || ex->is_number() ? ex->text() : "";
  }
  f.per_year = r.boolean(v, "per_year", path, false).value_or(false);
  std::string type = r.string(v, "type", path).value_or("");
  const FactTypeInfo* info = fact_type_info(type);
  if (!info) {
    if (!type.empty()) {
      r.error(*v.find("type"), child_path(path, "type"),
              msg("unknown fact type \"{}\" ({})", "未知的事实类型 \"{}\"（{}）", type,
                  or_list(kFactTypes, " or "), or_list(kFactTypes, " 或 ", "、")),
              "bad-value");
    }
    return f;
  }
  f.type = info->type;
  switch (f.type) {
    case FactType::Number:
      f.unit = read_unit(v, path, r);
      break;
    case FactType::Bool:
      break;
    case FactType::Enum:
      f.values = r.strings(v, "values", path);
      f.labels = read_labels(v, path, f.values, r);
      break;
    case FactType::List:
      read_fields(v, path, is_field, f, r);
      break;
  }
  return f;
}

}  // namespace

int FactDecl::field_index(std::string_view field) const {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field) return static_cast<int>(i);
  }
  return -1;
}

int FactDecl::value_index(std::string_view text) const {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
  };
  std::string wanted = lower(text);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const Text& t = label(i);
    if (values[i] == text || (!t.zh.empty() && t.zh == text) ||
        (!t.en.empty() && lower(t.en) == wanted))
      return static_cast<int>(i);
  }
  return -1;
}

const Text& FactDecl::label(std::size_t value) const {
  static const Text kNone;
  return value < labels.size() ? labels[value] : kNone;
}

namespace {

template <std::size_t N>
unsigned bit_of(const ApplicantTerm (&table)[N], std::string_view id) {
  for (std::size_t i = 0; i < N; ++i) {
    if (table[i].id == id) return 1u << i;
  }
  return 0;
}

}  // namespace

unsigned form_bit(std::string_view form) {
  return bit_of(kLegalForms, form);
}

unsigned role_bit(std::string_view role) {
  return bit_of(kRoles, role);
}

const ApplicantTerm* legal_form(std::string_view id) {
  return find_by_key(kLegalForms, &ApplicantTerm::id, id);
}

const ApplicantTerm* role_term(std::string_view id) {
  return find_by_key(kRoles, &ApplicantTerm::id, id);
}

const FactDecl& fact_decl_of(const Vocabulary& vocabulary, int fact) {
  static const FactDecl kRolesDecl = [] {
    FactDecl d;
    d.name = "roles";
    d.type = FactType::Enum;
    for (const ApplicantTerm& t : kRoles) {
      d.values.emplace_back(t.id);
      d.labels.push_back(Text{std::string(t.zh), std::string(t.en)});
    }
    d.zh = "申请主体身份";
    d.en = "roles held";
    d.example = "[\"grain_grower\"]";
    return d;
  }();
  if (fact == kRolesFact) return kRolesDecl;
  return vocabulary.facts[static_cast<std::size_t>(fact)];
}

const PayerInfo* payer_info(std::string_view id) {
  return find_by_key(kPayers, &PayerInfo::id, id);
}

static_assert(in_enum_order(kBenefits, &BenefitInfo::value), "kBenefits is indexed by Benefit");

const BenefitInfo& benefit_info(Benefit benefit) {
  return kBenefits[static_cast<std::size_t>(benefit)];
}

void Vocabulary::index() {
  by_name_.clear();
  for (std::size_t i = 0; i < facts.size(); ++i)
    by_name_.emplace(facts[i].name, static_cast<int>(i));
}

int Vocabulary::index_of(std::string_view name) const {
  if (by_name_.size() == facts.size() && !facts.empty()) {
    auto it = by_name_.find(std::string(name));
    return it == by_name_.end() ? -1 : it->second;
  }
  for (std::size_t i = 0; i < facts.size(); ++i) {
    if (facts[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

const ReplacedFact* Vocabulary::replacement(std::string_view name) const {
  for (const ReplacedFact& x : replaced) {
    if (x.name == name) return &x;
  }
  return nullptr;
}

std::pair<Message, std::string> unknown_fact(const Vocabulary& vocabulary, std::string_view name) {
  if (const ReplacedFact* x = vocabulary.replacement(name)) {
    return {msg("fact \"{}\" was replaced by \"{}\": write that fact instead (one item per "
                "project, deal or person where the text pays per item; see docs/facts.md)",
                "事实 \"{}\" 已由 \"{}\" 取代：请改填该事实（原文按项目、合同或人才逐项给付的，"
                "每项一条；见 docs/facts.md）",
                x->name, x->replaced_by),
            "replaced-fact"};
  }
  return {msg("unknown fact \"{}\" (see docs/profile.md and rules/facts*.json)",
              "未知的事实 \"{}\"（见 docs/profile.md 和 rules/facts*.json）", name),
          "unknown-fact"};
}

namespace {

void read_replaced(const json::Value& root, Reader& r, Vocabulary& vocabulary) {
  const json::Value* replaced = root.find("replaced");
  if (!replaced || !r.expect(*replaced, "/replaced", json::Type::Array)) return;
  for (std::size_t i = 0; i < replaced->items().size(); ++i) {
    const json::Value& e = replaced->items()[i];
    std::string ep = child_path("/replaced", i);
    if (!r.object(e, ep, {"name", "replaced_by"}, {})) continue;
    ReplacedFact x;
    x.name = r.string(e, "name", ep).value_or("");
    x.replaced_by = r.string(e, "replaced_by", ep).value_or("");
    x.file = r.file();
    x.line = e.line;
    x.col = e.col;
    vocabulary.replaced.push_back(std::move(x));
  }
}

}  // namespace

Vocabulary read_vocabulary(const json::Value& root, Reader& r) {
  Vocabulary vocabulary;
  if (!r.object(root, "/", {"format", "facts"}, {"$schema", "extend", "replaced"})) {
    return vocabulary;
  }
  read_replaced(root, r, vocabulary);
  if (const json::Value* extend = root.find("extend")) {
    if (r.expect(*extend, "/extend", json::Type::Array)) {
      for (std::size_t i = 0; i < extend->items().size(); ++i) {
        const json::Value& e = extend->items()[i];
        std::string ep = child_path("/extend", i);
        if (!r.object(e, ep, {"fact", "values"}, {"field", "labels"})) continue;
        EnumExtension x;
        x.fact = r.string(e, "fact", ep).value_or("");
        x.field = r.string(e, "field", ep, false).value_or("");
        x.values = r.strings(e, "values", ep);
        x.labels = read_labels(e, ep, x.values, r);
        x.file = r.file();
        x.line = e.line;
        x.col = e.col;
        vocabulary.extensions.push_back(std::move(x));
      }
    }
  }
  const json::Value& facts = *root.find("facts");
  if (!r.expect(facts, "/facts", json::Type::Array)) return vocabulary;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < facts.items().size(); ++i) {
    std::string path = child_path("/facts", i);
    FactDecl f = read_fact(facts.items()[i], path, r, false);
    if (!f.name.empty() && !seen.insert(f.name).second) {
      r.error(facts.items()[i], path,
              msg("fact \"{}\" declared twice", "事实 \"{}\" 声明了两次", f.name), "duplicate-id");
    }
    vocabulary.facts.push_back(std::move(f));
  }
  return vocabulary;
}

}  // namespace subsidy
