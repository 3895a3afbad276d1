#include "core/profile.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/reader.h"
#include "core/region.h"
#include "core/ruleset.h"
#include "core/tables.h"

namespace subsidy {
namespace {

// The year a per-year key names ("2022"), or nullopt.
std::optional<int> year_of(std::string_view key) {
  if (key.size() != 4 ||
      !std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return (key[0] - '0') * 1000 + (key[1] - '0') * 100 + (key[2] - '0') * 10 + (key[3] - '0');
}

void sort_years(FactValue& fact) {
  std::sort(fact.years.begin(), fact.years.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
}

// The one rule for what a scalar fact accepts, checked without building JSON paths or messages
// (batch reads every valid profile through it); read_scalar explains a refusal.
std::optional<Scalar> valid_scalar(const json::Value& v, const FactDecl& decl) {
  switch (decl.type) {
    case FactType::Number: {
      if (v.type != json::Type::Number && v.type != json::Type::String) return std::nullopt;
      std::optional<Decimal> d = Decimal::parse(v.text(), 0, nullptr);
      if (!d || !number_allowed(decl, *d)) return std::nullopt;
      return Scalar(*d);
    }
    case FactType::Bool:
      if (v.type != json::Type::Bool) return std::nullopt;
      return Scalar(v.boolean);
    case FactType::Enum:
      if (!v.is_string() ||
          std::find(decl.values.begin(), decl.values.end(), v.text()) == decl.values.end()) {
        return std::nullopt;
      }
      return Scalar(std::string(v.text()));
    case FactType::List:
      break;
  }
  return std::nullopt;
}

// A scalar fact: accepted by valid_scalar, or refused with the reason reported at `path`.
std::optional<Scalar> read_scalar(const json::Value& v, const FactDecl& decl,
                                  const std::string& path, Reader& r) {
  if (std::optional<Scalar> s = valid_scalar(v, decl)) return s;
  switch (decl.type) {
    case FactType::Number:
      // Reports a wrong type or a bad number; a number it accepts was refused for its sign.
      if (r.number(v, path, false)) {
        r.error(
            v, path,
            msg("\"{}\" cannot be negative ({})", "\"{}\" 不能为负数（{}）", decl.name, v.text()),
            "bad-value");
      }
      break;
    case FactType::Bool:
      r.expect(v, path, json::Type::Bool);
      break;
    case FactType::Enum:
      if (r.expect(v, path, json::Type::String)) {
        std::string allowed;
        for (const std::string& value : decl.values)
          allowed += (allowed.empty() ? "" : ", ") + value;
        r.error(v, path,
                msg("\"{}\" is not a value of {} ({})", "\"{}\" 不是 {} 的取值（{}）", v.text(),
                    decl.name, allowed),
                "bad-value");
      }
      break;
    case FactType::List:
      break;
  }
  return std::nullopt;
}

// `null` is "not known", wherever a fact's value can stand (a fact, a year's value, an item's
// field): the same as leaving the value out, never zero or false.
bool unknown(const json::Value& v) {
  return v.type == json::Type::Null;
}

FactValue read_fact(const json::Value& v, const FactDecl& decl, const std::string& path,
                    Reader& r) {
  FactValue fact;
  if (unknown(v)) return fact;
  if (decl.type == FactType::List) {
    if (!r.expect(v, path, json::Type::Array)) return fact;
    if (v.items().size() > kMaxListItems) {
      // Evaluation keeps per-item reasons, so a list of millions would cost gigabytes there.
      r.error(v, path,
              msg("\"{}\" has {} items, more than the limit of {}",
                  "\"{}\" 有 {} 项，超过 {} 项的上限", decl.name, v.items().size(), kMaxListItems),
              "too-large");
      return fact;
    }
    fact.present = true;
    fact.items.reserve(v.items().size());
    for (std::size_t i = 0; i < v.items().size(); ++i) {
      const json::Value& item = v.items()[i];
      std::string ip = child_path(path, i);
      if (!r.expect(item, ip, json::Type::Object)) continue;
      Item out;
      // An item without fields takes no storage for them (five million {} are a valid list).
      if (!item.members().empty()) out.fields.resize(decl.fields.size());
      for (const json::Member& m : item.members()) {
        int index = decl.field_index(m.key());
        if (index < 0) {
          r.error_at(
              m.line, m.col, child_path(ip, m.key()),
              msg("unknown field \"{}\" in {}", "{1} 中没有字段 \"{0}\"", m.key(), decl.name),
              "unknown-key");
          continue;
        }
        out.fields[static_cast<std::size_t>(index)] = read_fact(
            m.value, decl.fields[static_cast<std::size_t>(index)], child_path(ip, m.key()), r);
      }
      fact.items.push_back(std::move(out));
    }
    return fact;
  }
  if (decl.per_year) {
    if (!v.is_object()) {
      r.error(v, path,
              msg("\"{}\" is per year: give an object from year to value, e.g. "
                  "{{\"2022\": {}}}",
                  "\"{}\" 按年份取值：应为从年份到值的对象，例如 {{\"2022\": {}}}", decl.name,
                  decl.example.empty() ? "..." : decl.example),
              "type");
      return fact;
    }
    fact.present = true;
    for (const json::Member& m : v.members()) {
      std::string yp = child_path(path, m.key());
      std::optional<int> year = year_of(m.key());
      if (!year) {
        r.error_at(m.line, m.col, yp, msg("\"{}\" is not a year", "\"{}\" 不是年份", m.key()),
                   "bad-year");
        continue;
      }
      if (unknown(m.value)) continue;
      if (std::optional<Scalar> s = read_scalar(m.value, decl, yp, r)) {
        fact.years.emplace_back(*year, std::move(*s));
      }
    }
    sort_years(fact);
    return fact;
  }
  if (std::optional<Scalar> s = read_scalar(v, decl, path, r)) {
    fact.present = true;
    fact.scalar = std::move(*s);
  }
  return fact;
}

// A scalar or per-year fact with nothing to report, or nullopt (lists always return nullopt).
std::optional<FactValue> valid_fact(const json::Value& v, const FactDecl& decl) {
  if (unknown(v)) return FactValue{};
  if (decl.type == FactType::List) return std::nullopt;
  FactValue fact;
  fact.present = true;
  if (!decl.per_year) {
    std::optional<Scalar> s = valid_scalar(v, decl);
    if (!s) return std::nullopt;
    fact.scalar = std::move(*s);
    return fact;
  }
  if (!v.is_object()) return std::nullopt;
  fact.years.reserve(v.members().size());
  for (const json::Member& m : v.members()) {
    std::optional<int> year = year_of(m.key());
    if (year && unknown(m.value)) continue;
    std::optional<Scalar> s = year ? valid_scalar(m.value, decl) : std::nullopt;
    if (!s) return std::nullopt;
    fact.years.emplace_back(*year, std::move(*s));
  }
  sort_years(fact);
  return fact;
}

// The old `kind`s that were neither a legal form nor gone without trace: what each became.
struct RetiredKind {
  std::string_view key;
  std::string_view en;
  std::string_view zh;
};

constexpr RetiredKind kRetiredKinds[] = {
    {"farm",
     "write \"form\": \"family_farm\" or \"farmer_cooperative\" and \"roles\": "
     "[\"agricultural_producer\"]",
     "请写 \"form\": \"family_farm\" 或 \"farmer_cooperative\"，并写 \"roles\": "
     "[\"agricultural_producer\"]"},
    {"incubator_operator",
     "write \"form\": \"enterprise\" (or \"institution\") and \"roles\": "
     "[\"incubator_operator\"]",
     "请写 \"form\": \"enterprise\"（或 \"institution\"），并写 \"roles\": "
     "[\"incubator_operator\"]"},
};

// What to write instead of an old `kind`, in both languages.
Message kind_replaced(std::string_view kind) {
  std::string en, zh;
  if (const RetiredKind* retired = find_by_key(kRetiredKinds, &RetiredKind::key, kind)) {
    en = retired->en;
    zh = retired->zh;
  } else if (form_bit(kind) != 0) {
    en = fmt::format("write \"form\": \"{}\"", kind);
    zh = fmt::format("请写 \"form\": \"{}\"", kind);
  } else {
    en = "write \"form\" (a legal form) and \"roles\" (the roles held)";
    zh = "请写 \"form\"（法律形式）和 \"roles\"（所担任的身份）";
  }
  return msg(
      "\"kind\" was replaced by \"form\" and \"roles\" (docs/profile.md): for kind "
      "\"{0}\" {1}",
      "\"kind\" 已由 \"form\" 和 \"roles\" 取代（docs/profile.md）：原 kind \"{0}\" {2}", kind, en,
      zh);
}

std::string joined(std::string_view sep, bool roles) {
  std::string out;
  auto add = [&](const ApplicantTerm& t) {
    out += (out.empty() ? "" : std::string(sep)) + std::string(t.id);
  };
  if (roles) {
    for (const ApplicantTerm& t : kRoles) add(t);
  } else {
    for (const ApplicantTerm& t : kLegalForms) add(t);
  }
  return out;
}

// The profile's `roles`: absent or null (unknown), or a list of role ids, each once.
void read_roles(const json::Value& root, Profile& p, Reader& r) {
  const json::Value* v = root.find("roles");
  if (!v || v->type == json::Type::Null) return;
  if (!r.expect(*v, "/roles", json::Type::Array)) return;
  std::vector<std::string> roles;
  std::size_t i = 0;
  for (const json::Value& item : v->items()) {
    std::string path = child_path("/roles", i++);
    if (!r.expect(item, path, json::Type::String)) continue;
    std::string id(item.text());
    if (role_bit(id) == 0) {
      r.error(item, path,
              msg("unknown role \"{0}\" ({1})", "未知的申请主体身份 \"{0}\"（{2}）", id,
                  joined(", ", true), joined("、", true)),
              "bad-value");
    } else if (std::find(roles.begin(), roles.end(), id) != roles.end()) {
      r.error(item, path, msg("role \"{}\" is listed twice", "身份 \"{}\" 重复列出", id),
              "bad-value");
    } else {
      roles.push_back(std::move(id));
    }
  }
  set_roles(p, std::move(roles));
}

// The applicant's legal form and roles; an old `kind` is refused with what to write instead.
void read_identity(const json::Value& root, Profile& p, Reader& r) {
  if (const json::Value* kind = root.find("kind")) {
    r.error(*kind, "/kind", kind_replaced(kind->is_string() ? kind->text() : ""), "replaced-key");
    if (!root.find("form")) return;
  }
  p.form = r.string(root, "form", "/").value_or("");
  if (root.find("form") && root.find("form")->is_string() && form_bit(p.form) == 0) {
    r.error(*root.find("form"), "/form",
            msg("unknown legal form \"{0}\" ({1})", "未知的法律形式 \"{0}\"（{2}）", p.form,
                joined(", ", false), joined("、", false)),
            "bad-value");
  }
  read_roles(root, p, r);
}

}  // namespace

void set_roles(Profile& profile, std::vector<std::string> roles) {
  profile.role_mask = 0;
  for (const std::string& role : roles) profile.role_mask |= role_bit(role);
  profile.roles = std::move(roles);
}

bool number_allowed(const FactDecl& decl, Decimal value) {
  return !value.is_negative() || unit_info(decl.unit).signed_value;
}

bool Item::operator==(const Item& other) const {
  return fields == other.fields;
}

bool FactValue::operator==(const FactValue& other) const {
  return present == other.present && scalar == other.scalar && years == other.years &&
         items == other.items;
}

const Scalar* FactValue::at_year(int year) const {
  for (const auto& [y, value] : years) {
    if (y == year) return &value;
  }
  return nullptr;
}

Profile read_profile(const json::Value& root, const std::string& source,
                     const Vocabulary& vocabulary, std::vector<Diagnostic>& diagnostics) {
  Reader r(source);
  Profile p;
  p.source = source;
  p.facts.resize(vocabulary.facts.size());
  if (r.object(root, "/", {"region", "policy_year", "facts"},
               {"id", "name", "$schema", "form", "roles", "kind"}) ||
      root.is_object()) {
    p.id = r.string(root, "id", "/", false).value_or("");
    p.name = r.string(root, "name", "/", false).value_or("");
    read_identity(root, p, r);
    p.region = r.string(root, "region", "/", false).value_or("");
    if (const json::Value* region = root.find("region"); region && region->is_string()) {
      if (!is_region_code(p.region)) {
        r.error(*region, "/region",
                msg("\"{}\" is not a six-digit GB/T 2260 region code",
                    "\"{}\" 不是六位的 GB/T 2260 行政区划代码", p.region),
                "bad-value");
      }
    }
    std::optional<int> policy_year = r.integer(root, "policy_year", "/", false);
    p.policy_year = policy_year.value_or(0);
    if (policy_year && (p.policy_year < 1990 || p.policy_year > 2100)) {
      r.error(*root.find("policy_year"), "/policy_year",
              msg("policy year {} is out of range (1990–2100)", "政策年度 {} 超出范围（1990–2100）",
                  p.policy_year),
              "bad-value");
    }
    if (const json::Value* facts = root.find("facts")) {
      if (r.expect(*facts, "/facts", json::Type::Object)) {
        for (const json::Member& m : facts->members()) {
          int index = vocabulary.index_of(m.key());
          if (index >= 0) {
            const FactDecl& decl = vocabulary.facts[static_cast<std::size_t>(index)];
            if (std::optional<FactValue> fact = valid_fact(m.value, decl)) {
              // A null fact gives nothing: it is not reported as a fact no rule reads.
              if (fact->present) p.given.push_back(GivenFact{index, m.line, m.col});
              p.facts[static_cast<std::size_t>(index)] = std::move(*fact);
              continue;
            }
          }
          std::string fp = child_path("/facts", m.key());
          if (index < 0) {
            auto [message, code] = unknown_fact(vocabulary, m.key());
            r.error_at(m.line, m.col, fp, std::move(message), code);
            continue;
          }
          p.facts[static_cast<std::size_t>(index)] =
              read_fact(m.value, vocabulary.facts[static_cast<std::size_t>(index)], fp, r);
          if (p.facts[static_cast<std::size_t>(index)].present) {
            p.given.push_back(GivenFact{index, m.line, m.col});
          }
        }
      }
    }
  }
  diagnostics.insert(diagnostics.end(), r.diagnostics().begin(), r.diagnostics().end());
  return p;
}

Result<Profile> load_profile(std::string_view text, const std::string& source,
                             const Vocabulary& vocabulary) {
  Result<json::Tree> root = json::parse(text, source);
  if (!root.ok()) return root.errors();
  std::vector<Diagnostic> diagnostics;
  Profile p = read_profile(root.value().root(), source, vocabulary, diagnostics);
  if (has_errors(diagnostics)) return diagnostics;
  return p;
}

}  // namespace subsidy
