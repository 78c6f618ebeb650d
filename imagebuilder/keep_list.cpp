#include "imagebuilder/keep_list.h"

#include <fnmatch.h>

#include "imagebuilder/manifest_validate.h"

namespace ingot::image {

bool KeepList::keeps(std::string_view path) const {
  std::string p(path);
  for (;;) {
    for (auto& pat : patterns_)
      if (::fnmatch(pat.c_str(), p.c_str(), FNM_PATHNAME) == 0) return true;
    auto slash = p.rfind('/');
    if (slash == std::string::npos) return false;
    p.resize(slash);
  }
}

Result<std::string> normalise_keep_pattern(std::string_view written) {
  while (written.starts_with("/")) written.remove_prefix(1);
  while (written.size() > 1 && written.ends_with("/")) written.remove_suffix(1);
  if (auto r = check_keep_pattern(written); !r) return fail("keep pattern '" + std::string(written) + "': " + r.error().message());
  return std::string(written);
}

}  // namespace ingot::image
