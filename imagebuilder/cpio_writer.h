// Writes a Linux initramfs archive: cpio "newc" (SVR4, no CRC) as the kernel's
// usr/gen_init_cpio and Documentation/driver-api/early-userspace/buffer-format.rst define it.
// Inode numbers are assigned in order and times are the caller's, so the same entries always
// give the same bytes (`cpio` itself records real inode numbers and times, which differ on
// every build). Used by the image builder's initramfs_pack and the deploy ramdisk builder.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace ingot::image {

// newc's fields are 8 hex digits: no file of 4 GiB or more fits one.
inline constexpr std::uint64_t kMaxCpioFileBytes = 0xffffffffULL;

// What one record says besides its path and content.
struct CpioMeta {
  std::uint32_t mode = 0;  // file type bits and permissions: S_IFREG | 0644
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::uint32_t nlink = 1;
  std::int64_t mtime = 0;  // seconds; newc keeps 32 bits
  std::uint32_t rdev_major = 0;  // device nodes
  std::uint32_t rdev_minor = 0;
};

class CpioWriter {
 public:
  // path is relative to the archive's root (a leading '/' is dropped); data is a file's content
  // or a symlink's target. An error (a file too large for newc) is kept and finish() returns it.
  void add(std::string_view path, const CpioMeta& meta, std::string_view data = {});
  void directory(std::string_view path, unsigned mode = 0755);
  void file(std::string_view path, std::string_view content, unsigned mode = 0644);
  void symlink(std::string_view path, std::string_view target);
  void char_device(std::string_view path, unsigned mode, unsigned major, unsigned minor);
  // Appends the TRAILER!!! record and pads to 512 bytes; the archive is complete after this.
  Result<std::string> finish();

 private:
  void record(std::uint32_t ino, std::string_view path, const CpioMeta& meta, std::string_view data);
  void pad4();

  std::string out_;
  std::uint32_t next_ino_ = 1;
  std::optional<Error> error_;
};

}  // namespace ingot::image
