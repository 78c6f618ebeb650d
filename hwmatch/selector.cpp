#include "hwmatch/selector.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace ingot::hwmatch {
namespace {

// Firmware placeholders that many boards ship instead of a real serial or UUID; using them as
// an identity would make every such board the same node.
constexpr std::array<std::string_view, 10> kPlaceholderIds = {
    "0", "none", "not specified", "to be filled by o.e.m.", "default string", "system serial number",
    "0123456789", "03000200-0400-0500-0006-000700080009", "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff"};

bool usable_id(std::string_view v) {
  if (v.empty()) return false;
  std::string lower(v);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return std::find(kPlaceholderIds.begin(), kPlaceholderIds.end(), lower) == kPlaceholderIds.end();
}

}  // namespace

std::string node_identity(const Facts& facts) {
  const Fact* serial = nullptr;
  const Fact* mac = nullptr;
  for (const Fact& f : facts) {
    if (f.cls == "system" && f.name == "product" && f.key == "uuid" && usable_id(f.value)) return "uuid:" + f.value;
    if (f.cls == "system" && f.name == "product" && f.key == "serial" && usable_id(f.value) && !serial) serial = &f;
    if (f.cls == "network" && f.key == "serial" && !f.value.empty() && (!mac || f.value < mac->value)) mac = &f;
  }
  if (serial) return "serial:" + serial->value;
  if (mac) return "mac:" + mac->value;
  return "";
}

std::string outcome_text(RoleOutcome::Kind k) {
  switch (k) {
    case RoleOutcome::Kind::matched: return "matched";
    case RoleOutcome::Kind::no_match: return "no match";
    case RoleOutcome::Kind::too_complex: return "too complex";
    case RoleOutcome::Kind::full: return "full";
    case RoleOutcome::Kind::disabled: return "disabled";
    case RoleOutcome::Kind::no_allocation: return "no allocation";
  }
  return "?";
}

Selector::Selector(const std::vector<Role>& roles, AssignmentStore& store, AllocateFn allocate)
    : roles_(roles), store_(store), allocate_(std::move(allocate)) {}

const Role* Selector::find_role(const std::string& name) const {
  for (const auto& r : roles_)
    if (r.name == name) return &r;
  return nullptr;
}

Result<bool> Selector::try_role(const Role& role, const std::string& node, const MatchResult& m, std::int64_t now,
                                Decision& d) {
  Assignment a{node, role.name, m.bindings, {}, Assignment::State::reserved, now};
  if (allocate_) {
    auto all = store_.list();
    if (!all) return fail(all.error());
    std::vector<Allocation> taken;
    for (const auto& other : *all)
      if (other.role == role.name) taken.push_back(other.allocation);
    auto alloc = allocate_(role, m.bindings, taken);
    if (!alloc) {
      d.outcomes.push_back({role.name, RoleOutcome::Kind::no_allocation, alloc.error().message()});
      return false;
    }
    a.allocation = std::move(*alloc);
  }
  auto reserved = store_.reserve(a, role.count);
  if (!reserved) return fail(reserved.error());
  if (!*reserved) {
    d.outcomes.push_back({role.name, RoleOutcome::Kind::full,
                          "matches, but all " + count_text(role.count) + " slots are taken"});
    return false;
  }
  d.outcomes.push_back({role.name, RoleOutcome::Kind::matched, ""});
  d.assigned = true;
  d.assignment = std::move(a);
  return true;
}

Result<Decision> Selector::select(const std::string& node, const Facts& facts, std::int64_t now, bool explain_misses) {
  if (node.empty()) return fail("node has no identity (no SMBIOS UUID, serial or MAC in its facts)");
  Decision d;
  auto held = store_.find(node);
  if (!held) return fail(held.error());
  if (*held) {
    if (find_role((*held)->role)) {
      d.assigned = d.sticky = true;
      d.assignment = **held;
      d.outcomes.push_back({d.assignment.role, RoleOutcome::Kind::matched, "already assigned to this node"});
      return d;
    }
    // Its role was removed from the configuration: give the slot back and choose again.
    if (auto r = store_.release(node); !r) return fail(r.error());
  }
  FactIndex index(facts);
  for (const Role& role : roles_) {
    if (role.count && *role.count == 0) {
      d.outcomes.push_back({role.name, RoleOutcome::Kind::disabled, "count is 0"});
      continue;
    }
    MatchResult m = matcher_.match(role.spec, index);
    if (!m.matched) {
      RoleOutcome o{role.name, m.too_complex ? RoleOutcome::Kind::too_complex : RoleOutcome::Kind::no_match, ""};
      if (explain_misses)
        if (auto miss = explain(role.spec, index, matcher_)) o.detail = miss->to_string();
      d.outcomes.push_back(std::move(o));
      continue;
    }
    auto won = try_role(role, node, m, now, d);
    if (!won) return fail(won.error());
    if (*won) return d;
  }
  return d;
}

Result<std::vector<Assignment>> Selector::expire(std::int64_t now, std::int64_t ttl) {
  auto all = store_.list();
  if (!all) return fail(all.error());
  std::vector<Assignment> released;
  for (const auto& a : *all) {
    if (a.state != Assignment::State::reserved || now - a.since < ttl) continue;
    if (auto r = store_.release(a.node); !r) return fail(r.error());
    released.push_back(a);
  }
  return released;
}

}  // namespace ingot::hwmatch
