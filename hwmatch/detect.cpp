#include "hwmatch/detect.h"

#include "hwmatch/detect_sources.h"

namespace ingot::hwmatch {

void FactSink::add(std::string cls, std::string name, std::string key, std::string value) {
  facts_.push_back(Fact{std::move(cls), std::move(name), std::move(key), std::move(value)});
}

void FactSink::missing(std::string_view source, std::string_view why) {
  notes_facts_.push_back(Fact{"ingot", "detect", "missing", std::string(source)});
  notes_.push_back("missing " + std::string(source) + ": " + std::string(why));
}

void FactSink::invalid(std::string_view rel_path, std::string_view why) {
  notes_facts_.push_back(Fact{"ingot", "detect", "invalid", std::string(rel_path)});
  notes_.push_back("invalid " + std::string(rel_path) + ": " + std::string(why));
}

Detection FactSink::finish() {
  Detection d;
  d.facts = std::move(facts_);
  d.facts.insert(d.facts.end(), notes_facts_.begin(), notes_facts_.end());
  d.notes = std::move(notes_);
  return d;
}

void add_attribute(const SysfsRoot& fs, FactSink& out, std::string_view rel, const std::string& cls,
                   const std::string& name, const std::string& key) {
  auto v = fs.attribute(rel);
  if (v && !v->empty()) out.add(cls, name, key, *v);
}

std::optional<std::vector<std::string>> list_source(const SysfsRoot& fs, FactSink& out, std::string_view rel,
                                                   std::string_view source) {
  DirListing d = fs.list(rel);
  switch (d.status) {
    case ReadStatus::ok:
      return std::move(d.names);
    case ReadStatus::missing:
      out.missing(source, std::string(rel) + " not found");
      break;
    case ReadStatus::too_large:
      out.invalid(rel, "more than " + std::to_string(kMaxDirEntries) + " entries");
      break;
    case ReadStatus::unreadable:
      out.invalid(rel, "cannot be listed");
      break;
  }
  return std::nullopt;
}

std::optional<SmbiosTable> read_smbios(const SysfsRoot& fs, FactSink& out) {
  constexpr std::string_view kTable = "sys/firmware/dmi/tables/DMI";
  constexpr std::string_view kEntry = "sys/firmware/dmi/tables/smbios_entry_point";
  FileRead table = fs.read(kTable, kMaxSmbiosTable);
  if (table.status == ReadStatus::missing) {
    out.missing("smbios", std::string(kTable) + " not found (no SMBIOS, or not exported by this kernel)");
    return std::nullopt;
  }
  if (table.status == ReadStatus::unreadable) {
    out.missing("smbios", std::string(kTable) + " is not readable (needs root)");
    return std::nullopt;
  }
  if (table.status == ReadStatus::too_large) {
    out.invalid(kTable, "larger than " + std::to_string(kMaxSmbiosTable) + " bytes");
    return std::nullopt;
  }
  auto bytes = [](const std::string& s) {
    return std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  };
  std::optional<SmbiosEntryPoint> entry;
  FileRead ep = fs.read(kEntry, kMaxSysfsAttribute);
  if (ep.ok()) {
    auto e = parse_smbios_entry_point(bytes(ep.data));
    if (!e) {
      out.invalid(kEntry, e.error().message());
      return std::nullopt;
    }
    entry = *e;
  }
  auto t = parse_smbios(bytes(table.data), entry);
  if (!t) {
    out.invalid(kTable, t.error().message());
    return std::nullopt;
  }
  return std::move(*t);
}

Detection detect(const std::filesystem::path& root) {
  SysfsRoot fs(root);
  FactSink out;
  std::optional<SmbiosTable> smbios = read_smbios(fs, out);
  detect_system(fs, smbios, out);
  detect_cpus(fs, out);
  detect_numa(fs, out);
  detect_memory(fs, smbios, out);
  detect_disks(fs, out);
  detect_network(fs, out);
  detect_pci(fs, out);
  detect_bmc(fs, out);
  return out.finish();
}

}  // namespace ingot::hwmatch
