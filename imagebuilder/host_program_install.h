// Installs a program from the build host into a role tree together with the shared libraries
// and the dynamic loader it needs (shared_libraries.h): how a recipe with "ingot_agent" carries
// ingot-agent into an OS with no libc (the tiny role), the way the deploy ramdisk carries it.
#pragma once

#include <filesystem>
#include <string>

#include "common/result.h"
#include "common/command_runner.h"

namespace ingot::image {

// Where a recipe's "ingot_agent" puts the agent inside the tree.
inline constexpr const char* kAgentPathInTree = "usr/bin/ingot-agent";

struct HostProgramInstall {
  std::size_t libraries_added = 0;  // copied from the host
  std::size_t libraries_kept = 0;   // the tree already had them (its own libc): left alone
};

// Copies program to tree/dest (relative) without its debug sections (objcopy --strip-debug,
// when there is an objcopy: the CI agent carries 27 MB of DWARF), then each library ldd names,
// to the same path in the tree. Libraries the tree already has are its package manager's and
// stay. Fails when ldd cannot resolve a library, or a destination would leave the tree through
// a symlink.
Result<HostProgramInstall> install_host_program(const std::filesystem::path& program, const std::filesystem::path& tree,
                                                const std::string& dest, const LoggedRunner& run);

}  // namespace ingot::image
