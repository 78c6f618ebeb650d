// A boot storm from one process: N PXE clients behind one DHCP relay agent (giaddr set, so
// the server answers unicast to the relay, which works over loopback) do DISCOVER/OFFER/
// REQUEST/ACK with ingot's DHCP codec, then each fetches its boot file over TFTP, at most
// `tftp_concurrent` at a time, as a rack of machines powered on together would.
#pragma once

#include <chrono>
#include <netinet/in.h>

#include "bench/loadgen/tftp_client.h"

namespace ingot::bench {

struct StormJob {
  sockaddr_in dhcp_server{};  // where the relay forwards requests
  sockaddr_in relay{};        // the relay agent's address and port (replies come here)
  TftpJob tftp;
  unsigned clients = 200;
  unsigned tftp_concurrent = 50;
};

struct StormResult {
  unsigned dhcp_ok = 0;       // clients that got an ACK
  unsigned tftp_ok = 0;       // clients whose file arrived whole
  double dhcp_seconds = 0;    // until the last ACK
  double seconds = 0;         // until the last transfer ended
  std::string first_error;
};

StormResult run_storm(const StormJob& job, std::chrono::seconds deadline);

}  // namespace ingot::bench
