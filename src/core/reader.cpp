#include "core/reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace subsidy {
namespace {

Message missing_key(std::string_view key) {
  return msg("missing required key \"{}\"", "缺少必需的键 \"{}\"", key);
}

}  // namespace

// One allocation per path: these run for every node of every rule file at load (the paths are kept
// in the compiled nodes), so no temporaries.
std::string child_path(const std::string& path, std::string_view key) {
  std::size_t base = path == "/" ? 0 : path.size();
  std::string out;
  out.reserve(base + 1 + key.size());
  out.append(path, 0, base);
  out += '/';
  if (key.find_first_of("~/") == std::string_view::npos) {
    out += key;
    return out;
  }
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string child_path(const std::string& path, std::size_t index) {
  char digits[20];
  char* end = std::to_chars(digits, digits + sizeof digits, index).ptr;
  std::size_t base = path == "/" ? 0 : path.size();
  std::string out;
  out.reserve(base + 1 + static_cast<std::size_t>(end - digits));
  out.append(path, 0, base);
  out += '/';
  out.append(digits, end);
  return out;
}

void Reader::error(const json::Value& at, const std::string& path, Message message,
                   std::string code) {
  error_at(at.line, at.col, path, std::move(message), std::move(code));
}

void Reader::error_at(int line, int col, const std::string& path, Message message,
                      std::string code) {
  if (diagnostics_.size() >= kMaxDiagnosticsPerFile) {
    ++omitted_;
    return;
  }
  diagnostics_.push_back(
      Diagnostic{file_, line, col, path.empty() ? "/" : path, std::move(message), std::move(code)});
}

std::vector<Diagnostic>& Reader::diagnostics() {
  if (omitted_ > 0) {
    diagnostics_.push_back(more_problems(file_, omitted_));
    omitted_ = 0;
  }
  return diagnostics_;
}

bool Reader::expect(const json::Value& v, const std::string& path, json::Type type) {
  if (v.type == type) return true;
  error(v, path,
        msg("expected {0}, found {1}", "应为{2}，实际为{3}", json::type_name(type, Lang::En),
            json::type_name(v.type, Lang::En), json::type_name(type, Lang::Zh),
            json::type_name(v.type, Lang::Zh)),
        "type");
  return false;
}

bool Reader::object(const json::Value& v, const std::string& path,
                    std::initializer_list<std::string_view> required,
                    std::initializer_list<std::string_view> optional) {
  return object_of(v, path, std::span(required.begin(), required.size()),
                   std::span(optional.begin(), optional.size()));
}

bool Reader::object_of(const json::Value& v, const std::string& path,
                       std::span<const std::string_view> required,
                       std::span<const std::string_view> optional) {
  if (!expect(v, path, json::Type::Object)) return false;
  bool ok = true;
  // The required keys met, as bits: every object of every rule file comes here, and almost all
  // have every key, so the keys are not looked up a second time to say which are missing.
  std::uint64_t met = 0;
  std::size_t met_count = 0;
  for (const json::Member& m : v.members()) {
    auto at = std::find(required.begin(), required.end(), m.key());
    bool known = at != required.end() ||
                 std::find(optional.begin(), optional.end(), m.key()) != optional.end();
    if (at != required.end()) {
      std::size_t bit = static_cast<std::size_t>(at - required.begin());
      if (bit < 64 && !(met & (std::uint64_t{1} << bit))) {
        met |= std::uint64_t{1} << bit;
        ++met_count;
      }
    }
    if (!known) {
      error_at(m.line, m.col, child_path(path, m.key()),
               msg("unknown key \"{}\"", "未知的键 \"{}\"", m.key()), "unknown-key");
      ok = false;
    } else if (m.key() == "$schema" && !m.value.is_string()) {
      expect(m.value, child_path(path, m.key()), json::Type::String);
      ok = false;
    }
  }
  if (met_count == required.size()) return ok;
  for (std::string_view key : required) {
    if (!v.find(key)) {
      error(v, path, missing_key(key), "missing-key");
      ok = false;
    }
  }
  return ok;
}

std::optional<std::string> Reader::string(const json::Value& obj, std::string_view key,
                                          const std::string& path, bool required) {
  const json::Value* v = obj.find(key);
  if (!v) {
    if (required) error(obj, path, missing_key(key), "missing-key");
    return std::nullopt;
  }
  // The path is built only for a message: these readers run for every profile of a batch.
  if (!v->is_string()) {
    expect(*v, child_path(path, key), json::Type::String);
    return std::nullopt;
  }
  return std::string(v->text());
}

std::optional<bool> Reader::boolean(const json::Value& obj, std::string_view key,
                                    const std::string& path, bool required) {
  const json::Value* v = obj.find(key);
  if (!v) {
    if (required) error(obj, path, missing_key(key), "missing-key");
    return std::nullopt;
  }
  if (!v->is_bool()) {
    expect(*v, child_path(path, key), json::Type::Bool);
    return std::nullopt;
  }
  return v->boolean;
}

std::optional<int> Reader::integer(const json::Value& obj, std::string_view key,
                                   const std::string& path, bool required) {
  const json::Value* v = obj.find(key);
  if (!v) {
    if (required) error(obj, path, missing_key(key), "missing-key");
    return std::nullopt;
  }
  if (!v->is_number()) {
    expect(*v, child_path(path, key), json::Type::Number);
    return std::nullopt;
  }
  std::optional<Decimal> d = Decimal::parse(v->text(), 0, nullptr);
  if (!d || d->units() % Decimal::kOne != 0 || d->whole() > 100000 || d->whole() < -100000) {
    error(*v, child_path(path, key),
          msg("expected a whole number, found {}", "应为整数，实际为 {}", v->text()), "bad-number");
    return std::nullopt;
  }
  return static_cast<int>(d->whole());
}

std::optional<Decimal> Reader::number(const json::Value& v, const std::string& path,
                                      bool suffixes) {
  if (v.type != json::Type::Number && v.type != json::Type::String) {
    error(v, path,
          msg("expected a number, found {0}", "应为数字，实际为{1}",
              json::type_name(v.type, Lang::En), json::type_name(v.type, Lang::Zh)),
          "type");
    return std::nullopt;
  }
  Message why;
  std::optional<Decimal> d = suffixes && v.is_string() ? Decimal::parse_with_suffix(v.text(), &why)
                                                       : Decimal::parse(v.text(), 0, &why);
  if (!d) {
    error(v, path,
          msg("bad number \"{0}\": {1}", "数字 \"{0}\" 无效：{2}", v.text(), why.en, why.zh),
          "bad-number");
  }
  return d;
}

std::vector<std::string> Reader::strings(const json::Value& obj, std::string_view key,
                                         const std::string& path, bool required) {
  std::vector<std::string> out;
  const json::Value* v = obj.find(key);
  if (!v) {
    if (required) error(obj, path, missing_key(key), "missing-key");
    return out;
  }
  std::string p = child_path(path, key);
  if (!expect(*v, p, json::Type::Array)) return out;
  for (std::size_t i = 0; i < v->items().size(); ++i) {
    if (expect(v->items()[i], child_path(p, i), json::Type::String))
      out.emplace_back(v->items()[i].text());
  }
  return out;
}

std::vector<Text> Reader::texts(const json::Value& obj, std::string_view key,
                                const std::string& path) {
  std::vector<Text> out;
  const json::Value* v = obj.find(key);
  if (!v) return out;
  std::string p = child_path(path, key);
  if (!expect(*v, p, json::Type::Array)) return out;
  out.reserve(v->items().size());
  for (std::size_t i = 0; i < v->items().size(); ++i) {
    const json::Value& item = v->items()[i];
    std::string ip = child_path(p, i);
    if (!object(item, ip, {"zh", "en"})) continue;
    Text t{string(item, "zh", ip).value_or(""), string(item, "en", ip).value_or("")};
    for (auto [lang, text] : {std::pair{"zh", &t.zh}, std::pair{"en", &t.en}}) {
      if (text->empty()) {
        error(item, child_path(ip, lang), msg("\"{}\" must not be empty", "\"{}\" 不能为空", lang),
              "empty-text");
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace subsidy
