// NUMA nodes from /sys/devices/system/node/nodeN: CPUs (list, count, and eDeploy's hex
// cpu_mask) and memory (the node's MemTotal).
#include <string>

#include "hwmatch/detect_sources.h"

namespace ingot::hwmatch {
namespace {

// {0,1,2,3,8} -> "0x10f". Built a nibble at a time: masks wider than 64 bits are common.
std::string cpu_mask(const std::vector<unsigned>& cpus) {
  if (cpus.empty()) return "0x0";
  std::string nibbles(cpus.back() / 4 + 1, 0);
  for (unsigned c : cpus) nibbles[c / 4] = static_cast<char>(nibbles[c / 4] | (1 << (c % 4)));
  std::string hex = "0x";
  for (auto it = nibbles.rbegin(); it != nibbles.rend(); ++it) hex += "0123456789abcdef"[static_cast<int>(*it)];
  return hex;
}

}  // namespace

void detect_numa(const SysfsRoot& fs, FactSink& out) {
  auto names = list_source(fs, out, "sys/devices/system/node", "numa");  // absent: kernel without NUMA
  if (!names) return;
  std::size_t count = 0;
  for (const auto& n : *names) {
    if (!n.starts_with("node") || !parse_u64(std::string_view(n).substr(4))) continue;
    ++count;
    std::string base = "sys/devices/system/node/" + n + "/";
    std::string name = "node_" + n.substr(4);
    if (auto list = fs.attribute(base + "cpulist")) {
      if (auto cpus = parse_cpu_list(*list, kMaxCpus)) {
        out.add("numa", name, "cpus", *list);
        out.add("numa", name, "cpu_count", std::to_string(cpus->size()));
        out.add("numa", name, "cpu_mask", cpu_mask(*cpus));
      } else {
        out.invalid(base + "cpulist", "not a CPU list");
      }
    }
    FileRead mi = fs.read(base + "meminfo", kMaxSysfsAttribute);
    if (mi.ok()) {
      if (auto bytes = meminfo_total_bytes(mi.data))
        out.add("numa", name, "memory", std::to_string(*bytes));
      else
        out.invalid(base + "meminfo", "no parsable MemTotal line");
    }
  }
  out.add("numa", "nodes", "count", std::to_string(count));
}

}  // namespace ingot::hwmatch
