// Hardware detection: reads a machine's /sys, /proc and SMBIOS table through one root
// directory (default "/") and returns eDeploy-style facts ([class, name, key, value]).
// A source that is absent or malformed is reported, never guessed at: it yields a fact
// ["ingot","detect","missing"|"invalid", what] plus a human note, and no partial list.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "hwmatch/facts.h"

namespace ingot::hwmatch {

struct Detection {
  Facts facts;                     // hardware facts, then the ingot/detect notes as facts
  std::vector<std::string> notes;  // one line per skipped or malformed source, for humans
};

// Never fails: everything it cannot read becomes a note. Network addresses come from
// proc/net/{route,fib_trie,if_inet6} under the root, not getifaddrs(), so a captured tree
// and the live machine go through the same code.
Detection detect(const std::filesystem::path& root = "/");

}  // namespace ingot::hwmatch
