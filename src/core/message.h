// A user-facing message in both languages (English and Simplified Chinese), built once where a
// problem is found; the CLI and the renderers pick one with in(lang).
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/tables.h"

namespace subsidy {

// The languages of every text for people, one table: the id `--lang`, SUBSIDY_LANG and the
// server's `lang` take. Read once where the id comes in (cli::run_language, add_lang_option, the
// server's query); everything else takes the enum. Chinese is the default.
enum class Lang : std::uint8_t { Zh, En };

struct LangInfo {
  Lang lang;
  std::string_view id;
};

inline constexpr LangInfo kLangs[] = {{Lang::Zh, "zh"}, {Lang::En, "en"}};
static_assert(in_enum_order(kLangs, &LangInfo::lang), "kLangs is indexed by Lang");

inline std::string_view lang_id(Lang lang) {
  return kLangs[static_cast<std::size_t>(lang)].id;
}

// The language written `id`; null for any other text.
inline const LangInfo* lang_of(std::string_view id) {
  return find_by_key(kLangs, &LangInfo::id, id);
}

struct Message {
  std::string en;  // the reference text
  std::string zh;

  // An empty Chinese text falls back to English rather than printing nothing.
  const std::string& in(Lang lang) const { return lang == Lang::En || zh.empty() ? en : zh; }
  bool empty() const { return en.empty() && zh.empty(); }
};

// Formats the same arguments into both texts, each format checked at compile time:
//   msg("unknown key \"{}\"", "未知的键 \"{}\"", key)
template <class... Args>
Message msg(fmt::format_string<const Args&...> en, fmt::format_string<const Args&...> zh,
            const Args&... args) {
  return Message{fmt::vformat(fmt::string_view(en), fmt::make_format_args(args...)),
                 fmt::vformat(fmt::string_view(zh), fmt::make_format_args(args...))};
}

}  // namespace subsidy
