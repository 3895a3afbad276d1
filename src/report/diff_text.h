// Renders `subsidy diff` results: a terminal table, JSON, or Markdown to paste into a pull-request
// comment. The table and Markdown are in `lang`; JSON is the same in both.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/diff.h"

namespace subsidy {

struct DiffSummary {
  int profiles = 0;
  int affected = 0;
  int bad_rows = 0;
  Decimal up;    // sum of the grand-total increases
  Decimal down;  // sum of the grand-total decreases (positive)
};

DiffSummary summarize(const std::vector<ProfileDiff>& diffs, int bad_rows);
std::string render_diff_table(const std::vector<ProfileDiff>& diffs, const DiffSummary& summary,
                              Lang lang);
std::string render_diff_json(const std::vector<ProfileDiff>& diffs, const DiffSummary& summary);
std::string render_diff_markdown(const std::vector<ProfileDiff>& diffs, const DiffSummary& summary,
                                 Lang lang);

}  // namespace subsidy
