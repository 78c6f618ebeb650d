// Hardware facts: a list of 4-tuples [class, name, key, value], all strings — eDeploy's shape,
// e.g. ["disk","sda","size","480"]. Stable, diffable, easy to match. JSON in and out.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace ingot::hwmatch {

struct Fact {
  std::string cls;  // "disk", "network", "cpu", "memory", "system", "firmware", "pci", "numa", "ipmi"
  std::string name;  // "sda", "eth0", "physical_0", "product"
  std::string key;   // "size", "serial", ...
  std::string value;
  auto operator<=>(const Fact&) const = default;
};

using Facts = std::vector<Fact>;

// Limits on untrusted facts documents (an agent posts them): far above any real machine
// (a big server has ~2k facts), low enough that a hostile post cannot exhaust memory.
inline constexpr std::size_t kMaxFacts = 100'000;
inline constexpr std::size_t kMaxFactField = 4096;
inline constexpr std::size_t kMaxFactsDocument = 16 * 1024 * 1024;

// Parses `[["disk","sda","size","480"], ...]`. Errors name the index and what is wrong.
Result<Facts> facts_from_json(std::string_view text);
// One tuple per line, sorted as given; stable output for golden files and diffs.
std::string facts_to_json(const Facts& facts);

}  // namespace ingot::hwmatch
