// The per-source detectors behind detect(), and the sink they report into. Internal to
// hwmatch: each detect_*.cpp reads one area of the tree and adds facts or notes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hwmatch/detect.h"
#include "hwmatch/smbios_table.h"
#include "hwmatch/sysfs_root.h"

namespace ingot::hwmatch {

// A CPU number beyond any Linux build (NR_CPUS tops out at 8192).
inline constexpr unsigned kMaxCpus = 8192;

class FactSink {
 public:
  void add(std::string cls, std::string name, std::string key, std::string value);
  // A whole source is absent: ["ingot","detect","missing",source].
  void missing(std::string_view source, std::string_view why);
  // A file exists but cannot be used: ["ingot","detect","invalid",rel_path].
  void invalid(std::string_view rel_path, std::string_view why);
  Detection finish();

 private:
  Facts facts_;
  Facts notes_facts_;
  std::vector<std::string> notes_;
};

// Adds class/name/key from a sysfs attribute when present and non-empty.
void add_attribute(const SysfsRoot& fs, FactSink& out, std::string_view rel, const std::string& cls,
                   const std::string& name, const std::string& key);

// A directory that a source is made of: its entries, or nullopt with a note (missing source,
// or an invalid directory when it cannot be listed whole).
std::optional<std::vector<std::string>> list_source(const SysfsRoot& fs, FactSink& out, std::string_view rel,
                                                   std::string_view source);

// The SMBIOS table, or nullopt with a note (missing or invalid).
std::optional<SmbiosTable> read_smbios(const SysfsRoot& fs, FactSink& out);

// "MemTotal:  16318480 kB" -> bytes, from /proc/meminfo or a NUMA node's meminfo.
std::optional<unsigned long long> meminfo_total_bytes(std::string_view text);

void detect_system(const SysfsRoot& fs, const std::optional<SmbiosTable>& smbios, FactSink& out);
void detect_memory(const SysfsRoot& fs, const std::optional<SmbiosTable>& smbios, FactSink& out);
void detect_cpus(const SysfsRoot& fs, FactSink& out);
void detect_numa(const SysfsRoot& fs, FactSink& out);
void detect_disks(const SysfsRoot& fs, FactSink& out);
void detect_network(const SysfsRoot& fs, FactSink& out);
void detect_pci(const SysfsRoot& fs, FactSink& out);
void detect_bmc(const SysfsRoot& fs, FactSink& out);

}  // namespace ingot::hwmatch
