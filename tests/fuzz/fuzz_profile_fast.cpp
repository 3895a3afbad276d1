// Fuzzes the batch's fast JSON Lines path (core/profile_fast) against the located reader
// (json::parse + read_profile): whenever the fast path reads a text, the located reader must read
// it with no diagnostic into the same Profile; otherwise the fast path declines and the located
// reader's answer stands, so the two can never disagree in a batch. A mismatch aborts. One reader
// and one Profile are reused across inputs, as a batch worker reuses them from row to row.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/profile.h"
#include "core/profile_fast.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace subsidy;
  static FastProfileReader fast(fuzz::builtin().vocabulary());
  static Profile reused;
  const std::string source = "fuzz.jsonl";
  std::string text(reinterpret_cast<const char*>(data), size);
  if (!fast.read(text, source, reused)) return 0;
  Result<json::Tree> tree = json::parse(text, source);
  if (!tree.ok()) std::abort();  // the fast path read a text that is not JSON
  std::vector<Diagnostic> diagnostics;
  Profile located =
      read_profile(tree.value().root(), source, fuzz::builtin().vocabulary(), diagnostics);
  if (!diagnostics.empty() || !(located == reused)) std::abort();
  return 0;
}
