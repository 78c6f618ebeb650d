// Why a spec does not match a node: the nearest miss. The search is rerun with tracing, and the
// deepest spec line it could not satisfy is explained against the facts, narrowing class, key,
// name and value in turn, e.g. `disk $d size gt(400): largest disk size is 240 (sdb)`.
#pragma once

#include <optional>
#include <string>

#include "hwmatch/matcher.h"

namespace ingot::hwmatch {

struct Miss {
  std::string where;      // file:line:col of the spec line
  std::string line_text;  // the spec line as written
  std::string reason;     // what the facts lacked
  std::size_t line_index = 0;
  bool too_complex = false;
  std::string to_string() const { return where + ": " + line_text + ": " + reason; }
};

// nullopt when the spec matches.
std::optional<Miss> explain(const Spec& spec, const FactIndex& facts, Matcher& matcher);

// Explains an existing trace (from Matcher::match(..., trace = true)).
Miss describe_miss(const Spec& spec, const Facts& facts, const MissTrace& trace);

}  // namespace ingot::hwmatch
