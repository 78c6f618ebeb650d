#include "imagebuilder/cpio_writer.h"

#include <sys/stat.h>

#include <cstdio>

namespace ingot::image {

void CpioWriter::pad4() {
  while (out_.size() % 4) out_ += '\0';
}

void CpioWriter::record(std::uint32_t ino, std::string_view path, const CpioMeta& m, std::string_view data) {
  char header[111];
  std::snprintf(header, sizeof header, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", ino, m.mode, m.uid,
                m.gid, m.nlink, static_cast<std::uint32_t>(m.mtime), static_cast<std::uint32_t>(data.size()), 0u, 0u,
                m.rdev_major, m.rdev_minor, static_cast<std::uint32_t>(path.size() + 1), 0u);
  out_.append(header, 110);
  out_ += path;
  out_ += '\0';
  pad4();
  out_ += data;
  pad4();
}

void CpioWriter::add(std::string_view path, const CpioMeta& meta, std::string_view data) {
  // Paths in an initramfs are relative to its root, without a leading slash.
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (data.size() > kMaxCpioFileBytes) {
    if (!error_) error_ = Error{std::make_error_code(std::errc::file_too_large), std::string(path) + ": too large for a cpio archive"};
    return;
  }
  record(next_ino_++, path, meta, data);
}

void CpioWriter::directory(std::string_view path, unsigned mode) { add(path, {.mode = S_IFDIR | mode, .nlink = 2}); }

void CpioWriter::file(std::string_view path, std::string_view content, unsigned mode) {
  add(path, {.mode = S_IFREG | mode}, content);
}

void CpioWriter::symlink(std::string_view path, std::string_view target) { add(path, {.mode = S_IFLNK | 0777}, target); }

void CpioWriter::char_device(std::string_view path, unsigned mode, unsigned major, unsigned minor) {
  add(path, {.mode = S_IFCHR | mode, .rdev_major = major, .rdev_minor = minor});
}

Result<std::string> CpioWriter::finish() {
  if (error_) return fail(*error_);
  record(0, "TRAILER!!!", {}, {});
  // As gen_init_cpio does: the archive ends on a 512-byte block.
  while (out_.size() % 512) out_ += '\0';
  return std::move(out_);
}

}  // namespace ingot::image
