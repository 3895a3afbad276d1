// Where `subsidy batch` writes its records: JSON Lines or CSV to a stream, or an XLSX workbook
// (libxlsxwriter) with a summary sheet and a detail sheet.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "report/batch.h"

namespace subsidy::cli {

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // Text for one record, computed on a worker thread (must not touch the sink's state).
  virtual std::string render(const BatchRecord& record) const = 0;
  // Called in input order on the writing thread with render()'s result.
  virtual void write(const BatchRecord& record, const std::string& rendered) = 0;
  virtual void finish() = 0;
};

// `path` is where an XLSX workbook is written (the temporary file); text formats use `out`.
std::unique_ptr<RecordSink> make_sink(const std::string& format, std::ostream& out,
                                      const std::string& path, const RuleSet& rules,
                                      bool excel_bom);

}  // namespace subsidy::cli
