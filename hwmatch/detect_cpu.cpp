// CPUs per socket: topology from /sys/devices/system/cpu/cpuN/topology (which logical CPU
// sits in which package and core), model and flags from /proc/cpuinfo. eDeploy's names:
// cpu/physical/number, cpu/physical_N/{vendor,product,cores,threads,...}, cpu/logical/number.
#include <map>
#include <set>
#include <string>

#include "hwmatch/detect_sources.h"

namespace ingot::hwmatch {
namespace {

using CpuInfo = std::map<std::string, std::string>;  // one processor block of /proc/cpuinfo

// Blocks keyed by "processor"; nullopt when the file has no processor block at all.
std::optional<std::map<unsigned, CpuInfo>> parse_cpuinfo(std::string_view text) {
  std::map<unsigned, CpuInfo> cpus;
  CpuInfo cur;
  auto flush = [&] {
    auto it = cur.find("processor");
    if (it != cur.end())
      if (auto n = parse_u64(it->second); n && *n < kMaxCpus) cpus[static_cast<unsigned>(*n)] = cur;
    cur.clear();
  };
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    auto colon = line.find(':');
    if (trim(line).empty()) {
      flush();
    } else if (colon != std::string_view::npos) {
      cur[trim(line.substr(0, colon))] = trim(line.substr(colon + 1));
    }
  }
  flush();
  if (cpus.empty()) return std::nullopt;
  return cpus;
}

struct Logical {
  long long package = 0;
  long long core = 0;
};

std::optional<long long> parse_id(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  std::string_view v = *s;
  bool neg = v.starts_with('-');  // some architectures report -1
  auto n = parse_u64(neg ? v.substr(1) : v);
  if (!n || *n > 1'000'000) return std::nullopt;
  return neg ? -static_cast<long long>(*n) : static_cast<long long>(*n);
}

}  // namespace

void detect_cpus(const SysfsRoot& fs, FactSink& out) {
  std::optional<std::map<unsigned, CpuInfo>> info;
  FileRead ci = fs.read("proc/cpuinfo", kMaxProcFile);
  if (ci.status == ReadStatus::missing) {
    out.missing("cpuinfo", "proc/cpuinfo not found");
  } else if (!ci.ok() || !(info = parse_cpuinfo(ci.data))) {
    out.invalid("proc/cpuinfo", "unreadable, too large, or without processor entries");
  }

  // Logical CPU -> (package, core), from sysfs, else from cpuinfo's "physical id"/"core id".
  std::map<unsigned, Logical> logical;
  DirListing cpu_dir = fs.list("sys/devices/system/cpu");
  if (cpu_dir.status == ReadStatus::too_large) out.invalid("sys/devices/system/cpu", "too many entries");
  for (const auto& n : cpu_dir.names) {
    if (!n.starts_with("cpu")) continue;
    auto num = parse_u64(std::string_view(n).substr(3));
    if (!num || *num >= kMaxCpus) continue;
    std::string base = "sys/devices/system/cpu/" + n + "/topology/";
    auto pkg = parse_id(fs.attribute(base + "physical_package_id"));
    auto core = parse_id(fs.attribute(base + "core_id"));
    if (pkg && core) logical[static_cast<unsigned>(*num)] = Logical{*pkg, *core};
  }
  if (logical.empty() && info) {
    out.missing("cpu-topology", "no sys/devices/system/cpu/cpuN/topology: sockets from /proc/cpuinfo");
    for (const auto& [n, block] : *info) {
      auto pkg = block.count("physical id") ? parse_id(block.at("physical id")) : std::optional<long long>(0);
      auto core = block.count("core id") ? parse_id(block.at("core id")) : std::optional<long long>(n);
      logical[n] = Logical{pkg.value_or(0), core.value_or(n)};
    }
  }
  if (logical.empty()) {
    if (info || ci.status != ReadStatus::missing) out.missing("cpu-topology", "no CPU topology anywhere");
    return;
  }

  std::map<long long, std::vector<unsigned>> packages;
  for (const auto& [n, l] : logical) packages[l.package].push_back(n);
  out.add("cpu", "physical", "number", std::to_string(packages.size()));
  std::size_t index = 0;
  for (const auto& [pkg, cpus] : packages) {
    std::string name = "physical_" + std::to_string(index++);
    std::set<long long> cores;
    for (unsigned c : cpus) cores.insert(logical[c].core);
    const CpuInfo* block = nullptr;
    if (info)
      if (auto it = info->find(cpus.front()); it != info->end()) block = &it->second;
    auto from_info = [&](const char* field, const char* key) {
      if (!block) return;
      auto it = block->find(field);
      if (it != block->end() && !it->second.empty()) out.add("cpu", name, key, it->second);
    };
    from_info("vendor_id", "vendor");
    from_info("model name", "product");
    out.add("cpu", name, "cores", std::to_string(cores.size()));
    out.add("cpu", name, "threads", std::to_string(cpus.size()));
    from_info("cpu family", "family");
    from_info("model", "model");
    from_info("stepping", "stepping");
    from_info("flags", "flags");
  }
  out.add("cpu", "logical", "number", std::to_string(logical.size()));
}

}  // namespace ingot::hwmatch
