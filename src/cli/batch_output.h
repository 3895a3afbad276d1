// Where `subsidy batch` writes its records, through an OutputFile: JSON Lines or CSV, or an XLSX
// workbook (libxlsxwriter, constant memory) with summary and detail sheets that continue on
// further sheets ("detail 2", ...) at the format's row limit instead of dropping rows.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "cli/io.h"
#include "report/batch.h"
#include "report/format.h"

namespace subsidy::cli {

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // Text for one record into `out` (replacing what an earlier record left there; its storage is
  // reused), computed on a worker thread (must not touch the sink's state).
  virtual void render(const BatchRecord& record, std::string& out) const = 0;
  // Called in input order on the writing thread with render()'s result.
  virtual void write(const BatchRecord& record, const std::string& rendered) = 0;
  // Completes the content; the caller then commits `out`.
  virtual void finish() = 0;
};

// XLSX is written by path into out.file_path() (make it with by_path); text formats through
// out.write(). Notes for people in the workbook are in `lang`.
std::unique_ptr<RecordSink> make_sink(Format format, OutputFile& out, const RuleSet& rules,
                                      bool excel_bom, Lang lang);

}  // namespace subsidy::cli
