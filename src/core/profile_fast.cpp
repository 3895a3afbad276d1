#include "core/profile_fast.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/region.h"
#include "core/reuse.h"
#include "core/utf8.h"
#include "core/words.h"

namespace subsidy {
namespace {

using words::has_byte;
using words::has_less;
using words::kHighs;
using words::kOnes;
using words::load8;

// Per 8 bytes, how many are UTF-8 continuation bytes (10xxxxxx): a byte sum by multiplication
// (no popcount instruction in the x86-64 baseline).
std::size_t continuations(std::uint64_t w) {
  std::uint64_t bits = (w & ~(w << 1) & kHighs) >> 7;
  return static_cast<std::size_t>((bits * kOnes) >> 56);
}

// What plain_text learns of a line for columns: every continuation byte lies before `high_end`,
// and there are `continuation` of them in all.
struct TextShape {
  std::size_t high_end = 0;
  std::size_t continuation = 0;
};

// Text the fast path may read: no control byte (none is valid in a JSON string, and the line end
// was cut off already), no backslash (escapes are decoded by the located reader only, so both
// paths never disagree on one), no byte-order mark. Eight bytes at a time: it runs on every row.
bool plain_text(std::string_view s, TextShape& shape) {
  if (s.starts_with("\xEF\xBB\xBF")) return false;
  shape = TextShape{};
  std::size_t i = 0;
#ifdef __SSE2__
  // Sixteen bytes at a time where x86-64's baseline allows: the same tests, half the instructions.
  const __m128i below_space = _mm_set1_epi8(0x1F);
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i continuation_end = _mm_set1_epi8(static_cast<char>(0xC0));
  for (; i + 16 <= s.size(); i += 16) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(x, below_space), x);  // x <= 0x1F, unsigned
    if (_mm_movemask_epi8(_mm_or_si128(control, _mm_cmpeq_epi8(x, backslash))) != 0) return false;
    if (_mm_movemask_epi8(x) != 0) {  // a byte >= 0x80
      shape.high_end = i + 16;
      // 0x80–0xBF are the signed bytes below (signed) 0xC0.
      auto bits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmplt_epi8(x, continuation_end)));
      shape.continuation += static_cast<std::size_t>(std::popcount(bits));
    }
  }
#endif
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w = load8(s.data() + i);
    if (has_less(w, 0x20) || has_byte(w, '\\')) return false;
    if ((w & kHighs) != 0) {
      shape.high_end = i + 8;
      shape.continuation += continuations(w);
    }
  }
  for (; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '\\') return false;
    if (c >= 0x80) shape.high_end = i + 1;
    shape.continuation += (c & 0xC0) == 0x80;
  }
  return true;
}

// UTF-8 continuation bytes in [p, p + n).
std::size_t continuation_bytes(const char* p, std::size_t n) {
  std::size_t count = 0, i = 0;
  for (; i + 8 <= n; i += 8) count += continuations(load8(p + i));
  for (; i < n; ++i) count += (static_cast<unsigned char>(p[i]) & 0xC0) == 0x80;
  return count;
}

bool digit(char c) {
  return c >= '0' && c <= '9';
}

// The whole of `s` is a JSON number (RFC 8259), as core/json reads one.
bool json_number(std::string_view s) {
  std::size_t i = 0, n = s.size();
  auto digits = [&] {
    std::size_t from = i;
    while (i < n && digit(s[i])) ++i;
    return i - from;
  };
  if (i < n && s[i] == '-') ++i;
  if (i < n && s[i] == '0') {
    ++i;
  } else if (digits() == 0) {
    return false;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == n;
}

}  // namespace

// The usual short form (at most 12 integer digits without a leading zero, at most 6 decimals) is
// converted here, where Decimal::parse gives the same value; anything else by Decimal::parse
// itself, so the two paths cannot differ on a number.
std::optional<Decimal> read_decimal(std::string_view s) {
  std::size_t i = 0, n = s.size();
  bool negative = i < n && s[i] == '-';
  if (negative) ++i;
  std::size_t start = i;
  std::int64_t v = 0;
  // One unsigned test per digit (a byte below '0' wraps above 9).
  auto digits = [&](std::size_t limit, std::int64_t& into) {
    for (limit = std::min(limit, n); i < limit; ++i) {
      auto d = static_cast<unsigned char>(s[i] - '0');
      if (d > 9) break;
      into = into * 10 + d;
    }
  };
  digits(start + 12, v);
  std::size_t length = i - start;
  bool simple = length > 0 && !(length > 1 && s[start] == '0') && (i == n || s[i] == '.');
  if (simple && i < n) {
    static constexpr std::int64_t kScale[] = {1'000'000, 100'000, 10'000, 1'000, 100, 10, 1};
    std::size_t frac = ++i;
    std::int64_t f = 0;
    digits(frac + 6, f);  // at most six decimals: a seventh leaves i short of n
    v = v * Decimal::kOne + f * kScale[i - frac];
    simple = i > frac && i == n;
  } else if (simple) {
    v *= Decimal::kOne;
  }
  if (simple) return Decimal::from_units(negative ? -v : v);
  return Decimal::parse(s, 0, nullptr);
}

namespace {

// The vocabulary's fact names, looked up by a key's text (a dozen per row): open addressing over
// a power-of-two table at most a quarter full, hashed from the key's length and its first and last
// eight bytes. std::unordered_map hashed every byte and divided by a prime per look-up.
class NameTable {
 public:
  explicit NameTable(const Vocabulary& vocabulary) {
    std::size_t size = 16;
    while (size < 4 * vocabulary.facts.size()) size *= 2;
    slots_.assign(size, Slot{});
    mask_ = size - 1;
    for (std::size_t i = 0; i < vocabulary.facts.size(); ++i) {
      std::string_view name = vocabulary.facts[i].name;
      std::size_t at = hash(name) & mask_;
      while (slots_[at].index >= 0) at = (at + 1) & mask_;
      slots_[at] = Slot{name, static_cast<int>(i)};
    }
  }
  // The fact's index, or -1 when no fact has that name.
  int find(std::string_view key) const {
    for (std::size_t at = hash(key) & mask_;; at = (at + 1) & mask_) {
      const Slot& slot = slots_[at];
      if (slot.index < 0) return -1;
      if (slot.name.size() == key.size() &&
          std::memcmp(slot.name.data(), key.data(), key.size()) == 0)
        return slot.index;
    }
  }

 private:
  struct Slot {
    std::string_view name;
    int index = -1;
  };
  static std::size_t hash(std::string_view s) {
    std::uint64_t h = s.size() * 0x9E3779B97F4A7C15ULL;
    if (s.size() >= 8) {
      h ^= load8(s.data()) * 0xC2B2AE3D27D4EB4FULL;
      h ^= load8(s.data() + s.size() - 8) * 0x165667B19E3779F9ULL;
    } else {
      std::uint64_t w = 0;
      std::memcpy(&w, s.data(), s.size());
      h ^= w * 0xC2B2AE3D27D4EB4FULL;
    }
    return static_cast<std::size_t>(h ^ (h >> 29) ^ (h >> 47));
  }
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
};

void clear_fact(FactValue& fact, std::vector<Item>& spare) {
  fact.present = false;
  fact.scalar = Decimal();
  fact.years.clear();
  for (Item& item : fact.items) spare.push_back(std::move(item));
  fact.items.clear();
}

// The top-level keys read_profile allows, as bits (kind is refused there, so it is not here).
enum TopKey : unsigned {
  kTopId = 1,
  kTopName = 2,
  kTopSchema = 4,
  kTopForm = 8,
  kTopRoles = 16,
  kTopRegion = 32,
  kTopPolicyYear = 64,
  kTopFacts = 128
};

unsigned top_key(std::string_view key) {
  static constexpr std::pair<std::string_view, TopKey> kKeys[] = {{"id", kTopId},
                                                                  {"name", kTopName},
                                                                  {"$schema", kTopSchema},
                                                                  {"form", kTopForm},
                                                                  {"roles", kTopRoles},
                                                                  {"region", kTopRegion},
                                                                  {"policy_year", kTopPolicyYear},
                                                                  {"facts", kTopFacts}};
  for (const auto& [name, bit] : kKeys) {
    if (name == key) return bit;
  }
  return 0;
}

// A cursor over one line that plain_text and utf8::valid accepted: no backslash, no control byte
// (so the only whitespace is the space), well-formed UTF-8. Each method reads one token after
// any spaces and returns false, reading nothing it can use, when the next token is not that one.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool eat(char c) {
    skip_spaces();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  char peek() {
    skip_spaces();
    return p_ == end_ ? '\0' : *p_;
  }
  bool at_end() {
    skip_spaces();
    return p_ == end_;
  }
  // A string's text: with no backslash in the line, the bytes up to the next quote.
  bool string(std::string_view& out) { return eat('"') && string_rest(out); }
  // The same when peek() has just returned '"' (the cursor is on it): no second skip.
  bool string_here(std::string_view& out) {
    ++p_;
    return string_rest(out);
  }
  // Steps over the byte peek() has just returned.
  void step() { ++p_; }
  // A number: the run of number characters, which must be a JSON number as a whole (a letter
  // right after it is then no delimiter, and the caller's next token fails).
  bool number(std::string_view& out) {
    skip_spaces();
    const char* start = p_;
    while (p_ != end_ && number_char(*p_)) ++p_;
    out = {start, static_cast<std::size_t>(p_ - start)};
    return json_number(out);
  }
  // true, false or null.
  bool literal(std::string_view word) {
    skip_spaces();
    if (static_cast<std::size_t>(end_ - p_) < word.size() ||
        std::memcmp(p_, word.data(), word.size()) != 0)
      return false;
    p_ += word.size();
    return true;
  }
  // The object's next member's key, after '{' (first) or before ',' (later): false at its end
  // ('}' is eaten) or on a syntax error (`ok` is then false).
  // Each run of spaces is skipped once: three skips a member, where eat() per token took four.
  bool next_key(bool first, std::string_view& key, bool& ok) {
    ok = true;
    char c = peek();
    if (c == '}') {
      ++p_;
      return false;
    }
    if (!first) {
      if (c != ',') return ok = false;
      ++p_;
      c = peek();
    }
    if (c != '"' || !string_here(key) || !eat(':')) return ok = false;
    return true;
  }
  // The array's next element, after '[' (first) or before ',' (later): false at its end (']' is
  // eaten) or on a syntax error (`ok` is then false).
  bool next_element(bool first, bool& ok) {
    ok = true;
    if (eat(']')) return false;
    if (!first && !eat(',')) return ok = false;
    return true;
  }

 private:
  static bool number_char(char c) {
    return digit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
  }
  void skip_spaces() {
    while (p_ != end_ && *p_ == ' ') ++p_;
  }
  // After a string's opening quote: with no backslash in the line, up to the next quote.
  bool string_rest(std::string_view& out) {
    const void* quote = std::memchr(p_, '"', static_cast<std::size_t>(end_ - p_));
    if (!quote) return false;
    out = {p_, static_cast<std::size_t>(static_cast<const char*>(quote) - p_)};
    p_ = static_cast<const char*>(quote) + 1;
    return true;
  }
  const char* p_;
  const char* end_;
};

}  // namespace

struct FastProfileReader::Impl {
  explicit Impl(const Vocabulary& v) : vocabulary(v), by_name(v), seen(v.facts.size(), 0) {}

  bool read(std::string_view text, const std::string& source, Profile& p);

 private:
  void reset(Profile& p);
  int column(const char* quote);
  bool object(Scanner& in, Profile& p);
  bool top(unsigned key, Scanner& in, Profile& p);
  bool policy_year(Scanner& in, Profile& p);
  bool roles(Scanner& in, Profile& p);
  bool facts(Scanner& in, Profile& p);
  bool fact(const FactDecl& decl, Scanner& in, FactValue& out);
  bool per_year(const FactDecl& decl, Scanner& in, FactValue& out);
  bool list(const FactDecl& decl, Scanner& in, FactValue& out);
  bool item(const FactDecl& decl, Scanner& in, Item& out);
  // `c`: the byte in.peek() has just returned, the cursor on it.
  bool scalar(const FactDecl& decl, Scanner& in, char c, Scalar& out);
  bool text(Scanner& in, std::string& out);

  const Vocabulary& vocabulary;
  NameTable by_name;
  const char* base = nullptr;    // the line's first byte: columns count from it
  TextShape shape;               // columns: where the text's non-ASCII bytes are
  std::size_t counted = 0;       // columns: bytes counted so far
  std::size_t continuation = 0;  // and the continuation bytes among them
  const Profile* last = nullptr;
  std::vector<int> touched;         // facts set by the last read, to clear
  std::vector<std::uint32_t> seen;  // per fact: the read that gave it (duplicate keys)
  std::uint32_t generation = 0;
  bool roles_listed = false;  // this read gave `roles` as a list
  std::vector<Item> spare;    // items of earlier profiles, their storage reused
  std::vector<int> years;     // the years of one per-year fact (duplicate keys)
};

void FastProfileReader::Impl::reset(Profile& p) {
  if (&p != last || p.facts.size() != vocabulary.facts.size()) {
    p.facts.assign(vocabulary.facts.size(), FactValue{});
  } else {
    for (int f : touched) clear_fact(p.facts[static_cast<std::size_t>(f)], spare);
  }
  last = &p;
  touched.clear();
  if (++generation == 0) {  // wrapped: no stale mark may match
    std::fill(seen.begin(), seen.end(), 0);
    generation = 1;
  }
  p.id.clear();
  p.name.clear();
  p.form.clear();
  p.region.clear();
  p.policy_year = 0;
  p.role_mask = 0;
  p.given.clear();
  roles_listed = false;
  counted = continuation = 0;
}

// The column of the byte at `at`, counted as core/json counts (code points from 1); keys come in
// text order, so counting goes on from the last one.
int FastProfileReader::Impl::column(const char* at) {
  std::size_t offset = static_cast<std::size_t>(at - base);
  // Past the last non-ASCII byte (a name is usually written before the facts): all of them.
  if (offset >= shape.high_end) return static_cast<int>(offset - shape.continuation) + 1;
  continuation += continuation_bytes(base + counted, offset - counted);
  counted = offset;
  return static_cast<int>(offset - continuation) + 1;
}

bool FastProfileReader::Impl::read(std::string_view in, const std::string& source, Profile& p) {
  reset(p);
  if (!plain_text(in, shape)) return false;
  // Every multi-byte sequence ends before high_end: the rest is ASCII.
  if (shape.high_end != 0 && !utf8::valid(in.substr(0, shape.high_end))) return false;
  base = in.data();
  Scanner scanner(in);
  if (!scanner.eat('{') || !object(scanner, p) || !scanner.at_end()) return false;
  if (!roles_listed) p.roles.reset();  // absent or null: unknown ([] is none)
  if (p.source != source) p.source = source;
  return true;
}

// The profile's members, after its '{': each allowed key once, and the required ones all there.
bool FastProfileReader::Impl::object(Scanner& in, Profile& p) {
  unsigned keys = 0;
  std::string_view key;
  bool ok = true;
  for (bool first = true; in.next_key(first, key, ok); first = false) {
    unsigned bit = top_key(key);
    if (bit == 0 || (keys & bit) != 0) return false;  // unknown (or kind), or given twice
    keys |= bit;
    if (!top(bit, in, p)) return false;
  }
  constexpr unsigned kRequired = kTopRegion | kTopPolicyYear | kTopFacts | kTopForm;
  return ok && (keys & kRequired) == kRequired;
}

bool FastProfileReader::Impl::text(Scanner& in, std::string& out) {
  std::string_view s;
  if (!in.string(s)) return false;
  out.assign(s);
  return true;
}

bool FastProfileReader::Impl::top(unsigned key, Scanner& in, Profile& p) {
  switch (key) {
    case kTopId:
      return text(in, p.id);
    case kTopName:
      return text(in, p.name);
    case kTopSchema: {
      std::string_view ignored;
      return in.string(ignored);
    }
    case kTopForm:
      return text(in, p.form) && form_bit(p.form) != 0;
    case kTopRegion:
      return text(in, p.region) && is_region_code(p.region);
    case kTopPolicyYear:
      return policy_year(in, p);
    case kTopRoles:
      return roles(in, p);
    case kTopFacts:
      return in.eat('{') && facts(in, p);
  }
  return false;
}

// As Reader::integer and read_profile: a JSON number, whole, within 1990–2100.
bool FastProfileReader::Impl::policy_year(Scanner& in, Profile& p) {
  std::string_view token;
  if (!in.number(token)) return false;
  std::optional<Decimal> year = read_decimal(token);
  if (!year || year->units() % Decimal::kOne != 0) return false;
  if (year->whole() < 1990 || year->whole() > 2100) return false;
  p.policy_year = static_cast<int>(year->whole());
  return true;
}

// As read_roles: null (unknown), or a list of known role ids, each once.
bool FastProfileReader::Impl::roles(Scanner& in, Profile& p) {
  if (in.peek() == 'n') return in.literal("null");
  if (!in.eat('[')) return false;
  roles_listed = true;
  if (!p.roles) p.roles.emplace();
  std::vector<std::string>& roles = *p.roles;
  std::size_t n = 0;  // assigned over the last profile's roles: their storage is reused
  bool ok = true;
  for (bool first = true; in.next_element(first, ok); first = false) {
    std::string_view s;
    if (!in.string(s)) return false;
    unsigned bit = role_bit(s);
    if (bit == 0 || (p.role_mask & bit) != 0) return false;  // unknown, or listed twice
    p.role_mask |= bit;
    refill_slot(roles, n++).assign(s);
  }
  roles.resize(n);
  return ok;
}

// The facts' members, after their '{'.
bool FastProfileReader::Impl::facts(Scanner& in, Profile& p) {
  std::string_view key;
  bool ok = true;
  for (bool first = true; in.next_key(first, key, ok); first = false) {
    int index = by_name.find(key);
    if (index < 0) return false;
    std::size_t i = static_cast<std::size_t>(index);
    if (seen[i] == generation) return false;  // a duplicate key
    seen[i] = generation;
    touched.push_back(index);
    if (!fact(vocabulary.facts[i], in, p.facts[i])) return false;
    // The key's position, as read_profile keeps it (its opening quote; one line: line 1).
    if (p.facts[i].present) p.given.push_back(GivenFact{index, 1, column(key.data() - 1)});
  }
  return ok;
}

bool FastProfileReader::Impl::fact(const FactDecl& decl, Scanner& in, FactValue& out) {
  const char c = in.peek();
  if (c == 'n') return in.literal("null");  // not known: absent, as if not given
  if (decl.type == FactType::List || decl.per_year) {
    if (c != (decl.per_year ? '{' : '[')) return false;
    in.step();
    return decl.per_year ? per_year(decl, in, out) : list(decl, in, out);
  }
  out.present = true;
  return scalar(decl, in, c, out.scalar);
}

// After the '{': years as keys, each once; a null year is as if not given.
bool FastProfileReader::Impl::per_year(const FactDecl& decl, Scanner& in, FactValue& out) {
  out.present = true;
  years.clear();
  std::string_view key;
  bool ok = true;
  for (bool first = true; in.next_key(first, key, ok); first = false) {
    if (key.size() != 4 || !std::all_of(key.begin(), key.end(), digit)) return false;
    int year = (key[0] - '0') * 1000 + (key[1] - '0') * 100 + (key[2] - '0') * 10 + (key[3] - '0');
    if (std::find(years.begin(), years.end(), year) != years.end()) return false;
    years.push_back(year);
    const char c = in.peek();
    if (c == 'n') {
      if (!in.literal("null")) return false;
      continue;
    }
    out.years.emplace_back(year, Decimal());
    if (!scalar(decl, in, c, out.years.back().second)) return false;
  }
  std::sort(out.years.begin(), out.years.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return ok;
}

// After the '[': objects, each an item.
bool FastProfileReader::Impl::list(const FactDecl& decl, Scanner& in, FactValue& out) {
  out.present = true;
  bool ok = true;
  for (bool first = true; in.next_element(first, ok); first = false) {
    if (!in.eat('{') || out.items.size() >= kMaxListItems) return false;
    out.items.emplace_back();
    if (!spare.empty()) {
      Item& reused = out.items.back();
      reused = std::move(spare.back());
      spare.pop_back();
      // Fields of an item of the same shape are reset where they are, not destroyed and made
      // again (an item's fields are scalars: nothing to give back to `spare`).
      if (reused.fields.size() == decl.fields.size()) {
        for (FactValue& f : reused.fields) {
          f.present = false;
          f.scalar = Decimal();
        }
      } else {
        reused.fields.clear();
      }
    }
    if (!item(decl, in, out.items.back())) return false;
  }
  return ok;
}

// After the '{': the item's fields, each once.
bool FastProfileReader::Impl::item(const FactDecl& decl, Scanner& in, Item& out) {
  std::uint64_t given = 0;
  std::string_view key;
  bool ok = true;
  for (bool first = true; in.next_key(first, key, ok); first = false) {
    int f = decl.field_index(key);
    if (f < 0 || f >= 64) return false;
    const FactDecl& field_decl = decl.fields[static_cast<std::size_t>(f)];
    if (field_decl.type == FactType::List || field_decl.per_year) return false;
    std::uint64_t bit = std::uint64_t{1} << f;
    if ((given & bit) != 0) return false;  // a duplicate key
    given |= bit;
    // An item without fields takes no storage for them, as in read_profile.
    if (out.fields.empty()) out.fields.resize(decl.fields.size());
    if (!fact(field_decl, in, out.fields[static_cast<std::size_t>(f)])) return false;
  }
  if (given == 0) out.fields.clear();  // a reused item's reset fields: none given, none kept
  return ok;
}

bool FastProfileReader::Impl::scalar(const FactDecl& decl, Scanner& in, char c, Scalar& out) {
  std::string_view s;
  switch (decl.type) {
    case FactType::Number: {
      // A number, or a string holding one ("1234.56"), as read_profile takes both.
      if (c == '"' ? !in.string_here(s) : !in.number(s)) return false;
      std::optional<Decimal> d = read_decimal(s);
      if (!d || !number_allowed(decl, *d)) return false;
      out = *d;
      return true;
    }
    case FactType::Bool:
      if (c == 't' && in.literal("true")) {
        out = true;
        return true;
      }
      if (c == 'f' && in.literal("false")) {
        out = false;
        return true;
      }
      return false;
    case FactType::Enum:
      if (c != '"' || !in.string_here(s)) return false;
      if (std::find(decl.values.begin(), decl.values.end(), s) == decl.values.end()) return false;
      out = std::string(s);
      return true;
    case FactType::List:
      break;
  }
  return false;
}

FastProfileReader::FastProfileReader(const Vocabulary& vocabulary)
    : impl_(std::make_unique<Impl>(vocabulary)) {}
FastProfileReader::~FastProfileReader() = default;
FastProfileReader::FastProfileReader(FastProfileReader&&) noexcept = default;

bool FastProfileReader::read(std::string_view text, const std::string& source, Profile& profile) {
  return impl_->read(text, source, profile);
}

}  // namespace subsidy
