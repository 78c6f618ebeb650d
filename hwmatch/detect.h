// Hardware detection: reads a machine's /sys, /proc and SMBIOS table through one root
// directory (default "/") and returns eDeploy-style facts ([class, name, key, value]).
// A source that is absent or malformed is reported, never guessed at: it yields a fact
// ["ingot","detect","missing"|"invalid", what] plus a human note, and no partial list.
//
// Facts produced (eDeploy's names where eDeploy had them; sizes in bytes unless noted):
//   system   product|motherboard  vendor name version serial [uuid]      DMI / SMBIOS types 1, 2
//   system   kernel               version
//   firmware bios                 vendor version date                    SMBIOS type 0
//   firmware boot                 mode  uefi|bios
//   cpu      physical             number                                 sockets
//   cpu      physical_N           vendor product cores threads family model stepping flags
//   cpu      logical              number
//   numa     nodes                count
//   numa     node_N               cpus cpu_count cpu_mask memory
//   memory   total                size                                   /proc/meminfo MemTotal
//   memory   bank:N               description slot bank size speed(MT/s) clock(Hz) vendor product serial
//   memory   banks                count size                             SMBIOS type 17
//   disk     logical              count
//   disk     NAME                 size(GB, 10^9) rotational vendor model rev serial wwn
//                                 physical_block_size transport(nvme|sata|sas|virtio|scsi|usb|mmc)
//   network  IFACE                serial(MAC) driver businfo pci-vendor pci-device link(yes|no)
//                                 speed(Mb/s) ipv4 ipv4-netmask ipv4-cidr ipv4-network
//                                 ipv6 ipv6-cidr ipv6-network
//   pci      DDDD:BB:DD.F         vendor device class subsystem_vendor subsystem_device driver
//   pci      devices              count
//   ipmi     device               path
//   ingot    detect               missing|invalid  <source or file>      see FactSink
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "hwmatch/facts.h"

namespace ingot::hwmatch {

struct Detection {
  Facts facts;                     // hardware facts, then the ingot/detect notes as facts
  std::vector<std::string> notes;  // one line per skipped or malformed source, for humans
};

// Never fails: everything it cannot read becomes a note. Network addresses come from
// proc/net/{route,fib_trie,if_inet6} under the root, not getifaddrs(), so a captured tree
// and the live machine go through the same code.
Detection detect(const std::filesystem::path& root = "/");

}  // namespace ingot::hwmatch
