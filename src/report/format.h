// The output formats, one table: the id a `--format` option or the server's `format` query takes
// ("json") and the file extension that asks for it. Each command offers some of them (its option
// lists which, from this table); the options are read into a Format once, and the renderers take
// the enum. Constant table: thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/tables.h"

namespace subsidy {

enum class Format : std::uint8_t { Table, Json, Csv, Markdown, Html, JsonLines, Xlsx };

struct FormatInfo {
  Format format;
  std::string_view id;
  std::string_view extension;  // lower case, with its dot; empty for the terminal table
};

inline constexpr FormatInfo kFormats[] = {
    {Format::Table, "table", ""},    {Format::Json, "json", ".json"},
    {Format::Csv, "csv", ".csv"},    {Format::Markdown, "md", ".md"},
    {Format::Html, "html", ".html"}, {Format::JsonLines, "jsonl", ".jsonl"},
    {Format::Xlsx, "xlsx", ".xlsx"},
};
static_assert(in_enum_order(kFormats, &FormatInfo::format), "kFormats is indexed by Format");

inline std::string_view format_id(Format format) {
  return kFormats[static_cast<std::size_t>(format)].id;
}

// The format written `id`; null for any other text.
inline const FormatInfo* format_of(std::string_view id) {
  return find_by_key(kFormats, &FormatInfo::id, id);
}

// The format among `offered` that a file name's extension (lower case) asks for; `otherwise`
// when none does.
inline Format format_of_extension(std::string_view extension, std::span<const Format> offered,
                                  Format otherwise) {
  for (Format f : offered) {
    if (!extension.empty() && kFormats[static_cast<std::size_t>(f)].extension == extension)
      return f;
  }
  return otherwise;
}

}  // namespace subsidy
