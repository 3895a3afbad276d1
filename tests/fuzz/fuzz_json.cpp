// Fuzzes the JSON reader and exact number parsing, and checks two properties: a parsed number's
// text round-trips through Decimal, and arithmetic never wraps silently.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/decimal.h"
#include "core/json.h"

namespace {

void walk(const subsidy::json::Value& v, int depth) {
  using subsidy::Decimal;
  if (v.type == subsidy::json::Type::Number) {
    subsidy::Message error;
    std::optional<Decimal> d = Decimal::parse(v.text(), 0, &error);
    if (d) {
      std::optional<Decimal> back = Decimal::parse(d->str(), 0, &error);
      if (!back || *back != *d) std::abort();  // str() must be exact
      std::optional<Decimal> twice = subsidy::add(*d, *d);
      std::optional<Decimal> product = subsidy::mul(*d, Decimal::from_int(2));
      if (twice.has_value() != product.has_value()) std::abort();
      if (twice && *twice != *product) std::abort();
    }
  }
  for (const auto& item : v.items()) walk(item, depth + 1);
  for (const auto& m : v.members()) walk(m.value, depth + 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  subsidy::Result<subsidy::json::Tree> r = subsidy::json::parse(text, "fuzz.json");
  if (r.ok()) walk(r.value().root(), 0);
  subsidy::Message error;
  (void)subsidy::Decimal::parse_with_suffix(text.substr(0, 64), &error);
  return 0;
}
