#include "imagebuilder/manifest.h"

#include <algorithm>

#include "common/enum_names.h"

namespace ingot::image {
namespace {

constexpr EnumNames<EntryType, 7> kTypeNames{{
    {EntryType::file, "file"},
    {EntryType::dir, "dir"},
    {EntryType::symlink, "symlink"},
    {EntryType::hardlink, "hardlink"},
    {EntryType::char_device, "char"},
    {EntryType::block_device, "block"},
    {EntryType::fifo, "fifo"},
}};

}  // namespace

std::string_view to_string(EntryType t) { return enum_name(kTypeNames, t); }

std::optional<EntryType> parse_entry_type(std::string_view s) { return enum_from_name(kTypeNames, s); }

bool path_less(std::string_view a, std::string_view b) {
  if (a == b) return false;
  if (a == ".") return true;
  if (b == ".") return false;
  return a < b;  // char_traits<char> compares as unsigned char: plain byte order
}

const Entry* Manifest::find(std::string_view path) const {
  auto it = std::lower_bound(entries.begin(), entries.end(), path,
                             [](const Entry& e, std::string_view p) { return path_less(e.path, p); });
  if (it == entries.end() || it->path != path) return nullptr;
  return &*it;
}

void canonicalise(Manifest& m) {
  std::sort(m.entries.begin(), m.entries.end(), [](const Entry& a, const Entry& b) { return path_less(a.path, b.path); });
  std::sort(m.keep.begin(), m.keep.end());
  m.keep.erase(std::unique(m.keep.begin(), m.keep.end()), m.keep.end());
}

}  // namespace ingot::image
