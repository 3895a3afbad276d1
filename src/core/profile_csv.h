// Profiles written as CSV rows: the header names fact paths (docs/profile.md, "Profiles in CSV"),
// checked once against the vocabulary; each row becomes a Profile exactly as its JSON form would.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/diagnostic.h"
#include "core/json.h"
#include "core/model.h"
#include "core/profile.h"

namespace subsidy {

class CsvProfileLayout {
 public:
  // Errors for unknown facts, malformed paths and repeated columns, located in the header.
  static Result<CsvProfileLayout> from_header(const csv::Record& header, const std::string& source,
                                              const Vocabulary& vocabulary);

  // The profile of one data row; problems are located at the row's line and the cell's column.
  Result<Profile> read(const csv::Record& row, const std::string& source,
                       const Vocabulary& vocabulary) const;

  // The same without a JSON draft (batch's path): the row's cells straight into `profile`, whose
  // storage is reused from row to row (only the facts this layout's columns name are cleared).
  // True only for a row `read` accepts with no diagnostic, and then `profile` is what `read`
  // returns; false for any other row (and for a cell this path leaves to `read`: a list as JSON,
  // roles as JSON, the replaced kind), and the caller calls `read` for its messages.
  // Thread-safe: const, and `profile` belongs to the caller.
  bool read_fast(const csv::Record& row, const std::string& source, const Vocabulary& vocabulary,
                 Profile& profile) const;

  std::size_t columns() const { return columns_.size(); }
  int id_column() const;

 private:
  struct Column {
    enum class Kind {
      Id,
      Name,
      OldKind,  // the replaced `kind`: each row is refused with what to write instead
      Form,
      Roles,
      Region,
      PolicyYear,
      Fact,
      FactYear,
      ListJson,
      ListField
    };
    Kind kind = Kind::Fact;
    std::string fact;     // fact (or list) name
    int decl = -1;        // its index in the vocabulary, found once from the header
    std::string field;    // list field
    std::string year;     // "2022" for per-year cells
    int year_number = 0;  // the same as a number (read_fast)
    int item = 0;         // list item index
  };
  std::vector<Column> columns_;
  std::size_t facts_ = 0;  // distinct facts among the columns

  // For read_fast, planned once from the header: the facts to clear between rows; per list
  // (in name order, as `read` adds them) its items by index, each with its cells (column, field).
  struct ListPlan {
    int decl = -1;
    std::vector<std::vector<std::pair<std::size_t, int>>> items;
  };
  std::vector<int> fact_slots_;
  std::vector<ListPlan> lists_;
  bool fast_ = true;  // false: a column read_fast does not read (a per-year list field)
  void plan_fast(const Vocabulary& vocabulary);
  bool fast_cell(const Column& c, std::string_view cell, int line, int col,
                 const Vocabulary& vocabulary, Profile& p) const;
  bool fast_lists(const csv::Record& row, const Vocabulary& vocabulary, Profile& p) const;

  // A header cell's problem: the message and its code.
  struct Problem {
    Message message;
    std::string code;
  };
  // The column a header cell names (`seen` holds the names before it, and gets this one), or
  // nullopt with `problem` set.
  static std::optional<Column> column_of(const std::string& name, const Vocabulary& vocabulary,
                                         std::set<std::string>& seen, Problem& problem);
  // LIST[N].FIELD (`path` without the @YEAR), the rest of column_of.
  static std::optional<Column> list_field_of(const std::string& name, const std::string& path,
                                             const FactDecl& decl, Column c,
                                             std::set<std::string>& seen, Problem& problem);

  // A row being read: the profile's JSON as built so far, the list items by list and index, and
  // the problems met.
  struct RowDraft {
    json::Draft root;
    json::Draft facts;
    std::map<std::string, std::map<int, json::Draft>> items;
    std::vector<Diagnostic> errors;
  };
  // Puts one non-empty cell of column `c` into the draft.
  void put_cell(const Column& c, std::string_view cell, int line, int col,
                const std::string& source, const Vocabulary& vocabulary, RowDraft& row) const;
  // The columns of the profile's own keys (id, name, form, roles, region, policy_year, and the
  // replaced kind): the column kind of a header name, nullopt for a fact's; the key of a kind.
  static std::optional<Column::Kind> own_key(std::string_view name);
  static std::string_view own_name(Column::Kind kind);
};

}  // namespace subsidy
