#include "cli/io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/app.h"
#include "core/builtin_rules.h"
#include "core/ruleset.h"

namespace subsidy::cli {

namespace {

// Why a system call failed, in both languages: strerror gives the English text; the reasons a
// consultant meets are translated, any other keeps its English text in Chinese too.
Message reason(int err) {
  std::string en = std::strerror(err);
  switch (err) {
    case ENOENT:
      return {en, "没有这个文件或目录"};
    case EACCES:
    case EPERM:
      return {en, "没有权限"};
    case ELOOP:
      return {en, "符号链接层数过多（循环）"};
    case ENOTDIR:
      return {en, "路径中的某一级不是目录"};
    case EISDIR:
      return {en, "是目录"};
    case ENAMETOOLONG:
      return {en, "文件名过长"};
    case EIO:
      return {en, "输入/输出错误"};
    default:
      return {en, "系统错误：" + en};
  }
}

Fatal too_large(const std::string& what) {
  return Fatal(kBadInput, msg("{}: larger than the limit of {} MiB", "{}：超过 {} MiB 的上限", what,
                              kMaxInputBytes >> 20));
}

// Closes the descriptor on every way out, so a refused file does not leak it.
struct FdGuard {
  int fd;
  ~FdGuard() {
    if (fd > 0) ::close(fd);
  }
};

}  // namespace

Fatal unreadable(const std::string& path, int err) {
  Message why = reason(err);
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

void write_file_atomically(const std::string& path, const std::string& content) {
  std::filesystem::path target(path);
  std::filesystem::path temp = target;
  temp += ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temp, ignored);
      throw Fatal(kBadInput, msg("{}: cannot write file", "{}：无法写入文件", path));
    }
  }
  std::error_code ec;
  std::filesystem::rename(temp, target, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    throw Fatal(kBadInput, msg("{}: cannot write file", "{}：无法写入文件", path));
  }
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
      set.texts.emplace_back(f.text);
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
        set.texts.push_back(read_input(name));
      }
    } else if (std::filesystem::is_symlink(path, ec) ||
               std::filesystem::exists(std::filesystem::symlink_status(path, ec))) {
      set.names.push_back(path);
      set.texts.push_back(read_input(path));
    } else {
      throw Fatal(kBadRules, msg("{}: no such file or directory of rule files",
                                 "{}：没有这个规则文件或规则文件目录", path));
    }
  }
  return set;
}

RuleSet load_rules(const std::string& dir) {
  std::error_code ec;
  if (!dir.empty() && !std::filesystem::is_directory(dir, ec)) {
    throw Fatal(kBadRules, msg("{}: not a directory of rule files", "{}：不是规则文件目录", dir));
  }
  FileSet files =
      read_rule_files(dir.empty() ? std::vector<std::string>{} : std::vector<std::string>{dir});
  // The test cases are not needed to evaluate, and parsing them would double the start-up time.
  Result<RuleSet> rules = load_rule_set(files.rules());
  if (!rules.ok()) throw diagnostics_error(kBadRules, rules.errors(), kRuleFiles);
  return std::move(rules.value());
}

}  // namespace subsidy::cli
