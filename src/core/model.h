// The compiled, immutable form of the fact vocabulary and the rule files: what the engine
// evaluates. Built only by the loaders (compile.cpp, vocabulary.cpp), which have already rejected
// every format error, so evaluation never meets one.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/decimal.h"
#include "core/ir.h"
#include "core/ops.h"
#include "core/units.h"

namespace subsidy {

struct Text {
  std::string zh;
  std::string en;
  const std::string& in(Lang lang) const { return lang == Lang::En ? en : zh; }
};

struct FactDecl {
  std::string name;
  FactType type = FactType::Number;
  Unit unit = Unit::None;  // numbers only (kUnits)
  bool per_year = false;
  std::vector<std::string> values;  // enums
  // Enums: the name of each value, indexed like `values` ("labels": {"value": {"zh", "en"}}); the
  // Chinese name as the documents write it (中华老字号, 省级重点实验室). Empty when not given.
  std::vector<Text> labels;
  std::vector<FactDecl> fields;  // lists: the fields of an item
  std::string zh;
  std::string en;
  std::string example;

  int field_index(std::string_view field) const;
  // The enum value whose id, Chinese or English label is `text` (English case-insensitively);
  // −1 when none.
  int value_index(std::string_view text) const;
  const Text& label(std::size_t value) const;  // empty Text when the value has no label
};

// Values a vocabulary file adds to an enum declared in another file (e.g. new certification types
// that one document needs), so that each document's facts can live in its own file.
struct EnumExtension {
  std::string fact;
  std::string field;  // empty for a top-level enum fact
  std::vector<std::string> values;
  std::vector<Text> labels;  // indexed like values
  std::string file;
  int line = 0;
  int col = 0;
};

// A fact name a vocabulary file retired ("replaced": [{"name", "replaced_by"}]) and the fact that
// took its place (a single number that became a list of items): a profile that still gives the old
// name is told which fact to write instead (replaced-fact), not just that the name is unknown.
struct ReplacedFact {
  std::string name;
  std::string replaced_by;
  std::string file;
  int line = 0;
  int col = 0;
};

struct Vocabulary {
  std::vector<FactDecl> facts;
  std::vector<EnumExtension> extensions;
  std::vector<ReplacedFact> replaced;
  int index_of(std::string_view name) const;                     // −1 when unknown
  const ReplacedFact* replacement(std::string_view name) const;  // null when not replaced
  // Builds the name index that makes index_of a hash lookup. While `facts` and the index differ
  // in size (facts added since), index_of searches linearly instead.
  void index();

 private:
  std::unordered_map<std::string, int> by_name_;
};

enum class AmountKind { Exact, Floor, UpperBound, Unspecified };

// What a rule's amount is, one table: the key a rule file writes ("kind": "floor"), which the
// compiler reads and the JSON and CSV reports write, and the name people read. Indexed by
// AmountKind.
using AmountKindInfo = Named<AmountKind>;

inline constexpr AmountKindInfo kAmountKinds[] = {
    {AmountKind::Exact, "exact", "exact", "确定金额"},
    {AmountKind::Floor, "floor", "at least", "不低于"},
    {AmountKind::UpperBound, "upper_bound", "up to", "最高限额"},
    {AmountKind::Unspecified, "unspecified", "unspecified", "金额未定"},
};

// The entry of kAmountKinds written `key`; null for any other key.
inline const AmountKindInfo* amount_kind_info(std::string_view key) {
  return find_by_key(kAmountKinds, &AmountKindInfo::key, key);
}

inline const AmountKindInfo& amount_kind_info(AmountKind kind) {
  return kAmountKinds[static_cast<std::size_t>(kind)];
}

// The keys of a table (kOps, kCmpOps, kRoundings, kAmountKinds, kGroupModes…) joined by `sep`,
// for the messages that list what a rule file may write.
template <class Table>
std::string key_list(const Table& table, std::string_view sep) {
  std::string out;
  for (const auto& entry : table) {
    if (!out.empty()) out += sep;
    out += entry.key;
  }
  return out;
}

// Who bears a rule's money: the one table of payer ids that rule files may name (validated by the
// loader) and that reports name in both languages. "issuer" is the document's own government;
// "not_stated" is for a part whose payer the text does not name.
struct PayerInfo {
  std::string_view id;
  std::string_view en;
  std::string_view zh;
  std::string_view use;  // when a rule file names it (docs/rules.md's payer table)
};

inline constexpr PayerInfo kPayers[] = {
    {"issuer", "issuing government", "发文政府",
     "the document's own government pays (the default without `payers`; shown as the region's "
     "财政)"},
    {"province", "provincial finance", "省财政", "省财政…"},
    {"city", "city finance", "市财政", "市财政…"},
    {"district", "district/county finance", "区（县）财政", "区财政…"},
    {"city_county", "city and county finance together", "市、县合计", "市、县合计 (柯城 art. 43)"},
    {"city_district", "city and district finance", "市、区财政", "市、区财政"},
    {"governments_all_levels", "finance at all levels (split not stated)", "各级财政（分担未明确）",
     "各级财政"},
    {"not_stated", "not stated in the text", "原文未明确",
     "the text does not say who pays (a part, or the whole): never guess a level"},
    {"power_grid", "power grid company", "电网企业", "a power fee reduced"},
    {"toll_operator", "expressway operators", "高速公路经营单位", "a toll reduced or waived"},
    {"tax", "tax relief", "税收减免", "a tax saving"},
};

// The document's own government: who pays a rule that names no payers.
inline constexpr std::string_view kIssuer = kPayers[0].id;

// The entry of `id` in kPayers; null for an unknown id.
const PayerInfo* payer_info(std::string_view id);

struct Payer {
  std::string payer;
  enum class Kind { Formula, Share, Rest } kind = Kind::Rest;
  const Expr* formula = nullptr;  // Kind::Formula
  Decimal share;
};

// What a rule's amount is: money paid (the only kind summed into a total), or a saving reported
// beside the total. One table, read by the loader, the engine, the renderers and the docs.
enum class Benefit { Grant, TaxRelief, FeeReduction };

using BenefitInfo = Named<Benefit>;  // key: the value of a rule's "benefit"

inline constexpr BenefitInfo kBenefits[] = {
    {Benefit::Grant, "grant", "grant", "资金奖补"},
    {Benefit::TaxRelief, "tax_relief", "tax relief", "税收减免"},
    {Benefit::FeeReduction, "fee_reduction", "fee reduction", "费用减免"},
};

const BenefitInfo& benefit_info(Benefit benefit);

// The categories of rules: the id a rule file writes, and the Chinese and English names reports
// show. The compiler accepts only these ids; `rules --category` accepts the id or either name
// (category_of).
struct CategoryName {
  std::string_view id;
  std::string_view zh;
  std::string_view en;
  bool tax_relief = false;  // every rule of the category is tax relief (Rule::benefit)
};
inline constexpr CategoryName kCategories[] = {
    {"rnd", "研发投入", "R&D"},
    {"technical_upgrade", "技术改造", "Technical upgrade"},
    {"incubator", "双创载体", "Incubators and maker spaces"},
    {"talent", "人才", "Talent"},
    {"grain", "粮食生产", "Grain"},
    {"insurance", "保险", "Insurance"},
    {"trade", "外贸", "Foreign trade"},
    {"services", "服务业", "Services"},
    {"agriculture", "农业", "Agriculture"},
    {"tax", "税收", "Tax", true},
    {"finance", "金融", "Finance"},
    {"tourism", "文旅", "Culture and tourism"},
    {"transport", "交通", "Transport"},
    {"industry", "工业", "Industry"},
    {"employment", "就业", "Employment"},
    {"social", "社会保障", "Social security"}};
// The table's entry for what a person typed: an id in any case, with spaces or hyphens for its
// underscores ("technical upgrade"), or the Chinese name; nullptr when none.
const CategoryName* category_of(std::string_view text);
// The entry whose id is exactly `id`, as a rule file writes it; nullptr for anything else.
inline const CategoryName* category_by_id(std::string_view id) {
  return find_by_key(kCategories, &CategoryName::id, id);
}

// Who an applicant is: one legal form (the profile's `form`, the forms a rule's `applicants` pays)
// and any number of roles held at once (the profile's `roles`, of which a rule's `roles` asks for
// one). One table each, read by the compiler, the profile reader, the engine, the renderers, the
// schemas and docs/profile.md; bit i of Rule::applicant_mask stands for kLegalForms[i], bit i of
// Rule::role_mask for kRoles[i].
struct ApplicantTerm {
  std::string_view id;
  std::string_view zh;         // the name reports show in Chinese
  std::string_view en;         // the name reports show in English
  std::string_view define_zh;  // one line: who is it
  std::string_view define_en;
  std::string_view not_held_en;  // a role's failure: "Not a grain grower" (forms: empty)
};

inline constexpr ApplicantTerm kLegalForms[] = {
    {"enterprise", "企业", "enterprise",
     "依法登记的公司、合伙企业等企业法人和非法人企业，含农业企业和农业龙头企业",
     "a company or partnership, including agricultural companies and leading agricultural "
     "enterprises (农业龙头企业)",
     ""},
    {"farmer_cooperative", "农民专业合作社", "farmer cooperative",
     "依《农民专业合作社法》登记的农民专业合作社及其联合社",
     "a farmer specialised cooperative (农民专业合作社) or a union of them", ""},
    {"family_farm", "家庭农场", "family farm", "以家庭成员为主要劳动力、登记或纳入名录的家庭农场",
     "a family farm (家庭农场), registered or listed as one, worked mainly by the family", ""},
    {"individual_business", "个体工商户", "individual business", "登记为个体工商户的经营者",
     "a registered sole trader (个体工商户)", ""},
    {"individual", "个人（含农户、种粮大户等自然人）", "individual",
     "自然人，含农户、种粮大户、人才个人",
     "a natural person: a farming household, a large-scale grain grower (种粮大户), a talent", ""},
    {"institution", "事业单位、高校、科研院所、社会组织", "institution",
     "事业单位、高等院校、科研院所、社会组织等非企业单位",
     "a public institution, university, research institute or social organisation", ""},
};

inline constexpr ApplicantTerm kRoles[] = {
    {"incubator_operator", "孵化载体运营主体", "incubator operator",
     "运营孵化器、众创空间、星创天地或加速器的主体",
     "runs an incubator, maker space, 星创天地 or accelerator", "Not an incubator operator"},
    {"grain_grower", "种粮主体", "grain grower", "种植粮食或油料作物的主体",
     "grows grain or oil crops", "Not a grain grower"},
    {"agricultural_producer", "农业生产经营主体", "agricultural producer",
     "从事种植、林业、畜牧、渔业或农业社会化服务的主体",
     "works in farming, forestry, livestock, fishery or agricultural services",
     "Not an agricultural producer"},
};

// The bit of a legal form in Rule::applicant_mask, of a role in Rule::role_mask; 0 when unknown.
unsigned form_bit(std::string_view form);
unsigned role_bit(std::string_view role);
// The table entries; null for an unknown id.
const ApplicantTerm* legal_form(std::string_view id);
const ApplicantTerm* role_term(std::string_view id);

// The pseudo-fact index of the profile's `roles` in a Missing or MissingFact: not a vocabulary
// fact, but asked for, ranked and named like one ("申请主体身份" / "roles held").
inline constexpr int kRolesFact = -2;
// The declaration of a fact index: the vocabulary's, or the pseudo-fact's for kRolesFact.
const FactDecl& fact_decl_of(const Vocabulary& vocabulary, int fact);

struct Rule {
  // What the engine reads for every rule of every profile comes first, in the rule's first cache
  // lines: the texts after it are read only to report.
  unsigned applicant_mask = 0;  // `applicants` as bits, set when the rule set is loaded
  unsigned role_mask = 0;       // `roles` as bits, set when the rule set is loaded
  // The trees below live in the document's NodeStore; null when the rule has none.
  const Cond* when = nullptr;
  AmountKind kind = AmountKind::Exact;
  // What the amount is (rule field "benefit"; category "tax" makes it tax relief). Only grants go
  // into a total; tax relief and fee reductions are reported beside it, never in it. Set by the
  // loader, so that totals need not compare texts per profile.
  Benefit benefit = Benefit::Grant;
  bool grant() const { return benefit == Benefit::Grant; }
  int group = -1;  // position in Document::groups of its stacking group (就高), set when loaded
  const Expr* formula = nullptr;
  const Expr* cap = nullptr;
  // UpperBound (最高 X, 不超过 X%…): the most the text allows, a constant or a formula of the
  // profile's facts (不超过实际投资额的50%); the engine computes it per profile.
  const Expr* up_to = nullptr;
  Rounding rounding = Rounding::HalfUp;
  Decimal rounding_unit = Decimal::from_units(Decimal::kOne / 100);
  std::string id;
  Text title;
  std::string article;
  std::string quote;
  // Its entry of kCategories: compared by address, never by name. Set for every rule of a
  // compiled rule set (a rule without a known category does not compile).
  const CategoryName* category = nullptr;
  std::vector<std::string> applicants;  // legal forms (kLegalForms)
  std::vector<std::string> roles;       // the applicant must hold one of these (kRoles); empty: any
  std::vector<Payer> payers;
  std::vector<Text> interpretations;  // the readings chosen, in both languages
  // Rules that pay for several consecutive years (a talent's salary for up to 3 years, a premium
  // schedule): how many, and the per-year counters that advance by one each year.
  int pays_for_years = 0;
  std::vector<int> advancing_facts;
  std::string source;  // rule file name
  std::string path;    // JSON pointer of the rule in its file, "/rules/3"
  int line = 0;        // position of the rule in its file
  int col = 0;
};

// How a stacking group (就高) pays, one table: the key a rule file writes ("mode": "highest"),
// read by the compiler and printed by the rule notation and the trace. Indexed by GroupMode.
enum class GroupMode { Highest };

struct GroupModeInfo {
  GroupMode mode;
  std::string_view key;
};

inline constexpr GroupModeInfo kGroupModes[] = {{GroupMode::Highest, "highest"}};

// The entry of kGroupModes written `key`; null for any other key.
inline const GroupModeInfo* group_mode_info(std::string_view key) {
  return find_by_key(kGroupModes, &GroupModeInfo::key, key);
}

inline std::string_view group_mode_key(GroupMode mode) {
  return kGroupModes[static_cast<std::size_t>(mode)].key;
}

struct Group {
  std::string id;
  GroupMode mode = GroupMode::Highest;  // the only mode: the highest eligible amount is paid
  std::vector<std::string> rules;
  std::vector<std::size_t> members;  // `rules` as positions in Document::rules
  std::string article;
  std::string quote;
};

struct Article {
  std::string number;
  std::string title;
  std::string not_payable;  // empty when the article is encoded by rules
};

struct Date {
  int year = 0;
  int month = 0;
  int day = 0;
  auto operator<=>(const Date&) const = default;
};

struct Region {
  std::string code;
  std::string name;
  std::string parent;
};

// What a document says about its money as a whole, e.g. 椒江's "上述部分涉企奖补资金包含市级补助":
// the sentence quoted, and what it means for the amounts, in both languages. Shown in reports.
struct DocumentNote {
  std::string quote;
  Text text;
};

struct Document {
  std::string id;
  std::string title;
  std::string number;
  std::string issuer;
  Region region;
  Date issued;
  Date valid_from;
  Date valid_to;
  std::string validity_quote;
  std::string stacking_quote;
  std::vector<DocumentNote> notes;
  std::string source;  // seed file
  std::string file;    // rule file it was loaded from
  int line = 0;        // position of the "document" object
  int col = 0;
  std::vector<Article> articles;
  std::vector<Rule> rules;
  std::vector<Group> groups;
  // The nodes of the rules' conditions and formulas. Held by pointer so that they stay where they
  // are while the document moves (into the rule set, between threads while loading).
  std::shared_ptr<const NodeStore> nodes;

  bool in_force(int policy_year) const {
    return valid_from <= Date{policy_year, 12, 31} && Date{policy_year, 1, 1} <= valid_to;
  }
};

// The rules of one document that read one fact, and the legal forms they are for.
struct FactReaders {
  std::uint32_t document = 0;        // position in RuleSet::documents
  unsigned applicants = 0;           // the union of the rules' form masks
  std::vector<std::uint32_t> rules;  // positions in Document::rules, in file order
};

struct SimilarFacts;  // core/unread: a memo, safe to fill from several threads at once

// Everything the engine needs, loaded and checked once, then immutable. Built only by
// load_rule_set (core/ruleset), which computes every derived field (each rule's form and role
// masks and stacking group, each group's members, the vocabulary's name index, `readers`,
// `version`) before handing it out. The one thing filled later is the memo behind `similar`
// (core/unread, similar_facts), per fact on first use and safe from several threads at once
// (std::call_once). Shared read-only between threads: every accessor is const. Reports, RuleRefs
// and FactReads point into it (documents, rules, texts), so it must outlive them.
class RuleSet {
 public:
  // What the loader fills in before the rule set is sealed.
  struct Parts {
    Vocabulary vocabulary;
    std::vector<Document> documents;
    std::map<std::string, std::string> region_parents;  // region code → parent code
    std::vector<std::vector<FactReaders>> readers;
    std::shared_ptr<SimilarFacts> similar;
    std::string version;
  };

  // Seals the loader's parts (load_rule_set): nothing may change them afterwards.
  explicit RuleSet(Parts parts) : p_(std::move(parts)) {}

  const Vocabulary& vocabulary() const { return p_.vocabulary; }
  const std::vector<Document>& documents() const { return p_.documents; }
  // Region code → parent code, as the documents declare them.
  const std::map<std::string, std::string>& region_parents() const { return p_.region_parents; }
  // Indexed like vocabulary().facts: per document, the rules that read the fact (core/unread,
  // index_readers), in document order.
  const std::vector<std::vector<FactReaders>>& readers() const { return p_.readers; }
  // Per fact, the facts some rule reads whose names are alike (name_distance in core/unread), the
  // closest first: the candidates of a suggestion. Read through similar_facts (core/unread),
  // which fills the memo per fact on first use: comparing every name with every other took a
  // third of `eval`'s time, and only a fact no rule reads needs it.
  const std::shared_ptr<SimilarFacts>& similar() const { return p_.similar; }
  // The rules version a report names: 16 hex digits of a 64-bit FNV-1a hash of the loaded rule
  // and vocabulary files (name and text, in name order; *.tests.json left out, so every command
  // gives the same version for the same rules).
  const std::string& version() const { return p_.version; }

 private:
  Parts p_;
};

}  // namespace subsidy
