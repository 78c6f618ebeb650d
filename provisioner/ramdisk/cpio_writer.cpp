#include "provisioner/ramdisk/cpio_writer.h"

#include <cstdio>
#include <sys/stat.h>

namespace ingot::ramdisk {

void CpioWriter::pad4() {
  while (out_.size() % 4) out_.push_back(0);
}

void CpioWriter::entry(std::string_view path, unsigned mode, std::string_view data, unsigned rmajor, unsigned rminor) {
  // Paths in an initramfs are relative to its root, without a leading slash.
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  char header[111];
  std::snprintf(header, sizeof header, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
                path == "TRAILER!!!" ? 0u : next_ino_++, mode, 0u, 0u, 1u, 0u, static_cast<unsigned>(data.size()),
                0u, 0u, rmajor, rminor, static_cast<unsigned>(path.size() + 1), 0u);
  out_.insert(out_.end(), header, header + 110);
  out_.insert(out_.end(), path.begin(), path.end());
  out_.push_back(0);
  pad4();
  out_.insert(out_.end(), data.begin(), data.end());
  pad4();
}

void CpioWriter::directory(std::string_view path, unsigned mode) { entry(path, S_IFDIR | mode, {}); }
void CpioWriter::file(std::string_view path, std::string_view content, unsigned mode) {
  entry(path, S_IFREG | mode, content);
}
void CpioWriter::symlink(std::string_view path, std::string_view target) { entry(path, S_IFLNK | 0777, target); }
void CpioWriter::char_device(std::string_view path, unsigned mode, unsigned major, unsigned minor) {
  entry(path, S_IFCHR | mode, {}, major, minor);
}

std::vector<std::uint8_t> CpioWriter::finish() {
  entry("TRAILER!!!", 0, {});
  // The kernel reads the archive in 512-byte blocks.
  while (out_.size() % 512) out_.push_back(0);
  return std::move(out_);
}

}  // namespace ingot::ramdisk
