// File access for the subcommands: reading inputs (or standard input for "-"), loading the rule
// set, built in or from a directory, and the one way output files are written (OutputFile).
// Failures become cli::Fatal with the documented exit code and the system's reason.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli/app.h"
#include "core/builtin_rules.h"
#include "core/message.h"
#include "core/model.h"
#include "report/render.h"

struct stat;

namespace subsidy {
class DirectWriter;
}

namespace subsidy::cli {

// The largest profile, rule, vocabulary or test file read whole (and the longest JSON Lines line
// or CSV record in a batch): far above any real one, low enough that hostile input cannot make
// the tool use more than a small multiple of it.
constexpr std::size_t kMaxInputBytes = 16u << 20;

// The whole content of `path`, or of standard input when path is "-"; refuses more than
// kMaxInputBytes while reading (any kind of file: regular, pipe, device), and says why a file
// cannot be opened (strerror: missing, no permission, a symlink loop).
std::string read_input(const std::string& path);

// "WHAT: larger than the limit of 16 MiB", as Fatal(kBadInput): an input (or one line of it) over
// kMaxInputBytes.
Fatal too_large(const std::string& what);

// The reason for a failed system call, in both languages: strerror(err) and its Chinese.
Message errno_reason(int err);

// The exit code for a failed system call: kResources when a limit was reached (out of memory,
// file descriptors, the file size limit), else kBadInput (a full disk, permissions, a bad path).
int errno_exit_code(int err);

// Where a command writes one output: every file the tool writes goes through here. Contracts:
//  - the destination is checked when constructed, before any work: it must not be one of
//    `inputs` (same device and inode, symbolic links followed; "-" is standard input; exit 3),
//    nor a directory, and its directory must exist and be writable (the temporary file is
//    created at once, so any reason the system gives is found then);
//  - a regular file (or a new one) is written into a temporary file `.NAME.tmp-PID` in the
//    directory of the destination, with symbolic links resolved (so a link stays a link and its
//    target gets the content), then fsync'd and renamed over it by commit(): the destination
//    never holds a partial file. The temporary file is created new (O_EXCL; a link planted at
//    its name is removed, not written through); one written by path is created in a private
//    directory `.NAME.tmp-PID-XXXXXX` (mkdtemp) beside the destination;
//  - a device or FIFO (/dev/null, /dev/full, a named pipe), "-" (standard output) and a path
//    naming a descriptor already open (/dev/stdout, /dev/fd/N, /proc/self/fd/N: the shell's
//    `>> log` is appended to, not replaced) are written directly; a format that needs a file by
//    path (XLSX) is then built in a temporary file in TMPDIR and copied by commit();
//  - every write is checked: a failure throws Fatal with the reason (strerror) at once;
//  - an output to a temporary file that reaches 1 MiB is written past the page cache by a
//    background thread (core/direct_writer.h) where the file system allows; else its blocks are
//    handed to the disk as they are written, and those written more than 64 MiB before are
//    dropped from the page cache (advisory, posix_fadvise): either way a large batch output
//    streams through a bounded amount of memory instead of filling it (except on a file system
//    that takes O_DIRECT but refuses its writes: the rest then goes through the page cache
//    without the drop, as any program's output does);
//  - the temporary file is removed on every failure, when the object is destroyed without
//    commit(), and when SIGINT, SIGTERM or SIGHUP ends the process (an inherited SIG_IGN is
//    kept: under nohup a hang-up does not stop the run).
class OutputFile {
 public:
  // `by_path`: the content is written by another library into file_path() instead of write().
  OutputFile(std::string path, const std::vector<std::string>& inputs, bool by_path = false);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // The destination as given, for messages.
  const std::string& name() const { return path_; }
  // The file a by_path writer creates or truncates (the temporary file).
  const std::string& file_path() const { return temp_; }
  // Appends to a buffer written out in large blocks; throws Fatal when the system refuses.
  void write(std::string_view data);
  // Writes out what is buffered and makes the output final (flush, fsync, rename or copy).
  void commit();

 private:
  [[noreturn]] void fail(const char* what_en, const char* what_zh, int err);
  int open_temp(const std::string& dir, bool by_path);
  void replace_file(const struct stat* existing, bool by_path);
  void flush();
  void discard() noexcept;

  std::string path_;      // as given, for messages
  std::string target_;    // the destination with symbolic links resolved
  std::string temp_;      // the temporary file, empty when written directly
  std::string temp_dir_;  // the private directory holding temp_ when written by path, or empty
  int fd_ = -1;           // where write() goes: the temporary file, the device, or standard output
  bool copy_ = false;     // by_path into a device: the temporary file is copied to fd_ by commit()
  bool committed_ = false;
  std::string buffer_;
  std::uint64_t written_ = 0;             // bytes written to fd_ so far
  std::uint64_t dropped_ = 0;             // of those, the first dropped from the page cache (flush)
  std::unique_ptr<DirectWriter> direct_;  // writing a large output past the page cache, or null
};

// Writes `content` to `path` through an OutputFile. Throws Fatal when it cannot.
void write_output_file(const std::string& path, const std::string& content,
                       const std::vector<std::string>& inputs);

// Makes std::cout write to descriptor 1 through a buffer that keeps the errno of the first failed
// write, for check_standard_output(). Called once, before anything is printed. A standard
// descriptor (0-2) that is closed gets /dev/null, so that no file opened later takes its number;
// writing to a closed standard output then fails (EBADF, exit 3), and "-" as output is refused.
void use_checked_standard_output();

// Standard output, checked: after the command's output, flushes it and throws
// Fatal("standard output: write failed: REASON") if any write or the flush failed.
void check_standard_output();

// A descriptor open for reading on `path` (not a directory), or Fatal(kBadInput) with the reason.
int open_input(const std::string& path);

// "PATH: cannot read file: REASON" for the errno `err`, as Fatal(kBadInput).
Fatal unreadable(const std::string& path, int err);

// Rule, vocabulary and test files read from disk (or the built-in ones), kept alive for the
// SourceText views into them.
struct FileSet {
  FileSet() = default;
  FileSet(FileSet&&) = default;
  FileSet(const FileSet&) = delete;  // `texts` views into `read`: a copy would view the original's
  std::vector<std::string> names;
  // Indexed like names: a view of the built-in text (compiled into the binary), or of `read`.
  std::vector<std::string_view> texts;
  std::deque<std::string> read;  // the texts read from disk (a deque: views into it stay valid)
  std::vector<SourceText> sources() const;
  std::vector<SourceText> tests() const;  // the *.tests.json files
  std::vector<SourceText> rules() const;  // every other file: vocabularies and rule files
};

// Every *.json file of each directory in `paths` (sorted), and each named file; the built-in
// rule files when `paths` is empty.
FileSet read_rule_files(const std::vector<std::string>& paths);

// The built-in rules, or every *.json file of `dir` but the *.tests.json files (`check` and `test`
// read those) when `dir` is not empty. Prints nothing; throws
// Fatal(kBadRules) with every diagnostic in the message. The caller keeps the handle for as long
// as anything (a Report, a server's threads) refers into the rule set.
std::shared_ptr<const RuleSet> load_rules(const std::string& dir);

// The program's version, "0.1.0" (CMake's project version).
std::string_view program_version();

// What a report says about when and from what it was produced: today's UTC date, or the date
// SUBSIDY_NOW gives (YYYY-MM-DD), or else the day of SOURCE_DATE_EPOCH (seconds since 1970, as
// reproducible builds use), so tests print a fixed date; the rules' version and the program's.
// Throws Fatal(kUsage) when either variable is set to something else.
ReportStamp report_stamp(const RuleSet& rules);

}  // namespace subsidy::cli
