// The node's own configuration, written by the agent onto the freshly laid image: hostname,
// network (systemd-networkd, matched by MAC so NIC naming never matters), SSH keys, a
// cloud-init NoCloud seed, and the hand-off for configuration management (role, allocation,
// `$$` variables) as JSON for Puppet/Ansible facts and as shell variables for first boot.
// Pure: inputs in, files out.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace ingot::deploy {

struct NodeConfigInput {
  std::string node;                       // inventory name
  std::string role;
  nlohmann::json allocation = nlohmann::json::object();  // hostname, ip (CIDR), gateway, dns, ...
  nlohmann::json variables = nlohmann::json::object();   // `$$` exports of the role's spec
  std::string boot_mac;                   // the NIC the allocation's address goes on
  std::vector<std::string> ssh_authorized_keys;
  std::string server_url;                 // for the first-boot callback
  std::string node_token;                 // the node's token, for the callback and upgrades
};

struct ConfigFile {
  std::string content;
  unsigned mode = 0644;
};

// Path (absolute, inside the target root) → file. Errors name the allocation field at fault.
Result<std::map<std::string, ConfigFile>> render_node_config(const NodeConfigInput& in);

}  // namespace ingot::deploy
