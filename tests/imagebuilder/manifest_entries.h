// Manifest entries for tests, each with one fixed mtime, so entries differ only where a test
// makes them differ.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "imagebuilder/digest.h"
#include "imagebuilder/manifest.h"

namespace ingot::image::test {

constexpr std::int64_t kEntryMtime = 1700000000;

inline Entry dir(std::string path, std::uint32_t mode = 0755) {
  Entry e;
  e.path = std::move(path);
  e.type = EntryType::dir;
  e.mode = mode;
  e.mtime = kEntryMtime;
  return e;
}

inline Entry file(std::string path, std::string_view content, std::uint32_t mode = 0644) {
  Entry e;
  e.path = std::move(path);
  e.type = EntryType::file;
  e.mode = mode;
  e.size = content.size();
  e.sha256 = sha256(content);
  e.mtime = kEntryMtime;
  return e;
}

inline Entry slink(std::string path, std::string target) {
  Entry e;
  e.path = std::move(path);
  e.type = EntryType::symlink;
  e.target = std::move(target);
  e.mtime = kEntryMtime;
  return e;
}

}  // namespace ingot::image::test
