// Read-only, bounded access to a machine's /sys and /proc through one root directory, so
// detection runs the same on the live machine ("/") and on a captured fixture tree.
// Every read has a size limit; an over-long file is an error, never silently cut short.
// File contents are read with symlinks resolved inside the root (openat2 RESOLVE_IN_ROOT).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace ingot::hwmatch {

// A sysfs attribute is at most one page (the kernel's show() buffer is PAGE_SIZE).
inline constexpr std::size_t kMaxSysfsAttribute = 4096;
// /proc/cpuinfo is ~1.5 KiB per logical CPU: 4 MiB covers 2,000+ CPUs.
inline constexpr std::size_t kMaxProcFile = 4 * 1024 * 1024;
// Directory listings (CPUs, PCI functions, block devices): far above real machines, low
// enough that a hostile tree cannot make us allocate without bound.
inline constexpr std::size_t kMaxDirEntries = 16384;

enum class ReadStatus { ok, missing, too_large, unreadable };

struct FileRead {
  ReadStatus status = ReadStatus::missing;
  std::string data;
  bool ok() const { return status == ReadStatus::ok; }
};

struct DirListing {
  ReadStatus status = ReadStatus::missing;
  std::vector<std::string> names;
  bool ok() const { return status == ReadStatus::ok; }
};

class SysfsRoot {
 public:
  explicit SysfsRoot(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }
  bool live() const;  // root is "/": the running machine
  std::filesystem::path path(std::string_view rel) const { return root_ / rel; }

  // Whole file up to limit bytes; a file longer than limit is too_large.
  FileRead read(std::string_view rel, std::size_t limit = kMaxSysfsAttribute) const;
  // A one-line attribute, trailing whitespace/newline trimmed; nullopt if absent or unreadable.
  std::optional<std::string> attribute(std::string_view rel) const;
  bool exists(std::string_view rel) const;
  // Entry names of a directory, sorted. A directory with more than kMaxDirEntries entries is
  // too_large and lists nothing: a capped list would pass for a complete one.
  DirListing list(std::string_view rel) const;
  // Target of a symlink as written (relative in sysfs); nullopt if not a link.
  std::optional<std::string> link_target(std::string_view rel) const;
  // Fully resolved path relative to the root ("sys/devices/pci0000:00/..."); nullopt if it
  // cannot be resolved or leaves the root.
  std::optional<std::string> resolve(std::string_view rel) const;

 private:
  std::filesystem::path root_;
};

// Text helpers shared by the detectors.
std::string trim(std::string_view s);
std::optional<unsigned long long> parse_u64(std::string_view s, int base = 10);
// "0-3,8,10-11" -> {0,1,2,3,8,10,11}; nullopt on garbage or more than max_cpu.
std::optional<std::vector<unsigned>> parse_cpu_list(std::string_view s, unsigned max_cpu);

}  // namespace ingot::hwmatch
