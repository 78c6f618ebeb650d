// `ingot match FACTS.json DIR [--explain] [--json]`: which role would this machine get? DIR holds
// ingot roles (order + <role>/hardware.spec [+ <role>/pools.json]) or an eDeploy configuration (state, *.specs,
// *.cmdb). Prints the role, its bound variables and its allocation; exits 1 when no role
// matches (with each role's nearest miss under --explain), 2 on bad input.
#include <iostream>

#include <nlohmann/json.hpp>

#include "common/cli.h"
#include "hwmatch/facts.h"
#include "hwmatch/pool_selection.h"
#include "hwmatch/role_loader.h"
#include "hwmatch/selector.h"

namespace ingot::hwmatch {
namespace {

constexpr const char* kUsage = "usage: ingot match FACTS.json DIR [--explain] [--json]";

nlohmann::json to_json(const Decision& d, const std::string& node) {
  nlohmann::json j;
  j["matched"] = d.assigned;
  j["node"] = node;
  if (d.assigned) {
    j["role"] = d.assignment.role;
    nlohmann::json vars = nlohmann::json::object(), exported = nlohmann::json::object();
    for (const auto& b : d.assignment.bindings) {
      vars[b.name] = b.value;
      if (b.exported) exported[b.name] = b.value;
    }
    j["bindings"] = vars;
    j["exported"] = exported;
    j["allocation"] = d.assignment.allocation;
  }
  j["roles"] = nlohmann::json::array();
  for (const auto& o : d.outcomes)
    j["roles"].push_back({{"role", o.role}, {"outcome", outcome_text(o.kind)}, {"detail", o.detail}});
  return j;
}

void print_text(const Decision& d, const std::string& node, bool explain) {
  if (d.assigned) {
    std::cout << "role: " << d.assignment.role << "\nnode: " << node << "\n";
    if (!d.assignment.bindings.empty()) std::cout << "bindings:\n";
    for (const auto& b : d.assignment.bindings)
      std::cout << "  " << (b.exported ? "$$" : "$") << b.name << " = " << b.value << "\n";
    if (!d.assignment.allocation.empty()) std::cout << "allocation:\n";
    for (const auto& [k, v] : d.assignment.allocation) std::cout << "  " << k << " = " << v << "\n";
  } else {
    std::cout << "no role matches node " << node << "\n";
  }
  if (!explain && d.assigned) return;
  for (const auto& o : d.outcomes) {
    if (d.assigned && o.kind == RoleOutcome::Kind::matched) continue;
    std::cout << "  " << o.role << ": " << outcome_text(o.kind);
    if (!o.detail.empty()) std::cout << ": " << o.detail;
    std::cout << "\n";
  }
  if (!d.assigned && !explain) std::cout << "(rerun with --explain for each role's nearest miss)\n";
}

int run_match(const cli::Args& args) {
  cli::Flags f(args, {}, {"explain", "json"});
  if (!f.ok() || f.positional().size() != 2) {
    std::cerr << (f.ok() ? "" : f.error() + "\n") << kUsage << "\n";
    return 2;
  }
  const std::string facts_path = f.positional()[0];
  auto text = read_config_file(facts_path, kMaxFactsDocument);
  if (!text) {
    std::cerr << text.error().message() << "\n";
    return 2;
  }
  auto facts = facts_from_json(*text);
  if (!facts) {
    std::cerr << facts_path << ": " << facts.error().message() << "\n";
    return 2;
  }
  auto loaded = load_roles(f.positional()[1]);
  if (!loaded) {
    std::cerr << loaded.error().message() << "\n";
    return 2;
  }
  auto pools = load_role_pools(f.positional()[1], loaded->roles);
  if (!pools) {
    std::cerr << pools.error().message() << "\n";
    return 2;
  }
  std::string node = node_identity(*facts);
  if (node.empty()) node = "file:" + facts_path;  // a one-shot question needs no stable identity
  MemoryAssignmentStore store;
  Selector selector(loaded->roles, store, pools_allocate_fn(*pools));
  auto d = selector.select(node, *facts, 0, f.has("explain"));
  if (!d) {
    std::cerr << d.error().message() << "\n";
    return 2;
  }
  if (f.has("json")) std::cout << to_json(*d, node).dump(2) << "\n";
  else print_text(*d, node, f.has("explain"));
  return d->assigned ? 0 : 1;
}

}  // namespace
}  // namespace ingot::hwmatch

INGOT_COMMAND("match", "which role a machine's facts get: ingot match FACTS.json DIR [--explain] [--json]",
              ingot::hwmatch::run_match);
