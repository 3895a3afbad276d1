// The tool's own reading without evaluation: rows through core/rows, each parsed into a Profile
// against the vocabulary exactly as `subsidy batch` does (JSON Lines: the located JSON reader and
// read_profile; CSV: the header's layout), on one thread. bench/run.sh states it, like every pass,
// as a fraction of the floor (bench/floor). Not a product: it prints counts, no messages.
//
// usage: subsidy_parse_only FILE.jsonl|FILE.csv [--rules DIR]   prints "rows N bad B"
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "common/rules.h"
#include "core/profile.h"
#include "core/profile_csv.h"
#include "core/rows.h"
#include "core/ruleset.h"

namespace {

constexpr std::size_t kMaxRowBytes = 16u << 20;  // as cli/io.h's kMaxInputBytes

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && !(argc == 4 && std::string(argv[2]) == "--rules")) {
    std::fprintf(stderr, "usage: subsidy_parse_only FILE.jsonl|FILE.csv [--rules DIR]\n");
    return 2;
  }
  std::vector<std::string> texts;
  subsidy::RuleSet rules = subsidy::bench::load_rules(argc == 4 ? argv[3] : "", texts);
  std::string source = argv[1];
  std::ifstream in(source, std::ios::binary);
  if (!in) {
    std::perror(argv[1]);
    return 2;
  }
  bool csv = source.ends_with(".csv");
  subsidy::RowReader reader(in, csv ? subsidy::RowFormat::Csv : subsidy::RowFormat::JsonLines,
                            kMaxRowBytes);
  std::optional<subsidy::CsvProfileLayout> layout;
  if (csv) {
    std::optional<subsidy::csv::Record> header = reader.header();
    if (!header) return 2;
    auto parsed = subsidy::CsvProfileLayout::from_header(*header, source, rules.vocabulary());
    if (!parsed.ok()) return 2;
    layout = std::move(parsed.value());
  }
  std::size_t rows = 0, bad = 0;
  subsidy::Row row;
  while (reader.next(row)) {
    ++rows;
    if (layout) {
      if (!layout->read(row.record, source, rules.vocabulary()).ok()) ++bad;
      continue;
    }
    subsidy::Result<subsidy::json::Tree> root = subsidy::parse_json_row(row, source, kMaxRowBytes);
    std::vector<subsidy::Diagnostic> errors;
    if (root.ok()) subsidy::read_profile(root.value().root(), source, rules.vocabulary(), errors);
    if (!root.ok() || subsidy::has_errors(errors)) ++bad;
  }
  std::printf("rows %zu bad %zu\n", rows, bad);
  return 0;
}
