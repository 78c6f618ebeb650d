// `ingot serve`: the one server command. Today it runs the boot plane (DHCP, TFTP, HTTP) from
// flags or a JSON config file with the same keys; flags win over the file.
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "common/cli.h"
#include "common/log.h"
#include "provisioner/cli/ingot/serve_options.h"
#include "provisioner/server/provisioner.h"
#include "pxe/static_policy.h"

namespace ingot::serve {
namespace {

const std::vector<std::string> kValueFlags = {
    "config", "listen", "interface", "advertise", "dhcp", "dhcp-range", "dhcp-netmask", "dhcp-router",
    "dhcp-dns", "dhcp-lease-seconds", "dhcp-reservations", "dhcp-port", "tftp-root", "tftp-port", "http-root", "http-port",
    "boot-policy", "state-dir", "log-level", "roles", "upgrade-timeout", "reservation-ttl", "discover-cap"};

Result<std::uint16_t> parse_port(const std::string& flag, const std::string& v) {
  try {
    std::size_t used = 0;
    unsigned long n = std::stoul(v, &used);
    if (used == v.size() && n <= 65535) return static_cast<std::uint16_t>(n);
  } catch (...) {
  }
  return fail("--" + flag + ": '" + v + "' is not a port number (0-65535)");
}

Result<std::int64_t> parse_seconds(const std::string& flag, const std::string& v) {
  char* end = nullptr;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end || n <= 0) return fail("--" + flag + ": '" + v + "' is not a number of seconds > 0");
  return n;
}

// Merges config-file keys (same names as the flags) under the flags.
Result<std::map<std::string, std::string>> gather(const cli::Flags& f) {
  std::map<std::string, std::string> values;
  if (auto cfg = f.get("config")) {
    std::ifstream in(*cfg);
    if (!in) return fail(*cfg + ": cannot open config file");
    auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail(*cfg + ": not a JSON object");
    for (auto& [k, v] : j.items()) {
      if (std::find(kValueFlags.begin(), kValueFlags.end(), k) == kValueFlags.end() || k == "config")
        return fail(*cfg + ": unknown key '" + k + "'");
      values[k] = v.is_string() ? v.get<std::string>() : v.dump();
    }
  }
  for (const auto& k : kValueFlags)
    if (auto v = f.get(k)) values[k] = *v;
  if (f.has("discover")) values["discover"] = "on";
  return values;
}

Result<Options> options_from(const std::map<std::string, std::string>& v) {
  Options o;
  auto get = [&](const char* k) -> const std::string* {
    auto it = v.find(k);
    return it == v.end() ? nullptr : &it->second;
  };
  // A port flag, when given, into `out`.
  auto port = [&](const char* k, std::uint16_t& out) -> Result<void> {
    auto s = get(k);
    if (!s) return ok();
    auto p = parse_port(k, *s);
    if (!p) return fail(p.error());
    out = *p;
    return ok();
  };
  if (auto s = get("listen")) o.listen = *s;
  if (auto s = get("interface")) o.interface = *s;
  if (auto s = get("advertise")) o.advertise = *s;
  if (auto s = get("dhcp")) {
    if (*s != "full" && *s != "proxy" && *s != "off") return fail("--dhcp: '" + *s + "' is not full, proxy or off");
    o.dhcp_mode = *s;
  }
  if (auto s = get("dhcp-range")) o.dhcp_range = *s;
  if (auto s = get("dhcp-netmask")) o.dhcp_netmask = *s;
  if (auto s = get("dhcp-router")) o.dhcp_router = *s;
  if (auto s = get("dhcp-dns")) o.dhcp_dns = *s;
  if (auto s = get("dhcp-lease-seconds")) {
    try {
      o.dhcp_lease_seconds = static_cast<std::uint32_t>(std::stoul(*s));
    } catch (...) {
      return fail("--dhcp-lease-seconds: '" + *s + "' is not a number");
    }
  }
  if (auto s = get("dhcp-reservations")) o.dhcp_reservations = *s;
  if (auto r = port("dhcp-port", o.dhcp_port); !r) return fail(r.error());
  if (auto s = get("tftp-root")) o.tftp_root = *s;
  if (auto r = port("tftp-port", o.tftp_port); !r) return fail(r.error());
  if (auto s = get("http-root")) o.http_root = *s;
  if (auto r = port("http-port", o.http_port); !r) return fail(r.error());
  if (auto s = get("boot-policy")) o.boot_policy = *s;
  if (auto s = get("state-dir")) o.state_dir = *s;
  if (auto s = get("roles")) o.roles_dir = *s;
  for (auto [flag, field] : {std::pair{"upgrade-timeout", &o.upgrade_timeout_s}, std::pair{"reservation-ttl", &o.reservation_ttl_s}}) {
    if (auto s = get(flag)) {
      auto n = parse_seconds(flag, *s);
      if (!n) return fail(n.error());
      *field = *n;
    }
  }
  o.discover = get("discover") != nullptr;
  if (auto s = get("discover-cap")) {
    auto n = parse_seconds("discover-cap", *s);  // a positive whole number, like a duration
    if (!n) return fail("--discover-cap: '" + *s + "' is not a number > 0");
    o.discover_cap = static_cast<std::size_t>(*n);
  }
  if (auto s = get("log-level")) {
    log::Level l;
    if (!log::parse_level(*s, l)) return fail("--log-level: '" + *s + "' is not debug, info, warn or error");
    log::set_level(l);
  }
  return o;
}

int run(const cli::Args& args) {
  // A client that goes away mid-answer (an agent killed during its sync) must cost one
  // connection, not the server: sendfile(2) to a closed socket raises SIGPIPE, which would end
  // the process silently. Ignored, the write fails with EPIPE and the connection is dropped.
  std::signal(SIGPIPE, SIG_IGN);
  cli::Flags flags(args, kValueFlags, {"discover"});
  if (!flags.ok()) {
    std::cerr << "ingot serve: " << flags.error() << "\n";
    return 2;
  }
  auto values = gather(flags);
  if (!values) {
    std::cerr << "ingot serve: " << values.error().message() << "\n";
    return 2;
  }
  auto opts = options_from(*values);
  if (!opts) {
    std::cerr << "ingot serve: " << opts.error().message() << "\n";
    return 2;
  }
  pxe::StaticPolicy static_policy;
  pxe::BootPolicy* policy = &static_policy;
  if (!opts->boot_policy.empty()) {
    if (!opts->roles_dir.empty()) {
      std::cerr << "ingot serve: give --boot-policy (static boot plane) or --roles (provisioner), not both\n";
      return 2;
    }
    auto p = pxe::StaticPolicy::load(opts->boot_policy);
    if (!p) {
      std::cerr << "ingot serve: boot policy: " << p.error().message() << "\n";
      return 2;
    }
    static_policy = std::move(*p);
  }

  asio::io_context io;
  std::unique_ptr<server::Provisioner> provisioner;
  if (!opts->roles_dir.empty()) {
    auto p = start_provisioner(io, *opts);
    if (!p) {
      std::cerr << "ingot serve: " << p.error().message() << "\n";
      return 1;
    }
    provisioner = std::move(*p);
    policy = &provisioner->boot_policy();
  }
  std::vector<ServicePtr> services;
  for (auto start : {+[](asio::io_context& io, const Options& o, pxe::BootPolicy& p) { return start_dhcp(io, o, p); },
                     +[](asio::io_context& io, const Options& o, pxe::BootPolicy&) { return start_tftp(io, o); },
                     +[](asio::io_context& io, const Options& o, pxe::BootPolicy& p) { return start_http(io, o, p); }}) {
    auto s = start(io, *opts, *policy);
    if (!s) {
      std::cerr << "ingot serve: " << s.error().message() << "\n";
      return 1;
    }
    if (*s) services.push_back(std::move(*s));
  }
  if (services.empty()) {
    std::cerr << "ingot serve: nothing to serve (give --dhcp, --tftp-root or --http-port)\n";
    return 2;
  }
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int sig) {
    INGOT_LOG(info, "serve") << "signal " << sig << ", stopping";
    io.stop();
  });
  INGOT_LOG(info, "serve") << "ready";
  io.run();
  return 0;
}

}  // namespace
}  // namespace ingot::serve

INGOT_COMMAND("serve", "run the server: boot plane (DHCP, TFTP, HTTP) and, with --roles, the provisioner", ingot::serve::run);
