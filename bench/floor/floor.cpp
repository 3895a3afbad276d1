// The floor of issue 18: how fast a JSON Lines file of profiles can be read at all, so that every
// pass of bench/run.sh is stated as a fraction of it. simdjson On-Demand walks every member of
// every line; each fact is looked up in the same vocabulary the tool loads (the built-in
// facts*.json, or --rules DIR) and checked against its declaration (type, per-year, list fields,
// enum values); decimals are converted exactly to integer millionths (as core/decimal, no double);
// everything lands in one flat profile reused from line to line, so no allocation happens per
// profile. Not a product: it keeps no messages, only counts the bad rows.
//
// usage: subsidy_floor FILE.jsonl [--rules DIR]   prints "rows N bad B checksum C"
#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/rules.h"
#include "core/profile.h"
#include "core/ruleset.h"

namespace {

using namespace simdjson;
using subsidy::FactDecl;
using subsidy::FactType;

// One value of the flat profile: a number in millionths, a boolean (0/1) or an enum index; for a
// per-year fact [first, first + count) in `years`, for a list the same range in `items`.
struct Slot {
  bool present = false;
  std::int64_t value = 0;
  std::uint32_t first = 0;
  std::uint32_t count = 0;
};

struct FlatProfile {
  std::string id, name, region, form;
  std::int64_t policy_year = 0;
  std::uint32_t roles = 0;
  std::vector<Slot> facts;                          // indexed like the vocabulary
  std::vector<std::pair<int, std::int64_t>> years;  // per-year values of every fact
  std::vector<Slot> items;                          // list items' fields, item after item
  std::vector<int> touched;                         // facts set in this profile, to reset
  void reset() {
    for (int f : touched) facts[static_cast<std::size_t>(f)] = Slot{};
    touched.clear();
    years.clear();
    items.clear();
    roles = 0;
    policy_year = 0;
  }
};

// Exact decimal text to millionths: digits, an optional fraction of at most six digits, a sign.
bool to_micros(std::string_view s, std::int64_t& out) {
  std::size_t i = 0;
  bool negative = !s.empty() && s[0] == '-';
  if (negative) ++i;
  std::int64_t v = 0;
  std::size_t start = i;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (v > 9'000'000'000'000LL) return false;
    v = v * 10 + (s[i] - '0');
  }
  if (i == start) return false;
  v *= 1'000'000;
  if (i < s.size() && s[i] == '.') {
    std::int64_t scale = 100'000;
    std::size_t frac = ++i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, scale /= 10) {
      if (scale == 0) return false;  // more than six decimals
      v += (s[i] - '0') * scale;
    }
    if (i == frac) return false;
  }
  if (i != s.size()) return false;
  out = negative ? -v : v;
  return true;
}

class Floor {
 public:
  explicit Floor(const subsidy::Vocabulary& vocabulary) : vocabulary_(vocabulary) {
    for (std::size_t i = 0; i < vocabulary.facts.size(); ++i)
      by_name_.emplace(vocabulary.facts[i].name, static_cast<int>(i));
    profile_.facts.resize(vocabulary.facts.size());
  }

  // One line; false when it is not a valid profile.
  bool line(const char* data, std::size_t size) {
    if (buffer_.size() < size + SIMDJSON_PADDING) buffer_.resize(size + SIMDJSON_PADDING);
    std::memcpy(buffer_.data(), data, size);
    profile_.reset();
    ondemand::document doc;
    if (parser_.iterate(buffer_.data(), size, buffer_.size()).get(doc)) return false;
    ondemand::object root;
    if (doc.get_object().get(root)) return false;
    for (auto member : root) {
      std::string_view key;
      if (member.unescaped_key().get(key)) return false;
      ondemand::value v;
      if (member.value().get(v)) return false;
      if (!top(key, v)) return false;
    }
    // As read_profile: a six-digit region code, a policy year in range.
    const std::string& r = profile_.region;
    return r.size() == 6 &&
           std::all_of(r.begin(), r.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
           profile_.policy_year >= 1990 && profile_.policy_year <= 2100;
  }
  std::uint64_t checksum() const { return checksum_; }

 private:
  bool text(ondemand::value& v, std::string& out) {
    std::string_view s;
    if (v.get_string().get(s)) return false;
    out.assign(s);
    return true;
  }

  bool top(std::string_view key, ondemand::value& v) {
    if (key == "id") return text(v, profile_.id);
    if (key == "name") return text(v, profile_.name);
    if (key == "region") return text(v, profile_.region);
    if (key == "form") {
      if (!text(v, profile_.form)) return false;
      for (const subsidy::ApplicantTerm& form : subsidy::kLegalForms) {
        if (form.id == profile_.form) return true;
      }
      return false;
    }
    if (key == "policy_year") return !v.get_int64().get(profile_.policy_year);
    if (key == "roles") {
      ondemand::array a;
      if (v.get_array().get(a)) return false;
      for (auto r : a) {
        std::string_view s;
        if (r.get_string().get(s)) return false;
        unsigned bit = 1;
        for (const subsidy::ApplicantTerm& role : subsidy::kRoles) {
          if (role.id == s) break;
          bit <<= 1;
        }
        if (bit >= (1u << std::size(subsidy::kRoles))) return false;
        profile_.roles |= bit;
      }
      return true;
    }
    if (key == "facts") return facts(v);
    return false;
  }

  bool facts(ondemand::value& v) {
    ondemand::object o;
    if (v.get_object().get(o)) return false;
    for (auto member : o) {
      std::string_view key;
      if (member.unescaped_key().get(key)) return false;
      auto it = by_name_.find(key);
      if (it == by_name_.end()) return false;
      const FactDecl& decl = vocabulary_.facts[static_cast<std::size_t>(it->second)];
      ondemand::value value;
      if (member.value().get(value)) return false;
      Slot& slot = profile_.facts[static_cast<std::size_t>(it->second)];
      if (slot.present) return false;  // given twice
      profile_.touched.push_back(it->second);
      bool ok = decl.type == FactType::List ? list(decl, value, slot)
                : decl.per_year             ? per_year(decl, value, slot)
                                            : scalar(decl, value, slot);
      if (!ok) return false;
    }
    return true;
  }

  bool per_year(const FactDecl& decl, ondemand::value& v, Slot& slot) {
    ondemand::object o;
    if (v.get_object().get(o)) return false;
    slot.first = static_cast<std::uint32_t>(profile_.years.size());
    for (auto member : o) {
      std::string_view key;
      if (member.unescaped_key().get(key) || key.size() != 4) return false;
      int year = 0;
      for (char c : key) {
        if (c < '0' || c > '9') return false;
        year = year * 10 + (c - '0');
      }
      ondemand::value value;
      if (member.value().get(value)) return false;
      Slot one;
      if (!scalar(decl, value, one)) return false;
      if (one.present) profile_.years.emplace_back(year, one.value);
    }
    slot.count = static_cast<std::uint32_t>(profile_.years.size()) - slot.first;
    slot.present = true;
    return true;
  }

  bool list(const FactDecl& decl, ondemand::value& v, Slot& slot) {
    ondemand::array a;
    if (v.get_array().get(a)) return false;
    slot.first = static_cast<std::uint32_t>(profile_.items.size());
    std::size_t fields = decl.fields.size();
    for (auto element : a) {
      ondemand::object item;
      if (element.get_object().get(item)) return false;
      std::size_t base = profile_.items.size();
      profile_.items.resize(base + fields);
      for (auto member : item) {
        std::string_view key;
        if (member.unescaped_key().get(key)) return false;
        int f = decl.field_index(key);
        if (f < 0) return false;
        ondemand::value value;
        if (member.value().get(value)) return false;
        if (!scalar(decl.fields[static_cast<std::size_t>(f)], value,
                    profile_.items[base + static_cast<std::size_t>(f)]))
          return false;
      }
      ++slot.count;
    }
    slot.present = true;
    return true;
  }

  bool scalar(const FactDecl& decl, ondemand::value& v, Slot& slot) {
    ondemand::json_type type;
    if (v.type().get(type)) return false;
    if (type == ondemand::json_type::null) return true;  // absent
    std::string_view s;
    switch (decl.type) {
      case FactType::Number:
        if (type == ondemand::json_type::string) {
          if (v.get_string().get(s)) return false;
        } else if (type == ondemand::json_type::number) {
          s = v.raw_json_token();
          while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t'))
            s.remove_suffix(1);
        } else {
          return false;
        }
        if (!to_micros(s, slot.value)) return false;
        if (!subsidy::number_allowed(decl, subsidy::Decimal::from_units(slot.value))) return false;
        break;
      case FactType::Bool: {
        bool b = false;
        if (v.get_bool().get(b)) return false;
        slot.value = b;
        break;
      }
      case FactType::Enum: {
        if (v.get_string().get(s)) return false;
        std::int64_t index = -1;
        for (std::size_t i = 0; i < decl.values.size(); ++i) {
          if (decl.values[i] == s) index = static_cast<std::int64_t>(i);
        }
        if (index < 0) return false;
        slot.value = index;
        break;
      }
      case FactType::List:
        return false;
    }
    slot.present = true;
    checksum_ += static_cast<std::uint64_t>(slot.value);
    return true;
  }

  const subsidy::Vocabulary& vocabulary_;
  std::unordered_map<std::string_view, int> by_name_;
  ondemand::parser parser_;
  std::vector<char> buffer_;
  FlatProfile profile_;
  std::uint64_t checksum_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && !(argc == 4 && std::string_view(argv[2]) == "--rules")) {
    std::fprintf(stderr, "usage: subsidy_floor FILE.jsonl [--rules DIR]\n");
    return 2;
  }
  std::vector<std::string> texts;
  subsidy::RuleSet rules = subsidy::bench::load_rules(argc == 4 ? argv[3] : "", texts);
  Floor floor(rules.vocabulary());
  std::FILE* in = std::fopen(argv[1], "rb");
  if (!in) {
    std::perror(argv[1]);
    return 2;
  }
  std::vector<char> block(1 << 20);
  std::string carry;  // a line cut by the end of a block
  std::size_t rows = 0, bad = 0;
  auto take = [&](const char* p, std::size_t n) {
    if (n == 0) return;
    ++rows;
    if (!floor.line(p, n)) ++bad;
  };
  for (std::size_t got; (got = std::fread(block.data(), 1, block.size(), in)) > 0;) {
    const char* p = block.data();
    const char* end = p + got;
    while (const char* nl = static_cast<const char*>(std::memchr(p, '\n', end - p))) {
      if (carry.empty()) {
        take(p, static_cast<std::size_t>(nl - p));
      } else {
        carry.append(p, nl);
        take(carry.data(), carry.size());
        carry.clear();
      }
      p = nl + 1;
    }
    carry.append(p, end);
  }
  take(carry.data(), carry.size());
  std::fclose(in);
  std::printf("rows %zu bad %zu checksum %llu\n", rows, bad,
              static_cast<unsigned long long>(floor.checksum()));
  return 0;
}
