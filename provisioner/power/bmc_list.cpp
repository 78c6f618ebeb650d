#include "provisioner/power/bmc_list.h"

#include <map>

#include "provisioner/power/power_error.h"

namespace ingot::power {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::vector<BmcAddress>> parse_bmc_list(std::string_view text, const std::string& source,
                                               const std::optional<std::string>& default_password) {
  std::vector<BmcAddress> out;
  std::map<std::string, std::size_t> seen;  // endpoint -> line
  std::size_t line_no = 0;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    const std::string where = source + ":" + std::to_string(line_no) + ": ";
    auto bmc = parse_bmc_address(line);
    if (!bmc) return fail(PowerErrc::bad_address, where + bmc.error().message());
    if (auto r = apply_default_password(*bmc, default_password); !r)
      return fail(PowerErrc::bad_address, where + r.error().message());
    auto [it, fresh] = seen.emplace(bmc->endpoint(), line_no);
    if (!fresh)
      return fail(PowerErrc::bad_address,
                  where + bmc->endpoint() + " is already on line " + std::to_string(it->second));
    if (out.size() == kMaxBmcListEntries)
      return fail(PowerErrc::bad_address, where + "more than 10000 BMCs in one list; split the file");
    out.push_back(std::move(*bmc));
  }
  return out;
}

}  // namespace ingot::power
