// A list of BMCs, one ipmi:// address per line (blank lines and '#' comments ignored): what an
// operator keeps per rack, and what `ingot power --bmc-file` reads. Errors name the line.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "provisioner/power/bmc_address.h"

namespace ingot::power {

// A big site's per-file rack inventory is a few thousand BMCs; beyond this it is the wrong file.
inline constexpr std::size_t kMaxBmcListEntries = 10000;

// default_password fills entries whose URL has none (e.g. from INGOT_BMC_PASSWORD); an entry
// without a password when there is no default is an error naming its line.
Result<std::vector<BmcAddress>> parse_bmc_list(std::string_view text, const std::string& source,
                                               const std::optional<std::string>& default_password);

}  // namespace ingot::power
