// Fuzzes profile loading, evaluation against the real rules, and every report format.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/engine.h"
#include "core/profile.h"
#include "fuzz_support.h"
#include "report/render.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace subsidy;
  std::string text(reinterpret_cast<const char*>(data), size);
  Result<Profile> profile = load_profile(text, "fuzz.json", fuzz::builtin().vocabulary());
  if (!profile.ok()) return 0;
  Report report = evaluate(fuzz::builtin(), profile.value());
  for (Format f : {Format::Table, Format::Json, Format::Csv, Format::Markdown}) {
    (void)render_report(report, f, Lang::Zh);
  }
  (void)render_report(report, Format::Table, Lang::En);
  return 0;
}
