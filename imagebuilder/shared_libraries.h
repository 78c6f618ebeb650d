// The shared libraries and the dynamic loader a host program needs, as ldd(1) resolves them:
// what must travel with a dynamically linked program (ingot-agent) into a tree that has no libc
// of its own — the deploy ramdisk (provisioner/ramdisk) and role images built with
// "ingot_agent" (the tiny role: busybox-static only).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ingot::image {

struct SharedLibraries {
  std::vector<std::string> paths;    // absolute host paths, the loader included, in ldd's order
  std::vector<std::string> missing;  // sonames ldd could not resolve ("libfoo.so.1 => not found")
};

// Parses ldd's output. The vDSO (no path) is skipped; a static program gives nothing.
SharedLibraries parse_ldd_output(std::string_view text);

// Runs ldd on program (an empty result for a static program or a non-ELF file).
SharedLibraries shared_libraries_of(const std::filesystem::path& program);

bool is_elf_file(const std::filesystem::path& path);

}  // namespace ingot::image
