#include "cli/io.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <streambuf>
#include <utility>

#include "cli/app.h"
#include "core/builtin_rules.h"
#include "core/direct_writer.h"
#include "core/ruleset.h"

namespace subsidy::cli {

Fatal too_large(const std::string& what) {
  return Fatal(kBadInput, msg("{}: larger than the limit of {} MiB", "{}：超过 {} MiB 的上限", what,
                              kMaxInputBytes >> 20));
}

namespace {

// Closes the descriptor on every way out, so a refused file does not leak it.
struct FdGuard {
  int fd;
  ~FdGuard() {
    if (fd > 0) ::close(fd);
  }
};

}  // namespace

Fatal unreadable(const std::string& path, int err) {
  Message why = errno_reason(err);
  return Fatal(kBadInput,
               msg("{0}: cannot read file: {1}", "{0}：无法读取文件：{2}", path, why.en, why.zh));
}

int open_input(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw unreadable(path, errno);
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw Fatal(kBadInput,
                msg("{}: is a directory, expected a file", "{}：是目录，应为文件", path));
  }
  return fd;
}

std::string read_input(const std::string& path) {
  // Counted while reading, whatever the file is: a pipe, a device (/dev/zero) or a growing file
  // has no size to check first, and must not be read past the limit.
  std::string name = path == "-" ? "<stdin>" : path;
  FdGuard guard{path == "-" ? 0 : open_input(path)};
  std::string content;
  struct stat st {};
  if (::fstat(guard.fd, &st) == 0 && S_ISREG(st.st_mode)) {
    if (static_cast<std::uintmax_t>(st.st_size) > kMaxInputBytes) throw too_large(name);
    content.reserve(static_cast<std::size_t>(st.st_size));
  }
  char buffer[65536];
  while (true) {
    ssize_t n = ::read(guard.fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw unreadable(name, errno);
    if (n == 0) break;
    if (content.size() + static_cast<std::size_t>(n) > kMaxInputBytes) throw too_large(name);
    content.append(buffer, static_cast<std::size_t>(n));
  }
  return content;
}

namespace {

// Which of the standard descriptors 0-2 were closed (the shell's >&-) when the run started; they
// now hold /dev/null, so that no file the run opens becomes one of them.
bool g_closed[3] = {};

// The temporary file (and the private directory holding it, if any) a signal handler removes:
// one at a time (each command writes one output file), copied here before the handlers may read
// them.
char g_temp[4096];
char g_dir[4096];
volatile std::sig_atomic_t g_armed = 0;

extern "C" void remove_temp_and_exit(int sig) {
  if (g_armed) {
    ::unlink(g_temp);
    if (g_dir[0] != '\0') ::rmdir(g_dir);
  }
  ::_exit(128 + sig);
}

// An inherited SIG_IGN is kept: `nohup` (SIGHUP) and background jobs of non-interactive shells
// (SIGINT) ask for the run to go on.
void install_cleanup_handlers() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old {};
    if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    struct sigaction action {};
    action.sa_handler = remove_temp_and_exit;
    sigemptyset(&action.sa_mask);
    ::sigaction(sig, &action, nullptr);
  }
}

void arm(const std::string& temp, const std::string& dir) {
  g_armed = 0;
  std::strncpy(g_temp, temp.c_str(), sizeof g_temp - 1);
  std::strncpy(g_dir, dir.c_str(), sizeof g_dir - 1);
  g_armed = 1;
  install_cleanup_handlers();
}

// "WHERE: WHAT: REASON" in both languages.
Message failure(const Message& where, const Message& what, const Message& reason) {
  return {where.en + ": " + what.en + ": " + reason.en,
          where.zh + "：" + what.zh + "：" + reason.zh};
}

// The descriptor that `path` names when it is one this process already holds: /dev/stdout,
// /dev/stderr, /dev/fd/N, /proc/self/fd/N (also through a symbolic link); else -1. Such a path
// is written through the descriptor, like "-": renaming over the file behind it would destroy
// what the file held before (`>> log`), and reopening it would write from its start.
int held_descriptor(const std::string& given) {
  std::filesystem::path path = std::filesystem::path(given).lexically_normal();
  std::error_code ec;
  for (int i = 0; i < 40; ++i) {
    std::string p = path.string();
    if (p == "/dev/stdout") return STDOUT_FILENO;
    if (p == "/dev/stderr") return STDERR_FILENO;
    for (const std::string& prefix :
         {std::string("/dev/fd/"), std::string("/proc/self/fd/"),
          std::string("/proc/thread-self/fd/"), "/proc/" + std::to_string(::getpid()) + "/fd/"}) {
      std::string_view n = std::string_view(p).substr(std::min(p.size(), prefix.size()));
      if (p.starts_with(prefix) && !n.empty() && n.size() < 9 &&
          n.find_first_not_of("0123456789") == std::string_view::npos) {
        return std::stoi(std::string(n));
      }
    }
    if (!std::filesystem::is_symlink(path, ec)) break;
    std::filesystem::path to = std::filesystem::read_symlink(path, ec);
    if (ec) break;
    path = (to.is_absolute() ? to : path.parent_path() / to).lexically_normal();
  }
  return -1;
}

// `path` with symbolic links followed (also a dangling one), so that the content goes to the
// link's target and the link stays a link.
std::string resolve_links(std::filesystem::path path) {
  std::error_code ec;
  for (int i = 0; i < 40 && std::filesystem::is_symlink(path, ec); ++i) {
    std::filesystem::path to = std::filesystem::read_symlink(path, ec);
    if (ec) break;
    path = to.is_absolute() ? to : path.parent_path() / to;
  }
  return path.string();
}

// Writes all of `data` to `fd`, or returns the errno of the failure.
int write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : EIO;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

// std::cout's buffer: written to descriptor 1 by write_all, keeping the errno of the first write
// that failed. errno read after the fact may come from any later call (a stat, a failed open), so
// the reason and the exit code (3 or 6) reported would be wrong.
class CheckedStdout final : public std::streambuf {
 public:
  CheckedStdout() { setp(buffer_, buffer_ + sizeof buffer_); }
  // The first failure's errno, or 0; cleared by reading it.
  int take_error() { return std::exchange(error_, 0); }

 protected:
  int_type overflow(int_type c) override {
    if (sync() != 0) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override {
    std::string_view data(pbase(), static_cast<std::size_t>(pptr() - pbase()));
    setp(buffer_, buffer_ + sizeof buffer_);
    if (data.empty()) return 0;
    // A closed standard output fails the run (exit 3) rather than losing the output unnoticed.
    int err = g_closed[STDOUT_FILENO] ? EBADF : write_all(STDOUT_FILENO, data);
    if (err != 0 && error_ == 0) error_ = err;
    return err == 0 ? 0 : -1;
  }

 private:
  char buffer_[1 << 16];
  int error_ = 0;
};

// Never destroyed: std::cout is flushed at exit, after the destructors of static objects.
CheckedStdout& stdout_buffer() {
  static auto* buffer = new CheckedStdout;
  return *buffer;
}

std::string temp_directory() {
  const char* dir = std::getenv("TMPDIR");
  return dir && *dir ? dir : "/tmp";
}

}  // namespace

Message errno_reason(int err) {
  // glibc's own Chinese (zh_CN) for the reasons an output can fail; others stay in English.
  static const std::pair<int, const char*> kZh[] = {{ENOENT, "没有那个文件或目录"},
                                                    {EACCES, "权限不够"},
                                                    {ENOSPC, "设备上没有空间"},
                                                    {EROFS, "只读文件系统"},
                                                    {ENOTDIR, "不是目录"},
                                                    {EISDIR, "是一个目录"},
                                                    {EFBIG, "文件过大"},
                                                    {EMFILE, "打开的文件过多"},
                                                    {ENFILE, "系统中打开的文件过多"},
                                                    {ENOMEM, "无法分配内存"},
                                                    {EPIPE, "断开的管道"},
                                                    {EIO, "输入/输出错误"},
                                                    {EDQUOT, "超出磁盘限额"},
                                                    {EPERM, "不允许的操作"},
                                                    {ELOOP, "符号连接的层数过多"},
                                                    {ENAMETOOLONG, "文件名过长"},
                                                    {EXDEV, "无效的跨设备链接"},
                                                    {EBUSY, "设备或资源忙"},
                                                    {ENXIO, "没有那个设备或地址"},
                                                    {ETXTBSY, "文本文件忙"},
                                                    {EBADF, "错误的文件描述符"},
                                                    {EAGAIN, "资源暂时不可用"}};
  Message reason{std::strerror(err), ""};
  for (const auto& [code, zh] : kZh) {
    if (code == err) reason.zh = zh;
  }
  if (reason.zh.empty()) reason.zh = "系统错误 " + reason.en;
  return reason;
}

namespace {

// Refuses a destination (`st`) that is one of the inputs: writing would destroy what is read.
// "-" is standard input, which may be redirected from the destination (`< out.jsonl`).
void refuse_inputs(const std::string& path, const struct stat& st,
                   const std::vector<std::string>& inputs) {
  if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) return;
  for (const std::string& input : inputs) {
    struct stat in {};
    bool found = input == "-" ? ::fstat(STDIN_FILENO, &in) == 0 : ::stat(input.c_str(), &in) == 0;
    if (found && in.st_dev == st.st_dev && in.st_ino == st.st_ino) {
      throw Fatal(kBadInput,
                  msg("{}: is the input {}; refusing to write over it (nothing done)",
                      "{}：就是输入文件 {}；拒绝覆盖它（未做任何处理）",
                      path == "-" ? "standard output" : path, input == "-" ? "<stdin>" : input));
    }
  }
}

}  // namespace

// A regular file (or a new one): written to a temporary file beside the link's target and renamed
// over it by commit(); `existing` is the file replaced, whose permissions the new one keeps.
void OutputFile::replace_file(const struct stat* existing, bool by_path) {
  copy_ = false;
  target_ = resolve_links(path_);
  std::filesystem::path dir = std::filesystem::path(target_).parent_path();
  fd_ = open_temp(dir.empty() ? "." : dir.string(), by_path);
  if (existing && ::fchmod(fd_, existing->st_mode & 07777) != 0) {
    fail("cannot write", "无法写入", errno);
  }
  if (by_path) {
    ::close(fd_);  // the by_path writer creates it again by name
    fd_ = -1;
  }
}

int errno_exit_code(int err) {
  return err == ENOMEM || err == EMFILE || err == ENFILE || err == EFBIG ? kResources : kBadInput;
}

OutputFile::OutputFile(std::string path, const std::vector<std::string>& inputs, bool by_path)
    : path_(std::move(path)) {
  if (path_.empty()) throw Fatal(kBadInput, {"the output file name is empty", "输出文件名为空"});
  int held = path_ == "-" ? STDOUT_FILENO : held_descriptor(path_);
  struct stat st {};
  bool exists = held >= 0 ? ::fstat(held, &st) == 0 : ::stat(path_.c_str(), &st) == 0;
  if (exists) refuse_inputs(path_, st, inputs);
  copy_ = by_path;
  if (held >= 0 && held <= 2 && g_closed[held]) fail("cannot write", "无法写入", EBADF);
  if (path_ == "-") {
    fd_ = STDOUT_FILENO;
  } else if (held >= 0) {
    fd_ = ::dup(held);  // closed by commit(), unlike the descriptor itself
    if (fd_ < 0) fail("cannot open", "无法打开", errno);
  } else if (exists && S_ISDIR(st.st_mode)) {
    throw Fatal(kBadInput,
                msg("{}: is a directory; give a file name", "{}：是目录；请给出文件名", path_));
  } else if (exists && !S_ISREG(st.st_mode)) {
    // A device or FIFO: nothing to rename over. (Opening a FIFO waits for its reader.)
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd_ < 0) fail("cannot open", "无法打开", errno);
  } else {
    replace_file(exists ? &st : nullptr, by_path);
    return;
  }
  if (copy_) ::close(open_temp(temp_directory(), true));
}

OutputFile::~OutputFile() {
  if (!committed_) discard();
}

// Creates the temporary file, new (O_EXCL), and returns its descriptor. Its name is predictable,
// and the directory may be writable by others: a hard or symbolic link planted at that name is
// removed, never written through. A file the by_path writer opens again by name (libxlsxwriter
// follows symbolic links) goes into a new private directory (mkdtemp, mode 0700), so that nobody
// can put a link in its place between our creating it and the writer opening it.
int OutputFile::open_temp(const std::string& dir, bool by_path) {
  std::string name = std::filesystem::path(target_.empty() ? path_ : target_).filename().string();
  std::string base = "." + name + ".tmp-" + std::to_string(::getpid());
  constexpr int kFlags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
  int fd = -1;
  int err = 0;
  if (by_path) {
    std::string private_dir = (std::filesystem::path(dir) / (base + "-XXXXXX")).string();
    if (::mkdtemp(private_dir.data()) == nullptr) {
      err = errno;
    } else {
      temp_dir_ = private_dir;
      temp_ = (std::filesystem::path(private_dir) / base).string();
      fd = ::open(temp_.c_str(), kFlags, 0666);
      err = fd < 0 ? errno : 0;
    }
  } else {
    temp_ = (std::filesystem::path(dir) / base).string();
    // A second try after removing what is there; a third failure means someone keeps planting.
    for (int attempt = 0; attempt < 3; ++attempt) {
      fd = ::open(temp_.c_str(), kFlags, 0666);
      err = fd < 0 ? errno : 0;
      if (err != EEXIST) break;
      ::unlink(temp_.c_str());
    }
  }
  if (fd < 0) {
    temp_.clear();  // not created: nothing to remove
    if (err == ENOENT || err == ENOTDIR) {
      // A file for a device is built in TMPDIR: the message says so, not just the destination.
      const char* tmpdir = std::getenv("TMPDIR");
      std::string where = copy_ && tmpdir && *tmpdir ? dir + " (TMPDIR)" : dir;
      Message why = err == ENOENT ? msg("the directory {} does not exist", "目录 {} 不存在", where)
                                  : msg("{} is not a directory", "{} 不是目录", where);
      discard();
      throw Fatal(kBadInput, failure({path_, path_}, {"cannot write", "无法写入"}, why));
    }
    fail("cannot write", "无法写入", err);
  }
  arm(temp_, temp_dir_);
  return fd;
}

void OutputFile::fail(const char* what_en, const char* what_zh, int err) {
  discard();
  Message where = path_ == "-" ? Message{"standard output", "标准输出"} : Message{path_, path_};
  throw Fatal(errno_exit_code(err), failure(where, {what_en, what_zh}, errno_reason(err)));
}

namespace {
// What OutputFile buffers before a write through the page cache (4 MiB: 0.89x, 256 KiB: 0.90x
// for a 290 MB output when every output went that way).
constexpr std::size_t kFlushBytes = std::size_t{1} << 20;
}  // namespace

void OutputFile::write(std::string_view data) {
  if (direct_) {
    if (int err = direct_->write(data)) fail("write failed", "写入失败", err);
    return;
  }
  buffer_.append(data);
  if (buffer_.size() < kFlushBytes) return;
  // An output that reaches 1 MiB goes past the page cache where it can (direct_writer.h says
  // why); a smaller one, or one to a device or standard output, through it.
  if (written_ == 0 && !temp_.empty() && !copy_ && (direct_ = DirectWriter::start(fd_))) {
    std::string first = std::exchange(buffer_, {});
    if (int err = direct_->write(first)) fail("write failed", "写入失败", err);
    return;
  }
  flush();
}

void OutputFile::flush() {
  if (buffer_.empty()) return;
  if (int err = write_all(fd_, buffer_)) fail("write failed", "写入失败", err);
#ifdef SYNC_FILE_RANGE_WRITE
  // A temporary file is fsync'ed before it is renamed into place (a crash must not leave a
  // truncated file under the final name). Its blocks are handed to the disk as they are written,
  // so that the fsync at the end has little left to wait for: advisory, and what it cannot do
  // the fsync does (and checks).
  if (!temp_.empty() && !copy_) {
    ::sync_file_range(fd_, static_cast<off_t>(written_), static_cast<off_t>(buffer_.size()),
                      SYNC_FILE_RANGE_WRITE);
  }
#endif
  written_ += buffer_.size();
  buffer_.clear();
#ifdef POSIX_FADV_DONTNEED
  // Blocks handed to the disk 64 MiB or more ago leave the page cache, whose pages then serve the
  // next blocks: a large output no longer fills memory with pages nobody reads (on a virtual
  // machine each new page can cost a fault in the host: a 1.3 GB output took 1-3 s of system time
  // that way, 0.3 s with this). Safe at any time: DONTNEED drops only clean pages, and one dirty
  // or still being written stays (and reaches the disk by the fsync in commit()). Between 64 and
  // 128 MiB are kept: freeing pages costs time too, and an output of a few hundred MiB paid more
  // for it than it saved (keeping 8 MiB: 4% slower for 290 MB). io.h states the same bound.
  constexpr std::uint64_t kBehind = std::uint64_t{64} << 20;
  if (!temp_.empty() && !copy_ && written_ >= dropped_ + 2 * kBehind) {
    std::uint64_t to = written_ - kBehind;
    ::posix_fadvise(fd_, static_cast<off_t>(dropped_), static_cast<off_t>(to - dropped_),
                    POSIX_FADV_DONTNEED);
    dropped_ = to;
  }
#endif
}

void OutputFile::commit() {
  if (direct_) {
    int err = direct_->finish();
    direct_.reset();
    if (err != 0) fail("write failed", "写入失败", err);
  }
  flush();
  if (copy_) {
    // The by_path writer has closed its file: copy it, checked, to the device or standard output.
    // Every step is checked: a temporary file that cannot be opened or read would otherwise
    // leave the destination empty with exit 0.
    int in = ::open(temp_.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0) fail("cannot read the temporary file", "无法读取临时文件", errno);
    std::vector<char> block(1 << 20);
    for (;;) {
      ssize_t n = ::read(in, block.data(), block.size());
      if (n < 0 && errno == EINTR) continue;
      int err = n < 0 ? errno : 0;
      if (n > 0) err = write_all(fd_, std::string_view(block.data(), static_cast<std::size_t>(n)));
      if (err != 0) {
        ::close(in);
        fail(n < 0 ? "cannot read the temporary file" : "write failed",
             n < 0 ? "无法读取临时文件" : "写入失败", err);
      }
      if (n == 0) break;
    }
    ::close(in);
  } else if (!temp_.empty()) {
    if (fd_ < 0) fd_ = ::open(temp_.c_str(), O_RDONLY | O_CLOEXEC);  // written by path
    if (fd_ < 0 || ::fsync(fd_) != 0) fail("write failed", "写入失败", errno);
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("write failed", "写入失败", errno);
    if (::rename(temp_.c_str(), target_.c_str()) != 0) {
      fail("cannot move the finished output into place", "无法把完成的输出移到目标位置", errno);
    }
    temp_.clear();
  }
  if (fd_ >= 0 && fd_ != STDOUT_FILENO && ::close(fd_) != 0) {
    fd_ = -1;
    fail("write failed", "写入失败", errno);
  }
  fd_ = -1;
  committed_ = true;
  discard();
}

void OutputFile::discard() noexcept {
  // Its thread writes to fd_: stopped before fd_ is closed, and before the signal handler is
  // disarmed (the block being written may take long on a slow disk; a signal meanwhile must
  // still remove the temporary file).
  direct_.reset();
  g_armed = 0;
  if (fd_ >= 0 && fd_ != STDOUT_FILENO) ::close(fd_);
  fd_ = -1;
  if (!temp_.empty()) ::unlink(temp_.c_str());
  temp_.clear();
  if (!temp_dir_.empty()) ::rmdir(temp_dir_.c_str());
  temp_dir_.clear();
}

void write_output_file(const std::string& path, const std::string& content,
                       const std::vector<std::string>& inputs) {
  OutputFile out(path, inputs);
  out.write(content);
  out.commit();
}

void use_checked_standard_output() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    g_closed[fd] = true;
    // The lowest free descriptor is this one: those below it are open (or were just opened).
    int null = ::open("/dev/null", O_RDWR);
    if (null >= 0 && null != fd) {
      ::dup2(null, fd);
      ::close(null);
    }
  }
  std::cout.rdbuf(&stdout_buffer());
}

void check_standard_output() {
  std::cout.flush();
  int err = std::cout.rdbuf() == &stdout_buffer() ? stdout_buffer().take_error() : 0;
  // Anything written through stdio: errno is cleared first so that only fflush's own counts.
  errno = 0;
  if (std::fflush(stdout) != 0 && err == 0) err = errno != 0 ? errno : EIO;
  if (err == 0 && (!std::cout.good() || std::ferror(stdout))) err = EIO;  // reason unknown
  if (err == 0) return;
  std::cout.clear();
  std::clearerr(stdout);
  throw Fatal(errno_exit_code(err), failure({"standard output", "标准输出"},
                                            {"write failed", "写入失败"}, errno_reason(err)));
}

std::vector<SourceText> FileSet::sources() const {
  std::vector<SourceText> out;
  for (std::size_t i = 0; i < names.size(); ++i) out.push_back({names[i], texts[i]});
  return out;
}

std::vector<SourceText> FileSet::tests() const {
  std::vector<SourceText> out;
  for (const SourceText& s : sources()) {
    if (s.name.ends_with(".tests.json")) out.push_back(s);
  }
  return out;
}

std::vector<SourceText> FileSet::rules() const {
  std::vector<SourceText> out;
  for (const SourceText& s : sources()) {
    if (!s.name.ends_with(".tests.json")) out.push_back(s);
  }
  return out;
}

FileSet read_rule_files(const std::vector<std::string>& paths) {
  FileSet set;
  if (paths.empty()) {
    for (const SourceText& f : builtin_rule_files()) {
      set.names.push_back(f.name);
      set.texts.push_back(f.text);  // the binary's own bytes: nothing to copy
    }
    return set;
  }
  for (const std::string& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      std::vector<std::string> names;
      for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
        // Not only regular files: a broken link or a link loop is read, so that it is refused
        // with its reason instead of being skipped without a word.
        std::error_code type_ec;
        if (!entry.is_directory(type_ec) && entry.path().extension() == ".json") {
          names.push_back(entry.path().string());
        }
      }
      std::sort(names.begin(), names.end());
      for (const std::string& name : names) {
        set.names.push_back(name);
        set.texts.push_back(set.read.emplace_back(read_input(name)));
      }
    } else if (std::filesystem::is_symlink(path, ec) ||
               std::filesystem::exists(std::filesystem::symlink_status(path, ec))) {
      set.names.push_back(path);
      set.texts.push_back(set.read.emplace_back(read_input(path)));
    } else {
      throw Fatal(kBadRules, msg("{}: no such file or directory of rule files",
                                 "{}：没有这个规则文件或规则文件目录", path));
    }
  }
  return set;
}

std::shared_ptr<const RuleSet> load_rules(const std::string& dir) {
  std::error_code ec;
  if (!dir.empty() && !std::filesystem::is_directory(dir, ec)) {
    throw Fatal(kBadRules, msg("{}: not a directory of rule files", "{}：不是规则文件目录", dir));
  }
  FileSet files =
      read_rule_files(dir.empty() ? std::vector<std::string>{} : std::vector<std::string>{dir});
  // The test cases are not needed to evaluate, and parsing them would double the start-up time.
  Result<std::shared_ptr<const RuleSet>> rules =
      load_rule_set(files.rules(), dir.empty() ? builtin_rules_version() : std::string_view());
  if (!rules.ok()) throw diagnostics_error(kBadRules, rules.errors(), kRuleFiles);
  // Kept until the process ends, never destroyed: a command loads its rules once and exits soon
  // after, and freeing a rule set node by node took 5% of `eval`. Still reachable (from this
  // static), so leak checkers do not count it.
  static auto* kept = new std::vector<std::shared_ptr<const RuleSet>>;
  kept->push_back(rules.value());
  return std::move(rules.value());
}

std::string_view program_version() {
  return SUBSIDY_VERSION;
}

namespace {

std::string iso_date(std::chrono::year_month_day d) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

// SUBSIDY_NOW's date, checked: four, two and two digits making a real day.
std::string date_from_now_variable(std::string_view text) {
  int y = 0;
  unsigned m = 0, d = 0;
  bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                std::from_chars(text.data(), text.data() + 4, y).ptr == text.data() + 4 &&
                std::from_chars(text.data() + 5, text.data() + 7, m).ptr == text.data() + 7 &&
                std::from_chars(text.data() + 8, text.data() + 10, d).ptr == text.data() + 10;
  std::chrono::year_month_day day{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!shaped || !day.ok()) {
    throw Fatal(kUsage, msg("SUBSIDY_NOW must be a date written YYYY-MM-DD, not \"{}\"",
                            "SUBSIDY_NOW 必须是 YYYY-MM-DD 形式的日期，而不是 \"{}\"", text));
  }
  return iso_date(day);
}

}  // namespace

ReportStamp report_stamp(const RuleSet& rules) {
  using namespace std::chrono;
  ReportStamp stamp{"", rules.version(), std::string(program_version())};
  if (const char* now = std::getenv("SUBSIDY_NOW"); now && *now) {
    stamp.date = date_from_now_variable(now);
    return stamp;
  }
  sys_seconds when = time_point_cast<seconds>(system_clock::now());
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    std::string_view text = epoch;
    long long secs = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), secs);
    // Up to the year 9999: a date the report can print in four digits.
    if (ec != std::errc() || end != text.data() + text.size() || secs < 0 || secs > 253402300799) {
      throw Fatal(kUsage, msg("SOURCE_DATE_EPOCH must be a whole number of seconds, not \"{}\"",
                              "SOURCE_DATE_EPOCH 必须是整数秒数，而不是 \"{}\"", text));
    }
    when = sys_seconds{seconds{secs}};
  }
  stamp.date = iso_date(year_month_day{floor<days>(when)});
  return stamp;
}

}  // namespace subsidy::cli
