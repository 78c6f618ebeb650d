#include "hwmatch/role_loader.h"

#include <fstream>

#include "hwmatch/edeploy_import.h"
#include "hwmatch/spec_parser.h"

namespace ingot::hwmatch {

namespace fs = std::filesystem;

Result<std::string> read_config_file(const fs::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path.string() + ": cannot read the file");
  std::string text(max_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > max_bytes)
    return fail(path.string() + ": larger than the limit of " + std::to_string(max_bytes) + " bytes");
  return text;
}

Result<std::vector<Role>> load_ingot_roles(const fs::path& dir) {
  fs::path order_path = dir / kRoleOrderFile;
  auto text = read_config_file(order_path, kMaxRoleOrderBytes);
  if (!text) return fail(text.error());
  auto order = parse_role_order(*text, order_path.string());
  if (!order) return fail(order.error());
  std::vector<Role> roles;
  for (const auto& e : *order) {
    fs::path spec_path = dir / e.name / kRoleSpecFile;
    std::error_code ec;
    if (!fs::is_regular_file(spec_path, ec))
      return fail(order_path.string() + ":" + std::to_string(e.line) + ":1: role '" + e.name + "' has no " +
                  spec_path.string() + "; create it or remove the line");
    auto spec = load_spec(spec_path.string());
    if (!spec) return fail(spec.error());
    roles.push_back(Role{e.name, e.count, std::move(*spec), {}, false});
  }
  return roles;
}

Result<LoadedRoles> load_roles(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return fail(dir.string() + ": not a directory");
  bool has_order = fs::exists(dir / kRoleOrderFile, ec);
  bool has_state = fs::exists(dir / "state", ec);
  if (has_order && has_state)
    return fail(dir.string() + ": holds both 'order' (ingot) and 'state' (eDeploy); keep one");
  LoadedRoles out;
  if (has_state) {
    out.source = RoleSource::edeploy;
    auto roles = load_edeploy_roles(dir);
    if (!roles) return fail(roles.error());
    out.roles = std::move(*roles);
    return out;
  }
  if (!has_order)
    return fail(dir.string() + ": no 'order' file (ingot roles) or 'state' file (eDeploy configuration) found");
  auto roles = load_ingot_roles(dir);
  if (!roles) return fail(roles.error());
  out.roles = std::move(*roles);
  return out;
}

}  // namespace ingot::hwmatch
