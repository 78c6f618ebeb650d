// The full-DHCP lease file: bound leases as JSON under the state directory, so a restarted
// server gives every MAC the address it had. Written atomically (temp file, fsync, rename):
// a crash leaves the old file or the new one, never half of one.
//   {"version":1,"leases":[{"mac":"52:54:00:12:34:56","ip":"198.18.0.100","expires":1764000000}]}
#pragma once

#include <filesystem>
#include <vector>

#include "common/result.h"
#include "pxe/dhcp_lease_table.h"

namespace ingot::pxe {

// A lease file larger than this is not ours (a /16 of leases is ~5 MB of JSON).
inline constexpr std::uintmax_t kMaxLeaseFileBytes = 16u << 20;

// A missing file is an empty list; an unreadable or corrupt one is an error naming the file
// (refusing to start beats silently forgetting every lease).
Result<std::vector<Lease>> load_leases(const std::filesystem::path& file);
Result<void> save_leases(const std::filesystem::path& file, const std::vector<Lease>& leases);

}  // namespace ingot::pxe
