// Packs a directory of a build tree into a reproducible initramfs: a newc cpio archive
// (the kernel's initramfs format, Documentation/driver-api/early-userspace/buffer-format.rst)
// with entries sorted, inode numbers assigned in order, mtimes clamped, then zstd-compressed.
// `cpio` itself records real inode numbers and times, which differ on every build.
#pragma once

#include <cstdint>
#include <filesystem>

#include "common/result.h"

namespace ingot::image {

// Initramfs contents larger than this would not fit a sane boot: refuse rather than fill RAM.
inline constexpr std::uint64_t kMaxInitramfsBytes = 512ULL << 20;
// zstd level for initramfs images: written once per build, read at every boot; 19 is the
// smallest the kernel still decompresses quickly.
inline constexpr int kInitramfsZstdLevel = 19;

Result<void> pack_initramfs(const std::filesystem::path& source_dir, const std::filesystem::path& output, std::int64_t mtime);

}  // namespace ingot::image
