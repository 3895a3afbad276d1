#include "cli/io.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/app.h"
#include "core/builtin_rules.h"
#include "core/ruleset.h"

namespace subsidy::cli {

std::string read_input(const std::string& path) {
  auto too_large = [&](const std::string& what) {
    return Fatal(kBadInput, msg("{}: larger than the limit of {} MiB", "{}：超过 {} MiB 的上限",
                                what, kMaxInputBytes >> 20));
  };
  std::string content;
  if (path == "-") {
    char buffer[65536];
    while (std::cin.read(buffer, sizeof buffer) || std::cin.gcount() > 0) {
      content.append(buffer, static_cast<std::size_t>(std::cin.gcount()));
      if (content.size() > kMaxInputBytes) throw too_large("<stdin>");
    }
    return content;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw Fatal(kBadInput,
                msg("{}: is a directory, expected a file", "{}：是目录，应为文件", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Fatal(kBadInput, msg("{}: cannot read file", "{}：无法读取文件", path));
  std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxInputBytes) throw too_large(path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  content = buffer.str();
  if (content.size() > kMaxInputBytes) throw too_large(path);
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
        if (entry.is_regular_file() && entry.path().extension() == ".json") {
          names.push_back(entry.path().string());
        }
      }
      std::sort(names.begin(), names.end());
      for (const std::string& name : names) {
        set.names.push_back(name);
        set.texts.push_back(read_input(name));
      }
    } else if (std::filesystem::is_regular_file(path, ec)) {
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
