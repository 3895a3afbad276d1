// File access for the subcommands: reading inputs (or standard input for "-") and loading the
// rule set, built in or from a directory. Failures become cli::Fatal with the documented exit code.
#pragma once

#include <string>
#include <vector>

#include "cli/app.h"
#include "core/builtin_rules.h"
#include "core/model.h"

namespace subsidy::cli {

// The largest profile, rule, vocabulary or test file read whole (and the longest JSON Lines line
// or CSV record in a batch): far above any real one, low enough that hostile input cannot make
// the tool use more than a small multiple of it.
constexpr std::size_t kMaxInputBytes = 16u << 20;

// The whole content of `path`, or of standard input when path is "-"; refuses more than
// kMaxInputBytes while reading (any kind of file: regular, pipe, device), and says why a file
// cannot be opened (strerror: missing, no permission, a symlink loop).
std::string read_input(const std::string& path);

// A descriptor open for reading on `path` (not a directory), or Fatal(kBadInput) with the reason.
int open_input(const std::string& path);

// "PATH: cannot read file: REASON" for the errno `err`, as Fatal(kBadInput).
Fatal unreadable(const std::string& path, int err);

// Writes `content` to a temporary file beside `path` and renames it into place, so that `path`
// never holds a partial file. Throws Fatal(kBadInput) when it cannot.
void write_file_atomically(const std::string& path, const std::string& content);

// Rule, vocabulary and test files read from disk (or the built-in ones), kept alive for the
// SourceText views into them.
struct FileSet {
  std::vector<std::string> names;
  std::vector<std::string> texts;
  std::vector<SourceText> sources() const;
  std::vector<SourceText> tests() const;  // the *.tests.json files
  std::vector<SourceText> rules() const;  // every other file: vocabularies and rule files
};

// Every *.json file of each directory in `paths` (sorted), and each named file; the built-in
// rule files when `paths` is empty.
FileSet read_rule_files(const std::vector<std::string>& paths);

// The built-in rules, or every *.json file of `dir` but the *.tests.json files (`check` and `test`
// read those) when `dir` is not empty. Prints nothing; throws
// Fatal(kBadRules) with every diagnostic in the message.
RuleSet load_rules(const std::string& dir);

}  // namespace subsidy::cli
