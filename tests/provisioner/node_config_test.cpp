#include <doctest/doctest.h>

#include "provisioner/deploy/node_config.h"

using namespace ingot::deploy;

namespace {
NodeConfigInput compute() {
  NodeConfigInput in;
  in.node = "node-7";
  in.role = "compute";
  in.allocation = {{"hostname", "cmp007.rack1.example"}, {"ip", "198.18.0.17/24"}, {"gateway", "198.18.0.1"},
                   {"dns", "198.18.0.2, 198.18.0.3"}};
  in.variables = {{"disk-serial", "S3Z it's"}, {"eth", "eth0"}};
  in.boot_mac = "52:54:00:00:00:07";
  in.ssh_authorized_keys = {"ssh-ed25519 AAAA operator@site"};
  in.server_url = "http://198.18.0.1:8080";
  in.node_token = "abcd";
  return in;
}
}  // namespace

TEST_CASE("a compute node gets hostname, static network, keys, seed and hand-off") {
  auto files = render_node_config(compute());
  REQUIRE_MESSAGE(files, (files ? "" : files.error().message()));
  CHECK(files->at("/etc/hostname").content == "cmp007.rack1.example\n");
  CHECK(files->at("/etc/hosts").content.find("198.18.0.17\tcmp007.rack1.example\tcmp007\n") != std::string::npos);
  const std::string& net = files->at("/etc/systemd/network/10-ingot.network").content;
  CHECK(net.find("MACAddress=52:54:00:00:00:07\n") != std::string::npos);
  CHECK(net.find("Address=198.18.0.17/24\nGateway=198.18.0.1\nDNS=198.18.0.2\nDNS=198.18.0.3\n") != std::string::npos);
  CHECK(files->at("/root/.ssh/authorized_keys").mode == 0600);
  CHECK(files->at("/etc/ingot/node.token").mode == 0600);

  auto handoff = nlohmann::json::parse(files->at("/etc/ingot/handoff.json").content);
  CHECK(handoff["role"] == "compute");
  CHECK(handoff["variables"]["eth"] == "eth0");
  CHECK(handoff["callback"] == "http://198.18.0.1:8080/api/v1/agent/callback");

  const std::string& env = files->at("/etc/ingot/handoff.env").content;
  CHECK(env.find("INGOT_ROLE='compute'\n") != std::string::npos);
  CHECK(env.find("INGOT_VAR_DISK_SERIAL='S3Z it'\\''s'\n") != std::string::npos);
  CHECK(env.find("INGOT_ALLOC_IP='198.18.0.17/24'\n") != std::string::npos);

  CHECK(files->at("/var/lib/cloud/seed/nocloud/meta-data").content ==
        "instance-id: ingot-node-7\nlocal-hostname: cmp007.rack1.example\n");
  CHECK(files->at("/var/lib/cloud/seed/nocloud/user-data").content.find("hostname: cmp007\n") != std::string::npos);
}

TEST_CASE("without an address the node uses DHCP and its inventory name") {
  NodeConfigInput in;
  in.node = "auto-525400000001";
  in.role = "tiny";
  auto files = render_node_config(in);
  REQUIRE(files);
  CHECK(files->at("/etc/hostname").content == "auto-525400000001\n");
  CHECK(files->at("/etc/systemd/network/10-ingot.network").content.find("DHCP=yes") != std::string::npos);
  CHECK(files->count("/root/.ssh/authorized_keys") == 0);
}

TEST_CASE("bad allocations are refused naming the field") {
  auto in = compute();
  in.allocation["hostname"] = "bad_host!";
  auto r = render_node_config(in);
  REQUIRE_FALSE(r);
  CHECK(r.error().message() == "allocation.hostname: 'bad_host!' is not a valid hostname");
  in = compute();
  in.allocation["ip"] = "198.18.0.17";
  r = render_node_config(in);
  REQUIRE_FALSE(r);
  CHECK(r.error().message().find("allocation.ip") == 0);
  in.allocation["netmask"] = "255.255.0.0";
  r = render_node_config(in);
  REQUIRE(r);
  CHECK(r->at("/etc/systemd/network/10-ingot.network").content.find("Address=198.18.0.17/16\n") != std::string::npos);
  in.allocation["netmask"] = "255.0.255.0";
  CHECK_FALSE(render_node_config(in));
}
