// Address assignment for full DHCP (RFC 2131 §4.3.1-§4.3.5): static reservations by MAC plus a
// dynamic range, one binding per MAC. Pure: the clock is an argument, persistence lives in
// dhcp_lease_file. A MAC keeps its address across expiry and restarts while nobody else needs it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "pxe/dhcp_ipv4.h"
#include "pxe/mac_address.h"

namespace ingot::pxe {

// Largest dynamic range: a /16 worth. Bigger is a typo, and the free-address scan is linear.
inline constexpr std::uint32_t kMaxRangeSize = 65536;

struct AddressPlan {
  Ipv4 first = 0, last = 0;  // dynamic range, inclusive
  Ipv4 netmask = 0;
  std::map<MacAddress, Ipv4> reservations;  // may lie outside the range, inside the subnet
};

struct Lease {
  MacAddress mac;
  Ipv4 ip = 0;
  std::int64_t expires = 0;  // unix seconds
  bool bound = false;        // ACKed; false: only offered, held briefly, never persisted
  bool operator==(const Lease&) const = default;
};

class LeaseTable {
 public:
  explicit LeaseTable(AddressPlan plan);

  const AddressPlan& plan() const { return plan_; }
  bool in_range(Ipv4 ip) const { return ip >= plan_.first && ip <= plan_.last; }
  bool in_subnet(Ipv4 ip) const { return same_subnet(ip, plan_.first, plan_.netmask); }

  // The address to offer mac (its reservation, its previous address, the one it asks for, a
  // never-used one, then the longest-expired one), held for hold_seconds; nullopt if none left.
  std::optional<Ipv4> offer(const MacAddress& mac, std::optional<Ipv4> requested, std::int64_t now,
                            std::int64_t hold_seconds);
  // Whether mac may bind ip now (REQUEST in any state).
  bool can_bind(const MacAddress& mac, Ipv4 ip, std::int64_t now) const;
  void bind(const MacAddress& mac, Ipv4 ip, std::int64_t now, std::int64_t lease_seconds);
  // RELEASE: the lease ends now but the MAC keeps first claim on the address.
  void release(const MacAddress& mac, Ipv4 ip, std::int64_t now);
  // DECLINE: someone else uses ip; keep it out of the pool for quarantine_seconds.
  void decline(const MacAddress& mac, Ipv4 ip, std::int64_t now, std::int64_t quarantine_seconds);
  // The client chose another server's offer: drop our unbound offer.
  void forget_offer(const MacAddress& mac);

  const Lease* find(const MacAddress& mac) const;
  // Bound leases, for persistence; and loading them back (entries that no longer fit the plan
  // are skipped, so a changed range never hands out an address outside it).
  std::vector<Lease> bound_leases() const;
  void load(const std::vector<Lease>& leases);

  // Set when a persisted binding changed; the shell saves and clears it once per batch.
  bool dirty() const { return dirty_; }
  void clear_dirty() { dirty_ = false; }

 private:
  bool available(const MacAddress& mac, Ipv4 ip, std::int64_t now) const;
  std::optional<MacAddress> reserved_for(Ipv4 ip) const;
  void assign(const MacAddress& mac, Ipv4 ip, std::int64_t expires, bool bound);

  AddressPlan plan_;
  std::map<Ipv4, MacAddress> reserved_;  // plan_.reservations by address
  std::map<MacAddress, Lease> by_mac_;
  std::map<Ipv4, MacAddress> by_ip_;
  std::map<Ipv4, std::int64_t> declined_;  // ip → quarantined until
  bool dirty_ = false;
};

}  // namespace ingot::pxe
