#include "hwmatch/pool_set.h"

#include <set>

#include <nlohmann/json.hpp>

#include "hwmatch/pool_error.h"

namespace ingot::hwmatch {

std::uint64_t Pool::size() const {
  std::uint64_t n = 0;
  for (const auto& r : ranges) n += r.size();
  return n;
}

Result<void> RolePools::add_pool(const std::string& key, const std::vector<std::string>& patterns) {
  if (key.empty() || key.starts_with('$')) return fail(PoolError::bad_config, "pool key '" + key + "' is not a name");
  if (pools_.size() >= kMaxPoolKeys) return fail(PoolError::bad_config, "more than " + std::to_string(kMaxPoolKeys) + " pools");
  for (const auto& p : pools_)
    if (p.key == key) return fail(PoolError::bad_config, "pool '" + key + "' defined twice");
  if (patterns.empty()) return fail(PoolError::bad_config, "pool '" + key + "' has no pattern");
  Pool pool{key, {}};
  for (const auto& text : patterns) {
    auto r = ValueRange::parse(text);
    if (!r) return fail(PoolError::bad_config, "pool '" + key + "': " + r.error().message());
    if (r->constant() && patterns.size() > 1)
      return fail(PoolError::bad_config, "pool '" + key + "': '" + text + "' is not a range; a list holds ranges only");
    pool.ranges.push_back(std::move(*r));
  }
  pools_.push_back(std::move(pool));
  return ok();
}

Result<void> RolePools::add_table(PreassignedTable table) {
  if (table.variable.empty()) return fail(PoolError::bad_config, "pre-assigned table without a variable");
  for (const auto& t : tables_)
    if (t.variable == table.variable)
      return fail(PoolError::bad_config, "pre-assigned table $$" + table.variable + " defined twice");
  tables_.push_back(std::move(table));
  std::sort(tables_.begin(), tables_.end(),
            [](const PreassignedTable& a, const PreassignedTable& b) { return a.variable < b.variable; });
  return ok();
}

Result<RolePools> RolePools::from_json(std::string_view text, const std::string& file) {
  if (text.size() > kMaxPoolsDocument)
    return fail(PoolError::bad_config, file + ": larger than " + std::to_string(kMaxPoolsDocument) + " bytes");
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return fail(PoolError::bad_config, file + ": not valid JSON");
  if (!j.is_object()) return fail(PoolError::bad_config, file + ": expected an object of key: pattern");
  RolePools pools;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    const auto& v = it.value();
    std::string where = file + ": " + key;
    if (key.starts_with("$$")) {
      if (!v.is_object()) return fail(PoolError::bad_config, where + ": expected {value: {key: value}}");
      if (v.size() > kMaxPreassignedEntries)
        return fail(PoolError::bad_config, where + ": more than " + std::to_string(kMaxPreassignedEntries) + " entries");
      PreassignedTable t{key.substr(2), {}};
      for (auto e = v.begin(); e != v.end(); ++e) {
        if (!e.value().is_object()) return fail(PoolError::bad_config, where + "." + e.key() + ": expected an object");
        PoolValues values;
        for (auto kv = e.value().begin(); kv != e.value().end(); ++kv) {
          if (!kv.value().is_string())
            return fail(PoolError::bad_config, where + "." + e.key() + "." + kv.key() + ": expected a string");
          values[kv.key()] = kv.value().get<std::string>();
        }
        t.entries[e.key()] = std::move(values);
      }
      if (auto r = pools.add_table(std::move(t)); !r) return fail(PoolError::bad_config, where + ": " + r.error().message());
      continue;
    }
    std::vector<std::string> patterns;
    if (v.is_string()) {
      patterns.push_back(v.get<std::string>());
    } else if (v.is_array()) {
      for (const auto& p : v) {
        if (!p.is_string()) return fail(PoolError::bad_config, where + ": expected a list of patterns (strings)");
        patterns.push_back(p.get<std::string>());
      }
    } else {
      return fail(PoolError::bad_config, where + ": expected a pattern string or a list of them");
    }
    if (auto r = pools.add_pool(key, patterns); !r) return fail(PoolError::bad_config, file + ": " + r.error().message());
  }
  return pools;
}

const PoolValues* RolePools::preassigned(const PoolVars& vars) const {
  for (const auto& t : tables_) {
    auto v = vars.find(t.variable);
    if (v == vars.end()) continue;
    auto e = t.entries.find(v->second);
    if (e != t.entries.end()) return &e->second;
  }
  return nullptr;
}

std::vector<std::string> RolePools::exclusive_keys() const {
  std::vector<std::string> keys;
  for (const auto& p : pools_)
    if (!p.constant()) keys.push_back(p.key);
  return keys;
}

Result<PoolValues> RolePools::pick(const PoolVars& vars, const std::vector<PoolValues>& taken) const {
  PoolValues out;
  if (const PoolValues* entry = preassigned(vars)) out = *entry;
  for (const Pool& pool : pools_) {
    if (out.count(pool.key)) continue;
    if (pool.constant()) {
      out[pool.key] = pool.ranges[0].at(0);
      continue;
    }
    // Held: what other nodes have, and what pre-assigned entries keep for their owners.
    std::set<std::string> held;
    for (const auto& t : taken)
      if (auto it = t.find(pool.key); it != t.end()) held.insert(it->second);
    for (const auto& table : tables_)
      for (const auto& [_, e] : table.entries)
        if (auto it = e.find(pool.key); it != e.end()) held.insert(it->second);
    // Values within a range are distinct (overlaps are refused at parse time), so a range
    // never needs more than held.size() + 1 probes.
    std::optional<std::string> chosen;
    for (const ValueRange& r : pool.ranges) {
      std::uint64_t probes = std::min<std::uint64_t>(r.size(), held.size() + 1);
      for (std::uint64_t i = 0; i < probes && !chosen; ++i)
        if (std::string v = r.at(i); !held.count(v)) chosen = std::move(v);
      if (chosen) break;
    }
    if (!chosen)
      return fail(PoolError::exhausted, "pool '" + pool.key + "': all " + std::to_string(pool.size()) + " values of " +
                                            pool.ranges[0].pattern() + (pool.ranges.size() > 1 ? " (and more)" : "") +
                                            " are taken");
    out[pool.key] = std::move(*chosen);
  }
  return out;
}

}  // namespace ingot::hwmatch
