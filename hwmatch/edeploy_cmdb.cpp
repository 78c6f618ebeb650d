#include "hwmatch/edeploy_cmdb.h"

#include <algorithm>

namespace ingot::hwmatch {
namespace {

Allocation without_marker(const Allocation& entry, const Bindings& bindings) {
  Allocation out = entry;
  out.erase("used");
  for (const auto& b : bindings) out.emplace(b.name, b.value);
  return out;
}

// Another node holds this entry when its allocation carries every key/value of the entry
// (allocations also carry that node's own bindings, so whole-map equality would miss it).
bool is_taken(const Allocation& entry, const std::vector<Allocation>& taken) {
  return std::any_of(taken.begin(), taken.end(), [&](const Allocation& t) {
    return std::all_of(entry.begin(), entry.end(), [&](const auto& kv) {
      if (kv.first == "used") return true;
      auto it = t.find(kv.first);
      return it != t.end() && it->second == kv.second;
    });
  });
}

bool marked_used(const Allocation& entry) {
  auto it = entry.find("used");
  return it != entry.end() && it->second != "0" && it->second != "False";
}

}  // namespace

Result<Allocation> cmdb_allocate(const Role& role, const Bindings& bindings, const std::vector<Allocation>& taken) {
  if (!role.has_cmdb) return Allocation{};
  std::vector<const Binding*> exported;
  for (const auto& b : bindings)
    if (b.exported) exported.push_back(&b);
  if (!exported.empty()) {
    for (const auto& entry : role.cmdb) {
      bool all = std::all_of(exported.begin(), exported.end(), [&](const Binding* b) {
        auto it = entry.find(b->name);
        return it != entry.end() && it->second == b->value;
      });
      if (!all) continue;
      if (is_taken(entry, taken)) return fail("the CMDB entry for " + exported[0]->name + "=" + exported[0]->value + " is held by another node");
      return without_marker(entry, bindings);
    }
    return fail("no CMDB entry has " + exported[0]->name + "=" + exported[0]->value);
  }
  for (const auto& entry : role.cmdb) {
    if (!marked_used(entry)) continue;
    bool shares = false, agrees = true;
    for (const auto& b : bindings) {
      auto it = entry.find(b.name);
      if (it == entry.end()) continue;
      shares = true;
      agrees = agrees && it->second == b.value;
    }
    if (shares && agrees) return without_marker(entry, bindings);
  }
  for (const auto& entry : role.cmdb) {
    if (marked_used(entry)) continue;
    if (!is_taken(entry, taken)) return without_marker(entry, bindings);
  }
  return fail("every CMDB entry is in use (" + std::to_string(role.cmdb.size()) + " entries)");
}

}  // namespace ingot::hwmatch
