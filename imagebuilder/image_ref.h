// An image's name, `role@version` (e.g. `compute@2026.11.1`): the key of a manifest and its
// signature in the store, and what operators type. Both halves are restricted to characters
// that are safe as a single path component and in a URL without escaping.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace ingot::image {

// Long enough for "openstack-controller-gpu" or a date+git version, short enough for a path.
inline constexpr std::size_t kMaxRoleNameLength = 64;
inline constexpr std::size_t kMaxVersionLength = 64;

struct ImageRef {
  std::string role;
  std::string version;

  std::string str() const { return role + "@" + version; }
  auto operator<=>(const ImageRef&) const = default;
};

// Role: [a-z0-9][a-z0-9._-]*; version: [A-Za-z0-9][A-Za-z0-9._+~-]* (Debian-style versions).
Result<void> check_role_name(std::string_view role);
Result<void> check_version(std::string_view version);
Result<ImageRef> parse_image_ref(std::string_view text);

// Orders versions the way operators expect: digit runs compare numerically ("1.10" > "1.9").
bool version_less(std::string_view a, std::string_view b);

}  // namespace ingot::image
