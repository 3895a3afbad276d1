// Fuzzes the batch CSV path: record reading, the header layout, rows into profiles, evaluation.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "core/csv.h"
#include "core/engine.h"
#include "core/profile_csv.h"
#include "fuzz_support.h"
#include "report/batch.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace subsidy;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  csv::Reader reader(in);
  std::optional<csv::Record> header = reader.next(1 << 20);
  if (!header) return 0;
  Result<CsvProfileLayout> layout =
      CsvProfileLayout::from_header(*header, "fuzz.csv", fuzz::builtin().vocabulary());
  if (!layout.ok()) return 0;
  std::size_t row = 0;
  while (std::optional<csv::Record> record = reader.next(1 << 20)) {
    Result<Profile> p = layout.value().read(*record, "fuzz.csv", fuzz::builtin().vocabulary());
    if (!p.ok()) continue;
    Report report = evaluate(fuzz::builtin(), p.value());
    BatchRecord r;
    make_record(++row, record->line, fuzz::builtin(), report, Lang::En, false, r);
    (void)batch_jsonl(r, fuzz::builtin());
    (void)batch_csv_row(r);
  }
  return 0;
}
