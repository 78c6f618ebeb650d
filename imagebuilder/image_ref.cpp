#include "imagebuilder/image_ref.h"

#include <cctype>

namespace ingot::image {
namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_alnum(char c) { return is_lower_alnum(c) || (c >= 'A' && c <= 'Z'); }

}  // namespace

Result<void> check_role_name(std::string_view role) {
  if (role.empty()) return fail("role name is empty");
  if (role.size() > kMaxRoleNameLength)
    return fail("role name '" + std::string(role.substr(0, 16)) + "...' is longer than " + std::to_string(kMaxRoleNameLength));
  if (!is_lower_alnum(role[0])) return fail("role name '" + std::string(role) + "' must start with [a-z0-9]");
  for (char c : role)
    if (!is_lower_alnum(c) && c != '-' && c != '_' && c != '.')
      return fail("role name '" + std::string(role) + "' may only contain [a-z0-9._-]");
  return ok();
}

Result<void> check_version(std::string_view version) {
  if (version.empty()) return fail("image version is empty");
  if (version.size() > kMaxVersionLength) return fail("image version is longer than " + std::to_string(kMaxVersionLength));
  if (!is_alnum(version[0])) return fail("image version '" + std::string(version) + "' must start with a letter or digit");
  for (char c : version)
    if (!is_alnum(c) && c != '.' && c != '_' && c != '-' && c != '+' && c != '~')
      return fail("image version '" + std::string(version) + "' may only contain [A-Za-z0-9._+~-]");
  return ok();
}

Result<ImageRef> parse_image_ref(std::string_view text) {
  auto at = text.find('@');
  if (at == std::string_view::npos)
    return fail("image '" + std::string(text) + "' must be written ROLE@VERSION (e.g. compute@1)");
  ImageRef ref{std::string(text.substr(0, at)), std::string(text.substr(at + 1))};
  if (auto r = check_role_name(ref.role); !r) return fail(r.error());
  if (auto r = check_version(ref.version); !r) return fail(r.error());
  return ref;
}

bool version_less(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    bool da = std::isdigit(static_cast<unsigned char>(a[i])), db = std::isdigit(static_cast<unsigned char>(b[j]));
    if (da && db) {
      std::size_t ei = i, ej = j;
      while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) ++ei;
      while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) ++ej;
      auto na = a.substr(i, ei - i), nb = b.substr(j, ej - j);
      while (na.size() > 1 && na[0] == '0') na.remove_prefix(1);
      while (nb.size() > 1 && nb[0] == '0') nb.remove_prefix(1);
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      i = ei;
      j = ej;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

}  // namespace ingot::image
