#include "core/region.h"

#include <algorithm>
#include <array>

#include "core/unread.h"

namespace subsidy {
namespace {

constexpr std::array<RegionName, 27> kRegions = {{
    {"330700", "金华市", "Jinhua"},    {"330702", "婺城区", "Wucheng"},
    {"330703", "金东区", "Jindong"},   {"330723", "武义县", "Wuyi"},
    {"330726", "浦江县", "Pujiang"},   {"330727", "磐安县", "Pan'an"},
    {"330781", "兰溪市", "Lanxi"},     {"330782", "义乌市", "Yiwu"},
    {"330783", "东阳市", "Dongyang"},  {"330784", "永康市", "Yongkang"},
    {"330800", "衢州市", "Quzhou"},    {"330802", "柯城区", "Kecheng"},
    {"330803", "衢江区", "Qujiang"},   {"330822", "常山县", "Changshan"},
    {"330824", "开化县", "Kaihua"},    {"330825", "龙游县", "Longyou"},
    {"330881", "江山市", "Jiangshan"}, {"331000", "台州市", "Taizhou"},
    {"331002", "椒江区", "Jiaojiang"}, {"331003", "黄岩区", "Huangyan"},
    {"331004", "路桥区", "Luqiao"},    {"331022", "三门县", "Sanmen"},
    {"331023", "天台县", "Tiantai"},   {"331024", "仙居县", "Xianju"},
    {"331081", "温岭市", "Wenling"},   {"331082", "临海市", "Linhai"},
    {"331083", "玉环市", "Yuhuan"},
}};

bool is_code(std::string_view s) {
  return s.size() == 6 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Lower case ASCII without spaces, hyphens and apostrophes ("Pan'an" = "panan"); other bytes kept.
std::string fold(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '-' || c == '\'' || c == '_') continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

// The ways a person may write a region's name, folded: 柯城区, 柯城, kecheng.
std::vector<std::string> spellings(const RegionName& r) {
  std::vector<std::string> out = {fold(r.zh), fold(r.en)};
  for (std::string_view suffix : {"区", "县", "市"}) {
    if (r.zh.ends_with(suffix) && r.zh.size() > suffix.size()) {
      out.push_back(fold(r.zh.substr(0, r.zh.size() - suffix.size())));
    }
  }
  return out;
}

// "Kecheng District" → "kecheng": the English word for the kind of region is optional.
std::string without_kind_word(std::string folded) {
  for (std::string_view word : {"district", "county", "city"}) {
    if (folded.size() > word.size() && folded.ends_with(word)) {
      return folded.substr(0, folded.size() - word.size());
    }
  }
  return folded;
}

}  // namespace

std::span<const RegionName> region_names() {
  return kRegions;
}

const CategoryName* category_of(std::string_view text) {
  std::string typed = fold(text);
  for (const CategoryName& c : kCategories) {
    if (typed == fold(c.id) || typed == fold(c.en) || text == c.zh) return &c;
  }
  return nullptr;
}

const RegionName* region_name(std::string_view code) {
  for (const RegionName& r : kRegions) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

RegionMatch match_region(std::string_view text, std::span<const RegionName> table) {
  RegionMatch m;
  if (is_code(text)) {
    m.code = std::string(text);
    return m;
  }
  std::string typed = fold(text);
  if (typed.empty()) return m;
  std::vector<std::string> forms = {typed};
  if (std::string bare = without_kind_word(typed); bare != typed) forms.push_back(bare);
  std::vector<const RegionName*> exact, prefix;
  for (const RegionName& r : table) {
    bool is_exact = false, is_prefix = false;
    for (const std::string& s : spellings(r)) {
      for (const std::string& f : forms) {
        is_exact = is_exact || s == f;
        is_prefix = is_prefix || s.starts_with(f);
      }
    }
    if (is_exact) exact.push_back(&r);
    if (is_prefix) prefix.push_back(&r);
  }
  m.candidates = exact.empty() ? prefix : exact;
  if (m.candidates.size() == 1) m.code = std::string(m.candidates.front()->code);
  return m;
}

bool is_region_code(std::string_view code) {
  return code.size() == 6 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string region_label(std::string_view code, Lang lang) {
  const RegionName* r = region_name(code);
  if (!r) return std::string(code);
  return lang == Lang::En ? fmt::format("{} ({})", r->en, code)
                          : fmt::format("{}（{}）", r->zh, code);
}

bool covers(const Document& doc, const RuleSet& rules, const std::string& region) {
  if (doc.region.code == region) return true;
  std::string parent = region_parent(rules, region);
  return !parent.empty() && doc.region.code == parent;
}

YearChoice default_policy_year(const RuleSet& rules, const std::string& region) {
  int own = 0, any = 0;
  const Document* own_doc = nullptr;
  for (const Document& d : rules.documents()) {
    if (!covers(d, rules, region)) continue;
    any = std::max(any, d.valid_to.year);
    if (d.region.code == region && d.valid_to.year > own) {
      own = d.valid_to.year;
      own_doc = &d;
    }
  }
  YearChoice choice;
  choice.year = own ? own : any;
  if (!choice.year) return choice;
  std::string en_name = region_label(region, Lang::En), zh_name = region_label(region, Lang::Zh);
  if (own_doc) {
    choice.note =
        msg("policy year {0} (no --year given): the latest year in which a document of {1} "
            "is in force ({2})",
            "政策年度 {0}（未指定 --year）：{3}的政策文件有效的最近一年（{2}）", choice.year,
            en_name, own_doc->number, zh_name);
  } else {
    choice.note = msg(
        "policy year {0} (no --year given): {1} has no document of its own; the latest "
        "year in which a document of its city is in force",
        "政策年度 {0}（未指定 --year）：{2}没有本地区的政策文件，取所在市的政策文件有效的最近一年",
        choice.year, en_name, zh_name);
  }
  if (own && any > own) {
    Message later = msg("; the city's documents are also in force in {0}: --year {0}",
                        "；所在市的政策文件在 {0} 年也有效：--year {0}", any);
    choice.note.en += later.en;
    choice.note.zh += later.zh;
  }
  return choice;
}

}  // namespace subsidy
