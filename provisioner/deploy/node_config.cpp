#include "provisioner/deploy/node_config.h"

#include <cstdint>
#include <cstdio>
#include <sstream>

namespace ingot::deploy {
namespace {
using nlohmann::json;

std::string str_field(const json& j, const char* key) {
  if (!j.contains(key)) return {};
  const json& v = j[key];
  return v.is_string() ? v.get<std::string>() : v.dump();
}

// Shell-safe single-quoted value for the .env hand-off file.
std::string sh_quote(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'') out += "'\\''";
    else out.push_back(c);
  }
  return out + "'";
}

bool valid_hostname(const std::string& h) {
  if (h.empty() || h.size() > 253) return false;
  std::size_t label = 0;
  for (char c : h) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || ++label > 63) return false;
  }
  return label > 0;
}

// Env-file keys: upper-case, [A-Z0-9_], prefixed, so `$$disk-serial` becomes INGOT_VAR_DISK_SERIAL.
std::string env_key(std::string prefix, const std::string& name) {
  for (char c : name) {
    if (c >= 'a' && c <= 'z') prefix.push_back(static_cast<char>(c - 'a' + 'A'));
    else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) prefix.push_back(c);
    else prefix.push_back('_');
  }
  return prefix;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ',' || c == ' ') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// "255.255.255.0" → 24; -1 for anything that is not a contiguous IPv4 netmask.
int netmask_bits(const std::string& mask) {
  unsigned parts[4];
  char tail;
  if (std::sscanf(mask.c_str(), "%u.%u.%u.%u%c", &parts[0], &parts[1], &parts[2], &parts[3], &tail) != 4) return -1;
  std::uint32_t v = 0;
  for (unsigned p : parts) {
    if (p > 255) return -1;
    v = v << 8 | p;
  }
  int bits = 0;
  while (bits < 32 && (v & (0x80000000u >> bits))) ++bits;
  return (bits == 32 || (v << bits) == 0) ? bits : -1;
}

}  // namespace

Result<std::map<std::string, ConfigFile>> render_node_config(const NodeConfigInput& in) {
  std::map<std::string, ConfigFile> files;
  std::string hostname = str_field(in.allocation, "hostname");
  if (hostname.empty()) hostname = in.node;
  if (!valid_hostname(hostname)) return fail("allocation.hostname: '" + hostname + "' is not a valid hostname");
  std::string shortname = hostname.substr(0, hostname.find('.'));
  std::string ip = str_field(in.allocation, "ip");
  if (!ip.empty() && ip.find('/') == std::string::npos) {
    std::string prefix = str_field(in.allocation, "prefix");
    if (prefix.empty()) {
      auto bits = netmask_bits(str_field(in.allocation, "netmask"));
      if (bits >= 0) prefix = std::to_string(bits);
    }
    if (prefix.empty())
      return fail("allocation.ip: '" + ip + "' needs a prefix length (198.18.0.10/24), or a prefix or netmask key");
    ip += "/" + prefix;
  }
  std::string gateway = str_field(in.allocation, "gateway");
  auto dns = split_list(str_field(in.allocation, "dns"));

  files["/etc/hostname"] = {hostname + "\n"};
  std::string hosts = "127.0.0.1\tlocalhost\n";
  hosts += (ip.empty() ? std::string("127.0.1.1") : ip.substr(0, ip.find('/'))) + "\t" + hostname +
           (shortname != hostname ? "\t" + shortname : "") + "\n";
  hosts += "::1\tlocalhost ip6-localhost ip6-loopback\n";
  files["/etc/hosts"] = {hosts};

  std::ostringstream net;
  net << "# Written by ingot for node " << in.node << " (role " << in.role << ").\n[Match]\n";
  if (!in.boot_mac.empty()) net << "MACAddress=" << in.boot_mac << "\n";
  else net << "Name=en* eth*\n";
  net << "\n[Network]\n";
  if (ip.empty()) {
    net << "DHCP=yes\n";
  } else {
    net << "Address=" << ip << "\n";
    if (!gateway.empty()) net << "Gateway=" << gateway << "\n";
    for (auto& d : dns) net << "DNS=" << d << "\n";
  }
  files["/etc/systemd/network/10-ingot.network"] = {net.str()};

  if (!in.ssh_authorized_keys.empty()) {
    std::string keys;
    for (auto& k : in.ssh_authorized_keys) keys += k + "\n";
    files["/root/.ssh/authorized_keys"] = {keys, 0600};
  }

  json handoff = {{"node", in.node},         {"hostname", hostname},  {"role", in.role},
                  {"allocation", in.allocation}, {"variables", in.variables},
                  {"server", in.server_url},  {"callback", in.server_url + "/api/v1/agent/callback"}};
  files["/etc/ingot/handoff.json"] = {handoff.dump(2) + "\n"};
  // Ansible local facts (ansible_local.ingot) and Facter external facts read the same JSON.
  files["/etc/ansible/facts.d/ingot.fact"] = {handoff.dump(2) + "\n"};
  files["/etc/puppetlabs/facter/facts.d/ingot.json"] = {handoff.dump(2) + "\n"};

  std::ostringstream env;
  env << "INGOT_NODE=" << sh_quote(in.node) << "\nINGOT_HOSTNAME=" << sh_quote(hostname)
      << "\nINGOT_ROLE=" << sh_quote(in.role) << "\nINGOT_SERVER=" << sh_quote(in.server_url) << "\n";
  for (auto& [k, v] : in.allocation.items()) env << env_key("INGOT_ALLOC_", k) << "=" << sh_quote(v.is_string() ? v.get<std::string>() : v.dump()) << "\n";
  for (auto& [k, v] : in.variables.items()) env << env_key("INGOT_VAR_", k) << "=" << sh_quote(v.is_string() ? v.get<std::string>() : v.dump()) << "\n";
  files["/etc/ingot/handoff.env"] = {env.str()};
  if (!in.node_token.empty()) files["/etc/ingot/node.token"] = {in.node_token + "\n", 0600};

  // cloud-init NoCloud seed: the same identity for images that run cloud-init.
  files["/var/lib/cloud/seed/nocloud/meta-data"] = {"instance-id: ingot-" + in.node + "\nlocal-hostname: " + hostname + "\n"};
  std::ostringstream ud;
  ud << "#cloud-config\nhostname: " << shortname << "\nfqdn: " << hostname << "\nmanage_etc_hosts: false\n";
  if (!in.ssh_authorized_keys.empty()) {
    ud << "ssh_authorized_keys:\n";
    for (auto& k : in.ssh_authorized_keys) ud << "  - " << json(k).dump() << "\n";
  }
  files["/var/lib/cloud/seed/nocloud/user-data"] = {ud.str()};
  return files;
}

}  // namespace ingot::deploy
