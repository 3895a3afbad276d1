// Batch output: one record per input row (a profile's results, or the row's error), rendered as a
// JSON Lines line, a CSV row, or spreadsheet cells. Pure: the CLI does the writing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/engine.h"
#include "core/profile.h"
#include "core/unread.h"

namespace subsidy {

// The keys of a JSON Lines record's "rules" object, in order: every outcome a listed rule can
// have. Each holds the rules with that outcome; the first two map rule id → amount, the others
// list ids.
inline constexpr Status kRecordOutcomes[] = {
    Status::Eligible,  Status::Excluded,    Status::EligibleUnspecified,
    Status::NeedsInfo, Status::NotEligible, Status::Error};

struct BatchRecord {
  std::size_t row = 0;  // 1-based position among the input's data rows
  int line = 0;         // where the row starts in the input file
  bool ok = false;
  std::string id;
  std::string name;
  std::string form;
  std::string roles;  // as a CSV cell writes them: ids joined by ';', "[]" none, empty unknown
  std::string region;
  int policy_year = 0;
  std::string error;  // for a bad row: what is wrong, located
  // Per document of the rule set, in its order: nullopt when the document does not apply.
  std::vector<std::optional<Decimal>> document_totals;
  Decimal total;
  bool total_is_floor = false;
  Decimal tax_relief;
  Decimal fee_reduction;  // fees and tolls reduced or waived: beside the total, not in it
  struct Line {           // 24 bytes: a batch keeps about 90 of these per row in flight
    const Rule* rule = nullptr;
    Decimal amount;  // when has_amount
    std::uint32_t document = 0;
    Status status = Status::NotEligible;
    bool has_amount = false;
  };
  // Every evaluated rule except those for other kinds of applicant, grouped by outcome in the
  // order of kRecordOutcomes, each group in rule-file order.
  std::vector<Line> rules;
  // Facts the profile gives that no rule in force for it reads (JSON Lines: "warnings").
  std::vector<UnreadFact> warnings;
  // With make_record's `with_reasons` (the XLSX detail sheet): per line of `rules`, the one-line
  // reason of the reports (why it does not pay, what is missing), in the run's language.
  std::vector<std::string> reasons;
};

// The record of an evaluated report into `r`, every field but `warnings` replaced and the storage
// of its strings and vectors reused: a worker makes a record per row into the same few records,
// so that none is allocated per row. `with_reasons`: fill BatchRecord::reasons (the report must
// have been evaluated with reasons).
void make_record(std::size_t row, int line, const RuleSet& rules, const Report& report, Lang lang,
                 bool with_reasons, BatchRecord& r);
// `documents`: the rule set's document count, so that every record has the same columns.
BatchRecord error_record(std::size_t row, int line, std::string id, std::string error,
                         std::size_t documents);

// A record's JSON Lines line (docs/output.md), newline included.
std::string batch_jsonl(const BatchRecord& record, const RuleSet& rules);

// batch_jsonl for the many records of one run, the same text: what every record repeats (each
// document's number as a JSON key) is made once, here. Immutable once made, so the workers that
// render may share one; it must not outlive `rules`.
class BatchJsonl {
 public:
  explicit BatchJsonl(const RuleSet& rules);
  // batch_jsonl's text into `out`, replacing what it held and reusing its storage: a batch's
  // worker renders every record into one string, without an allocation per record.
  void write(const BatchRecord& record, std::string& out) const;

 private:
  const RuleSet& rules_;
  std::vector<std::string> document_keys_;  // per document: "number":" as the record writes it
  std::size_t longest_id_ = 0;              // of the rules: bounds a record's length
};

// Scoring one row, shared by `batch` and the server's /v1/batch so that both give the same record.
// What was read of a row: its profile, or the problems that prevented one (and the id when it can
// still be read).
struct RowInput {
  std::optional<Profile> profile;
  std::vector<Diagnostic> errors;
  std::string id;
};
// A JSON Lines row's text read as a profile; every problem is located at `line`.
RowInput read_json_row(std::string_view text, int line, const std::string& source,
                       const Vocabulary& vocabulary);
// The same, for a row already parsed.
RowInput read_json_row(const json::Value& root, int line, const std::string& source,
                       const Vocabulary& vocabulary);
struct RowScoring {
  Lang lang = Lang::Zh;
  bool strict = false;           // a fact no rule in force for the profile reads makes the row bad
  bool with_reasons = false;     // BatchRecord::reasons filled (the XLSX detail sheet)
  int relocate_line = 0;         // not 0: --strict's problems are located at this line (JSON Lines)
  UnreadMemo* unread = nullptr;  // the worker's memo of unread facts (core/unread), if it has one
};
// The record of a row into `out` (every field replaced): evaluated (no trace) into `report`, or
// an error record naming the first problems. Both reuse their storage from row to row.
// Thread-safe over a const RuleSet.
void score_row(RowInput input, std::size_t row, int line, const RuleSet& rules,
               const RowScoring& how, Report& report, BatchRecord& out);
// The same for a profile read without problems (the batch's fast path), which it only reads.
void score_profile(const Profile& profile, std::size_t row, int line, const RuleSet& rules,
                   const RowScoring& how, Report& report, BatchRecord& out);
// The first few errors of a row, then how many more, in `lang`: a record stays small however bad
// the row.
std::string first_error(const std::vector<Diagnostic>& errors, Lang lang);
std::string batch_csv_header(const RuleSet& rules);
std::string batch_csv_row(const BatchRecord& record);

// Spreadsheet cells: the summary sheet (one row per profile) and the detail sheet (one row per
// profile × rule). A cell is text, or a number given by its exact decimal text.
struct Cell {
  std::string text;
  bool number = false;
};
// The CSV's header (ids) and one profile's row.
std::vector<Cell> summary_header(const RuleSet& rules);
std::vector<Cell> summary_row(const BatchRecord& record);

// The XLSX sheets, for people: headers, statuses and kinds in words in `lang`, money in columns by
// benefit kind (grants, tax relief, fee reductions, and amounts not counted), a width per column.
struct SheetColumn {
  std::string header;
  int width = 10;  // in characters
};
std::string sheet_name(bool detail, Lang lang);  // 汇总 / 明细, summary / detail
std::vector<SheetColumn> sheet_summary_columns(const RuleSet& rules, Lang lang);
std::vector<Cell> sheet_summary_row(const BatchRecord& record, Lang lang);
std::vector<SheetColumn> sheet_detail_columns(Lang lang);
std::vector<std::vector<Cell>> sheet_detail_rows(const BatchRecord& record, const RuleSet& rules,
                                                 Lang lang);

// The summary sheet's total row: per money column, the sum over the profiles scored (error rows
// add nothing); a sum beyond the representable range is shown as an overflow, never wrapped.
class SheetTotals {
 public:
  explicit SheetTotals(const RuleSet& rules);
  void add(const BatchRecord& record);
  std::vector<Cell> row(Lang lang) const;

 private:
  struct Sum {
    Decimal total;
    bool overflow = false;
    void add(Decimal amount);
  };
  std::vector<Sum> documents_;
  Sum total_, tax_relief_, fee_reduction_;
  std::size_t profiles_ = 0;
};

// The closing summary of a run: profiles, errors, per document and per category the number of
// eligible grants and their total, then tax relief and fee reductions apart (in no total of
// grants), and per fact the profiles that give it though no rule in force for them reads it. A sum
// that overflows is shown as an overflow, never wrapped or left partial.
class BatchSummary {
 public:
  explicit BatchSummary(const RuleSet& rules);
  void add(const BatchRecord& record);
  std::string render(Lang lang) const;
  std::size_t errors() const { return errors_; }
  std::size_t profiles() const { return profiles_; }

 private:
  struct Tally {
    std::size_t eligible = 0;
    Decimal total;
    bool overflow = false;  // the sum left the representable range: shown as overflow
    void add(Decimal amount);
    std::string text(Lang lang) const;  // the money, or that it overflowed
  };
  std::string savings_text(Lang lang) const;
  const RuleSet& rules_;
  std::size_t profiles_ = 0;
  std::size_t errors_ = 0;
  std::vector<Tally> documents_;
  std::vector<std::pair<const CategoryName*, Tally>> categories_;  // in order of first payment
  std::vector<std::size_t> unread_;  // by fact: the profiles that give it and no rule reads it
  std::size_t warned_ = 0;           // profiles with such a fact
  Tally total_;
  // By kBenefits position: tax relief and fee reductions, beside the total of grants, never in it
  // (the grants' entry is unused: grants are in total_, documents_ and categories_).
  std::vector<Tally> savings_;
};

}  // namespace subsidy
