// The ingot spec file (roles/<role>/hardware.spec): one [class name key value] tuple per line,
// fields separated by spaces or tabs, '...' or "..." quoting, `#` comments, blank lines ignored.
// Whitespace inside a test's parentheses is allowed: `in(Dell, "HPE Inc.")`.
//
//   disk     $os      size    ge(200)          # an OS disk of 200 GB or more
//   network  $eth     ipv4    network(10.1.0.0/16)
//   network  $eth     serial  $$mac            # exported to the role's config
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "hwmatch/spec.h"

namespace ingot::hwmatch {

// Parses and validates a whole spec (regexes compiled, networks checked). Errors read
// "FILE:LINE:COL: what is wrong; what would fix it".
Result<Spec> parse_spec(std::string_view text, std::string file);

// Reads and parses a spec file.
Result<Spec> load_spec(const std::string& path);

}  // namespace ingot::hwmatch
