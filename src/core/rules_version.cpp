#include "core/rules_version.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace subsidy {

std::string rules_version(const std::vector<SourceText>& files) {
  std::vector<const SourceText*> sorted;
  for (const SourceText& f : files) {
    if (!f.name.ends_with(".tests.json")) sorted.push_back(&f);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const SourceText* a, const SourceText* b) { return a->name < b->name; });
  std::uint64_t h = 14695981039346656037ull;
  auto feed = [&h](std::string_view s) {
    for (char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
    h ^= 0;
    h *= 1099511628211ull;
  };
  for (const SourceText* f : sorted) {
    // The name without its directory: the same files read from another folder are the same rules.
    std::string_view name = f->name;
    std::size_t slash = name.find_last_of('/');
    feed(slash == std::string_view::npos ? name : name.substr(slash + 1));
    feed(f->text);
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

}  // namespace subsidy
