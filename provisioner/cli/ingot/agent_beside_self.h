// Where `ingot` finds ingot-agent when no --agent is given (ramdisk and image builds): beside
// its own executable, as the build tree and the packages lay them out.
#pragma once

#include <filesystem>

namespace ingot::cli {

inline std::filesystem::path agent_beside_self() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "ingot-agent";
  return self.parent_path() / "ingot-agent";
}

}  // namespace ingot::cli
