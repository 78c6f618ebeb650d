#include "pxe/dhcp_lease_table.h"

#include <algorithm>

namespace ingot::pxe {

LeaseTable::LeaseTable(AddressPlan plan) : plan_(std::move(plan)) {
  for (const auto& [mac, ip] : plan_.reservations) reserved_[ip] = mac;
}

std::optional<MacAddress> LeaseTable::reserved_for(Ipv4 ip) const {
  auto it = reserved_.find(ip);
  if (it == reserved_.end()) return std::nullopt;
  return it->second;
}

bool LeaseTable::available(const MacAddress& mac, Ipv4 ip, std::int64_t now) const {
  auto owner = reserved_for(ip);
  if (owner) return *owner == mac;
  if (!in_range(ip)) return false;
  if (auto d = declined_.find(ip); d != declined_.end() && d->second > now) return false;
  auto it = by_ip_.find(ip);
  if (it == by_ip_.end() || it->second == mac) return true;
  return by_mac_.at(it->second).expires <= now;
}

void LeaseTable::assign(const MacAddress& mac, Ipv4 ip, std::int64_t expires, bool bound) {
  if (auto old = by_mac_.find(mac); old != by_mac_.end() && old->second.ip != ip) by_ip_.erase(old->second.ip);
  if (auto prev = by_ip_.find(ip); prev != by_ip_.end() && prev->second != mac) {
    if (by_mac_.at(prev->second).bound) dirty_ = true;
    by_mac_.erase(prev->second);  // an expired binding of another MAC gives way
  }
  by_mac_[mac] = Lease{mac, ip, expires, bound};
  by_ip_[ip] = mac;
}

std::optional<Ipv4> LeaseTable::offer(const MacAddress& mac, std::optional<Ipv4> requested, std::int64_t now,
                                      std::int64_t hold_seconds) {
  std::optional<Ipv4> pick;
  if (auto r = plan_.reservations.find(mac); r != plan_.reservations.end()) {
    pick = r->second;
  } else if (auto l = by_mac_.find(mac); l != by_mac_.end() && available(mac, l->second.ip, now)) {
    pick = l->second.ip;
  } else if (requested && available(mac, *requested, now)) {
    pick = *requested;
  } else {
    for (Ipv4 ip = plan_.first; ip <= plan_.last && ip >= plan_.first; ++ip) {
      if (!by_ip_.count(ip) && available(mac, ip, now)) {
        pick = ip;
        break;
      }
    }
  }
  if (!pick) {
    // Pool full of history: reuse the address whose lease ended longest ago.
    const Lease* oldest = nullptr;
    for (const auto& [m, lease] : by_mac_)
      if (lease.expires <= now && available(mac, lease.ip, now) && (!oldest || lease.expires < oldest->expires))
        oldest = &lease;
    if (oldest) pick = oldest->ip;
  }
  if (!pick) return std::nullopt;
  auto existing = by_mac_.find(mac);
  bool keep = existing != by_mac_.end() && existing->second.ip == *pick;
  std::int64_t expires = std::max(keep ? existing->second.expires : 0, now + hold_seconds);
  assign(mac, *pick, expires, keep && existing->second.bound);
  return pick;
}

bool LeaseTable::can_bind(const MacAddress& mac, Ipv4 ip, std::int64_t now) const {
  if (auto r = plan_.reservations.find(mac); r != plan_.reservations.end()) return r->second == ip;
  return available(mac, ip, now);
}

void LeaseTable::bind(const MacAddress& mac, Ipv4 ip, std::int64_t now, std::int64_t lease_seconds) {
  assign(mac, ip, now + lease_seconds, true);
  declined_.erase(ip);
  dirty_ = true;
}

void LeaseTable::release(const MacAddress& mac, Ipv4 ip, std::int64_t now) {
  auto it = by_mac_.find(mac);
  if (it == by_mac_.end() || it->second.ip != ip) return;
  it->second.expires = std::min(it->second.expires, now);
  dirty_ = dirty_ || it->second.bound;
}

void LeaseTable::decline(const MacAddress& mac, Ipv4 ip, std::int64_t now, std::int64_t quarantine_seconds) {
  auto it = by_mac_.find(mac);
  if (it == by_mac_.end() || it->second.ip != ip) return;
  if (it->second.bound) dirty_ = true;
  by_ip_.erase(ip);
  by_mac_.erase(it);
  declined_[ip] = now + quarantine_seconds;
}

void LeaseTable::forget_offer(const MacAddress& mac) {
  auto it = by_mac_.find(mac);
  if (it == by_mac_.end() || it->second.bound) return;
  by_ip_.erase(it->second.ip);
  by_mac_.erase(it);
}

const Lease* LeaseTable::find(const MacAddress& mac) const {
  auto it = by_mac_.find(mac);
  return it == by_mac_.end() ? nullptr : &it->second;
}

std::vector<Lease> LeaseTable::bound_leases() const {
  std::vector<Lease> out;
  for (const auto& [mac, lease] : by_mac_)
    if (lease.bound) out.push_back(lease);
  return out;
}

void LeaseTable::load(const std::vector<Lease>& leases) {
  for (const auto& l : leases) {
    auto owner = reserved_for(l.ip);
    if (owner ? *owner != l.mac : !in_range(l.ip)) continue;
    if (by_ip_.count(l.ip)) continue;  // first entry wins; the file should never hold two
    assign(l.mac, l.ip, l.expires, true);
  }
}

}  // namespace ingot::pxe
