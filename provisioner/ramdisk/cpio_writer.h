// Writes a Linux initramfs archive: cpio "newc" (SVR4, no CRC) as the kernel's
// usr/gen_init_cpio and Documentation/driver-api/early-userspace/buffer-format.rst define it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ingot::ramdisk {

class CpioWriter {
 public:
  void directory(std::string_view path, unsigned mode = 0755);
  void file(std::string_view path, std::string_view content, unsigned mode = 0644);
  void symlink(std::string_view path, std::string_view target);
  void char_device(std::string_view path, unsigned mode, unsigned major, unsigned minor);
  // Appends the TRAILER!!! record; the archive is complete after this.
  std::vector<std::uint8_t> finish();

 private:
  void entry(std::string_view path, unsigned mode, std::string_view data, unsigned rmajor = 0, unsigned rminor = 0);
  void pad4();

  std::vector<std::uint8_t> out_;
  std::uint32_t next_ino_ = 1;
};

}  // namespace ingot::ramdisk
