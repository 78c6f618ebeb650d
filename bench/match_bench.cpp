// Bench for bench/match.sh: generates 20 roles (~30 spec lines each, with variables, regexes,
// networks, ranges) and 10,000 synthetic machines (~200 facts each) from a fixed seed, then
// times, on one core: first-match role selection for every machine, matching every machine
// against all 20 roles, and explaining machines that match nothing. Prints key=value lines.
#include <algorithm>
#include <ctime>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "hwmatch/explain.h"
#include "hwmatch/spec_parser.h"

using namespace ingot::hwmatch;
// Thread CPU time: this machine is shared, and the claim is about one core's work, not about
// how long the scheduler kept us waiting. match.sh reports wall time beside it.
struct Clock {
  using time_point = double;
  static double now() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
  }
};

namespace {

constexpr int kRoles = 20;
constexpr int kMachines = 10'000;
constexpr std::uint64_t kGiB = 1024ull * 1024 * 1024;
const char* kVendors[] = {"Dell Inc.", "HPE", "Supermicro"};

struct Shape {
  std::string vendor, product;
  int sockets, cores, disks, nics;
  std::uint64_t memory_gib;
  int disk_gb;
  bool ssd, vmx;
  int subnet;
};

Shape shape(int i) {
  Shape s;
  s.vendor = kVendors[i % 3];
  s.product = "Model-" + std::to_string(100 + i);
  s.sockets = 1 + (i % 2);
  s.cores = 8 << (i % 3);
  s.disks = 2 + (i % 5);
  s.nics = 2 + (i % 3);
  s.memory_gib = 64ull << (i % 4);
  s.disk_gb = 240 * (1 + i % 4);
  s.ssd = i % 3 != 1;
  s.vmx = i % 2 == 0;
  s.subnet = i % 8;
  return s;
}

std::string role_spec(const Shape& s) {
  std::string t;
  auto line = [&t](const std::string& l) { t += l + "\n"; };
  line("system product vendor in('" + s.vendor + "', 'Quanta')");
  line("cpu physical number " + std::to_string(s.sockets));
  line("cpu logical number ge(" + std::to_string(s.sockets * s.cores * 2) + ")");
  line("memory total size range(" + std::to_string(s.memory_gib * kGiB) + ", " + std::to_string(s.memory_gib * 2 * kGiB - 1) + ")");
  line("memory banks count ge(4)");
  line("firmware boot mode in(uefi, bios)");
  if (s.vmx) line("cpu physical_0 flags regexp('\\bvmx\\b')");
  for (int d = 0; d < s.disks && d < 5; ++d) {
    std::string v = "$disk" + std::to_string(d);
    line("disk " + v + " size ge(" + std::to_string(s.disk_gb) + ")");
    line("disk " + v + " rotational " + (s.ssd ? "0" : "1"));
    line("disk " + v + " transport in(sata, sas, nvme)");
  }
  line("network $prov ipv4 network(198.18." + std::to_string(s.subnet) + ".0/24)");
  line("network $prov link yes");
  line("network $prov serial $$mac");
  for (int n = 1; n < s.nics; ++n) {
    std::string v = "$nic" + std::to_string(n);
    line("network " + v + " link yes");
    line("network " + v + " speed ge(10000)");
    line("network " + v + " driver regexp(^(ixgbe|i40e|mlx5_core|bnxt_en)$)");
  }
  line("system product name regexp(^" + s.product + "$)");
  return t;
}

Facts machine(const Shape& s, int id, std::mt19937& rng) {
  Facts f;
  auto add = [&f](std::string c, std::string n, std::string k, std::string v) {
    f.push_back({std::move(c), std::move(n), std::move(k), std::move(v)});
  };
  std::string sid = std::to_string(id);
  add("system", "product", "vendor", s.vendor);
  add("system", "product", "name", s.product);
  add("system", "product", "serial", "SN" + sid);
  add("system", "product", "uuid", "uuid-" + sid);
  add("firmware", "bios", "vendor", "AMI");
  add("firmware", "bios", "version", "2.1." + std::to_string(id % 7));
  add("firmware", "boot", "mode", id % 5 ? "uefi" : "bios");
  add("cpu", "physical", "number", std::to_string(s.sockets));
  add("cpu", "logical", "number", std::to_string(s.sockets * s.cores * 2));
  for (int p = 0; p < s.sockets; ++p) {
    std::string n = "physical_" + std::to_string(p);
    add("cpu", n, "vendor", "GenuineIntel");
    add("cpu", n, "product", "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz");
    add("cpu", n, "cores", std::to_string(s.cores));
    add("cpu", n, "threads", std::to_string(s.cores * 2));
    add("cpu", n, "flags", std::string("fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat ") +
                               (s.vmx ? "vmx " : "") + "sse sse2 ssse3 sse4_1 sse4_2 avx avx2 avx512f");
  }
  // Drift: some machines lost a DIMM or a disk, so they fall to a later role or to none.
  bool short_memory = rng() % 10 == 0;
  bool lost_disk = rng() % 10 == 0;
  std::uint64_t mem = s.memory_gib * kGiB / (short_memory ? 2 : 1);
  add("memory", "total", "size", std::to_string(mem));
  int banks = 16;
  add("memory", "banks", "count", std::to_string(banks));
  for (int b = 0; b < banks; ++b) {
    std::string n = "bank:" + std::to_string(b);
    add("memory", n, "size", std::to_string(mem / banks));
    add("memory", n, "slot", "DIMM " + std::to_string(b));
    add("memory", n, "vendor", "Samsung");
    add("memory", n, "speed", "3200");
    add("memory", n, "serial", "M" + sid + "-" + std::to_string(b));
  }
  int disks = s.disks + 1 - (lost_disk ? 2 : 0);
  for (int d = 0; d < disks; ++d) {
    std::string n = "sd" + std::string(1, char('a' + d));
    add("disk", n, "size", std::to_string(d == 0 ? 240 : s.disk_gb));
    add("disk", n, "rotational", s.ssd || d == 0 ? "0" : "1");
    add("disk", n, "transport", d % 2 ? "sas" : "sata");
    add("disk", n, "model", "MZ7LH" + std::to_string(s.disk_gb));
    add("disk", n, "vendor", "ATA");
    add("disk", n, "serial", "D" + sid + n);
  }
  for (int n = 0; n < s.nics; ++n) {
    std::string nn = "ens" + std::to_string(n);
    char mac[32];
    std::snprintf(mac, sizeof mac, "3c:fd:%02x:%02x:%02x:%02x", (id >> 16) & 0xff, (id >> 8) & 0xff, id & 0xff, n);
    add("network", nn, "serial", mac);
    add("network", nn, "driver", n % 2 ? "i40e" : "ixgbe");
    add("network", nn, "link", "yes");
    add("network", nn, "speed", "25000");
    add("network", nn, "businfo", "pci@0000:3b:00." + std::to_string(n));
    if (n == 0) add("network", nn, "ipv4", "198.18." + std::to_string(s.subnet) + "." + std::to_string(2 + id % 250));
  }
  for (int p = 0; f.size() < 200; ++p) {
    char bus[32];
    std::snprintf(bus, sizeof bus, "0000:%02x:00.0", p);
    add("pci", bus, "vendor", "0x8086");
    add("pci", bus, "device", "0x" + std::to_string(2000 + p));
    add("pci", bus, "class", "0x060400");
  }
  return f;
}

double seconds_since(double t) { return Clock::now() - t; }

}  // namespace

int main() {
  std::vector<Spec> roles;
  std::size_t spec_lines = 0;
  auto parse_start = Clock::now();
  for (int r = 0; r < kRoles; ++r) {
    auto s = parse_spec(role_spec(shape(r)), "role" + std::to_string(r) + ".spec");
    if (!s) {
      std::fprintf(stderr, "%s\n", s.error().message().c_str());
      return 2;
    }
    spec_lines += s->lines.size();
    roles.push_back(std::move(*s));
  }
  double parse_s = seconds_since(parse_start);
  std::mt19937 rng(20261125);
  std::vector<Facts> machines;
  machines.reserve(kMachines);
  std::size_t facts = 0;
  for (int i = 0; i < kMachines; ++i) {
    machines.push_back(machine(shape(static_cast<int>(rng() % 24)), i, rng));  // shapes 20-23 fit no role
    facts += machines.back().size();
  }

  Matcher m;
  std::size_t matched = 0, steps = 0;
  std::vector<std::size_t> unmatched;
  auto t0 = Clock::now();
  for (std::size_t i = 0; i < machines.size(); ++i) {
    FactIndex idx(machines[i]);
    bool any = false;
    for (const Spec& s : roles) {
      auto r = m.match(s, idx);
      steps += r.steps;
      if (r.matched) {
        any = true;
        break;
      }
    }
    matched += any;
    if (!any) unmatched.push_back(i);
  }
  double first_wins_s = seconds_since(t0);

  std::size_t pairs_matched = 0;
  auto t1 = Clock::now();
  for (const Facts& f : machines) {
    FactIndex idx(f);
    for (const Spec& s : roles) pairs_matched += m.match(s, idx).matched;
  }
  double all_roles_s = seconds_since(t1);

  // Explain: every role's nearest miss for a machine that matches nothing (ingot match --explain).
  double worst_ms = 0, total_ms = 0;
  std::size_t explained = 0;
  for (std::size_t k = 0; k < unmatched.size() && k < 200; ++k) {
    auto t = Clock::now();
    FactIndex idx(machines[unmatched[k]]);
    for (const Spec& s : roles) explained += explain(s, idx, m).has_value();
    double ms = seconds_since(t) * 1000;
    worst_ms = std::max(worst_ms, ms);
    total_ms += ms;
  }
  std::size_t explain_runs = std::min<std::size_t>(unmatched.size(), 200);

  std::printf("roles=%d spec_lines=%zu machines=%d facts=%zu parse_seconds=%.6f\n", kRoles, spec_lines, kMachines, facts, parse_s);
  std::printf("first_wins_seconds=%.4f matched=%zu unmatched=%zu steps=%zu\n", first_wins_s, matched, unmatched.size(), steps);
  std::printf("all_roles_seconds=%.4f pairs_matched=%zu\n", all_roles_s, pairs_matched);
  std::printf("explain_worst_ms=%.3f explain_mean_ms=%.3f explain_runs=%zu misses=%zu\n", worst_ms,
              explain_runs ? total_ms / explain_runs : 0.0, explain_runs, explained);
  return 0;
}
