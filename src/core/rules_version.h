// The rules version a report names: 16 hex digits of a 64-bit FNV-1a hash of the loaded rule and
// vocabulary files (each file's name without its directory, then its text, a zero byte after
// each, in name order; *.tests.json left out, so every command gives the same version for the
// same rules). One definition, used by the loader and, at build time, by the tool that stamps the
// built-in rules (cmake/rules_version_tool.cpp): hashing the megabyte of built-in rules byte by
// byte took a tenth of `eval`. Pure functions, thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/builtin_rules.h"

namespace subsidy {

std::string rules_version(const std::vector<SourceText>& files);

}  // namespace subsidy
