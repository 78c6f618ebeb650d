#include "hwmatch/pool_selection.h"

#include "hwmatch/edeploy_cmdb.h"
#include "hwmatch/role_loader.h"

namespace ingot::hwmatch {

Result<RolePoolMap> load_role_pools(const std::filesystem::path& dir, const std::vector<Role>& roles) {
  RolePoolMap out;
  for (const Role& role : roles) {
    std::filesystem::path file = dir / role.name / kRolePoolsFile;
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) continue;
    auto text = read_config_file(file, kMaxPoolsDocument);
    if (!text) return fail(text.error());
    auto pools = RolePools::from_json(*text, file.string());
    if (!pools) return fail(pools.error());
    out.emplace(role.name, std::move(*pools));
  }
  return out;
}

PoolVars exported_vars(const Bindings& bindings) {
  PoolVars vars;
  for (const Binding& b : bindings)
    if (b.exported) vars[b.name] = b.value;
  return vars;
}

AllocateFn pools_allocate_fn(const RolePoolMap& pools) {
  return [&pools](const Role& role, const Bindings& bindings,
                  const std::vector<Allocation>& taken) -> Result<Allocation> {
    if (auto it = pools.find(role.name); it != pools.end()) {
      auto picked = it->second.pick(exported_vars(bindings), taken);
      if (!picked) return fail(picked.error().code, "role '" + role.name + "': " + picked.error().message());
      return std::move(*picked);
    }
    if (role.has_cmdb) return cmdb_allocate(role, bindings, taken);
    return Allocation{};
  };
}

}  // namespace ingot::hwmatch
