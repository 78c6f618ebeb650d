// What `ingot serve` was asked to run, from flags or a JSON config file with the same keys.
// Each part of the server (DHCP, TFTP, HTTP, later the API) is started by its own factory in
// serve_<part>.cpp and kept alive as a Service until the process stops.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "common/asio.h"
#include "common/result.h"
#include "pxe/boot_policy.h"
#include "pxe/http_router.h"

namespace ingot::serve {

struct Options {
  std::string listen = "0.0.0.0";   // address every listener binds
  std::string interface;            // DHCP: the interface to serve (SO_BINDTODEVICE); optional
  std::string advertise;            // address clients are told to use; default: listen, or the interface's
  std::string dhcp_mode = "off";    // full | proxy | off
  std::string dhcp_range;           // full mode: "198.18.0.100-198.18.0.199"
  std::string dhcp_netmask;         // full mode; default from the interface, else 255.255.255.0
  std::string dhcp_router;          // full mode, optional
  std::string dhcp_dns;             // full mode, optional, comma separated
  std::uint32_t dhcp_lease_seconds = 3600;
  std::filesystem::path dhcp_reservations;  // full mode, optional: "MAC ADDRESS" lines
  std::uint16_t dhcp_port = 67;     // advanced: tests and benches run DHCP on a free port
  std::filesystem::path tftp_root;  // empty: TFTP off
  std::uint16_t tftp_port = 69;
  std::filesystem::path http_root;  // static boot files; empty: scripts only
  std::uint16_t http_port = 8080;
  std::filesystem::path boot_policy;  // static policy JSON; empty: every machine stays silent
  std::filesystem::path state_dir = "/var/lib/ingot";
  std::filesystem::path roles_dir;  // provisioner mode: roles to match machines against
  std::int64_t upgrade_timeout_s = 0;  // provisioner: silent upgrading agent = failed (0: default)
  bool discover = false;           // provisioner: enrol unknown machines that PXE-boot
  std::size_t discover_cap = 0;    // at most this many discovered nodes (0: default)
  std::int64_t reservation_ttl_s = 0;  // provisioner: a role slot not deployed within this is freed (0: default)
  // Routes other parts of the server (API, image store) mount on the one HTTP server.
  std::function<void(pxe::HttpRouter&)> extra_routes;
};

// A running part of the server; destroying it stops it.
class Service {
 public:
  virtual ~Service() = default;
};

using ServicePtr = std::unique_ptr<Service>;

// Each returns nullptr (no error) when the options turn that part off.
Result<ServicePtr> start_dhcp(asio::io_context& io, const Options& o, pxe::BootPolicy& policy);
Result<ServicePtr> start_tftp(asio::io_context& io, const Options& o);
Result<ServicePtr> start_http(asio::io_context& io, const Options& o, pxe::BootPolicy& policy);

}  // namespace ingot::serve

namespace ingot::server {
class Provisioner;
}

namespace ingot::serve {

// Provisioner mode (--roles): opens the state directory and sets o.extra_routes to the API,
// the image store and the deploy ramdisk. The caller keeps the result alive while serving.
Result<std::unique_ptr<server::Provisioner>> start_provisioner(asio::io_context& io, Options& o);

}  // namespace ingot::serve
