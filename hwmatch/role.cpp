#include "hwmatch/role.h"

#include <charconv>

#include "hwmatch/spec_lines.h"

namespace ingot::hwmatch {

bool valid_role_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name[0] == '.') return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

Result<std::optional<std::size_t>> parse_role_count(std::string_view text) {
  if (text == "*") return std::optional<std::size_t>{};
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || n > kMaxRoleCount)
    return fail("count '" + std::string(text) + "' must be '*' (no limit) or a number from 0 to " + std::to_string(kMaxRoleCount));
  return std::optional<std::size_t>{n};
}

std::string count_text(const std::optional<std::size_t>& count) { return count ? std::to_string(*count) : "*"; }

Result<std::vector<RoleOrderEntry>> parse_role_order(std::string_view text, const std::string& file) {
  if (text.size() > kMaxRoleOrderBytes)
    return fail(file + ": " + std::to_string(text.size()) + " bytes exceed the limit of " + std::to_string(kMaxRoleOrderBytes));
  std::vector<RoleOrderEntry> out;
  int lineno = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::string_view line = next_line(text, pos);
    ++lineno;
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    std::vector<std::pair<std::size_t, std::string_view>> words;
    for (std::size_t i = 0; i < line.size();) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
      std::size_t s = i;
      while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
      if (i > s) words.emplace_back(s, line.substr(s, i - s));
    }
    if (words.empty()) continue;
    auto at = [&](std::size_t w) {
      return file + ":" + std::to_string(lineno) + ":" + std::to_string((w < words.size() ? words[w].first : line.size()) + 1);
    };
    if (words.size() != 2) return fail(at(words.size() > 2 ? 2 : 1) + ": expected 'ROLE COUNT' (COUNT is a number or '*')");
    if (!valid_role_name(words[0].second))
      return fail(at(0) + ": role name '" + std::string(words[0].second) + "' may use only letters, digits, '_', '-', '.'");
    for (const auto& e : out)
      if (e.name == words[0].second)
        return fail(at(0) + ": role '" + e.name + "' is already listed on line " + std::to_string(e.line));
    auto count = parse_role_count(words[1].second);
    if (!count) return fail(at(1) + ": " + count.error().message());
    if (out.size() >= kMaxRoles) return fail(at(0) + ": more than " + std::to_string(kMaxRoles) + " roles");
    out.push_back({std::string(words[0].second), *count, lineno});
  }
  return out;
}

}  // namespace ingot::hwmatch
