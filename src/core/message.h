// A user-facing message in both languages (English and Simplified Chinese), built once where a
// problem is found; the CLI and the renderers pick one with in(lang).
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace subsidy {

struct Message {
  std::string en;  // the reference text
  std::string zh;

  // "en" gives English; anything else Chinese (the default language). An empty Chinese text falls
  // back to English rather than printing nothing.
  const std::string& in(std::string_view lang) const {
    return lang == "en" || zh.empty() ? en : zh;
  }
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
