// A simulated BMC for the power tests: OpenIPMI's ipmi_sim on 127.0.0.1 and a free UDP port,
// configured by tests/provisioner/bmc/bmc-sim.sh (the same harness the e2e test uses), with the
// record-only chassis program; stopped by PID.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <optional>
#include <string>

#include "tests/support/test_support.h"

namespace ingot::test {

inline std::string bmc_harness_dir() { return env_or("INGOT_SOURCE_DIR", ".") + "/tests/provisioner/bmc"; }

// A UDP port nobody is bound to on 127.0.0.1 right now (0 on failure).
inline int free_udp_port() {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  close(fd);
  return port;
}

inline bool udp_port_taken(int port) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  bool taken = bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0;
  close(fd);
  return taken;
}

class SimBmc {
 public:
  SimBmc(std::string user = "admin", std::string password = "secret")
      : user_(std::move(user)), password_(std::move(password)), port_(free_udp_port()) {
    std::string out;
    int rc = run("bash " + bmc_harness_dir() + "/bmc-sim.sh conf " + dir_.path().string() + " " +
                     std::to_string(port_) + " " + user_ + " '" + password_ + "'",
                 &out);
    if (rc != 0) throw std::runtime_error("bmc-sim.sh conf failed: " + out);
    // SIGPIPE ignored, as bmc-sim.sh does: ipmi_sim dies of it when a VM peer vanishes.
    sim_.emplace(std::vector<std::string>{"bash", "-c", "trap '' PIPE && exec ipmi_sim -c \"$0/lan.conf\" -f "
                                                        "\"$0/bmc.emu\" -s \"$0/state\" -n",
                                          dir_.path().string()},
                 dir_ / "ipmi_sim.log");
    if (!wait_until([&] { return udp_port_taken(port_); }, std::chrono::seconds(5)))
      throw std::runtime_error("ipmi_sim did not bind port " + std::to_string(port_) + ": " +
                               read_file(dir_ / "ipmi_sim.log"));
  }
  ~SimBmc() {
    run("bash " + bmc_harness_dir() + "/bmc-chassis.sh " + dir_.path().string() + " set power 0");
    sim_.reset();  // stops ipmi_sim by PID
  }

  int port() const { return port_; }
  std::string url(const std::string& password) const {
    return "ipmi://" + user_ + ":" + password + "@127.0.0.1:" + std::to_string(port_);
  }
  std::string url() const { return url(password_); }
  // What the chassis program recorded: "" when unset.
  std::string state(const std::string& name) const {
    auto s = read_file(dir_ / name);
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
  }
  std::string chassis_log() const { return read_file(dir_ / "chassis.log"); }
  // ipmitool as an independent client of the same BMC.
  std::string ipmitool(const std::string& args) const {
    std::string out;
    run("ipmitool -I lanplus -C 3 -H 127.0.0.1 -p " + std::to_string(port_) + " -U " + user_ + " -P '" + password_ +
            "' " + args,
        &out);
    return out;
  }

 private:
  TempDir dir_;
  std::string user_, password_;
  int port_;
  std::optional<Child> sim_;
};

}  // namespace ingot::test
