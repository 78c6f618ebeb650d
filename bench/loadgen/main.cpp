// ingot-loadgen: the project's own load generator for bench/. One process drives many
// concurrent transfers, so the servers' differences are not hidden behind client start-up.
//   ingot-loadgen tftp --server 127.0.0.1:PORT --file NAME [--blksize N] [--windowsize N]
//                      [--total N] [--concurrent N] [--expect-size BYTES] [--deadline S]
//   prints: transfers=N ok=N failed=N bytes=N seconds=S mbps=R (R in MB/s)
//   ingot-loadgen storm --dhcp ADDR:PORT --relay ADDR:PORT --server ADDR:PORT --file NAME
//                       [--clients N] [--concurrent N] [--blksize N] [--expect-size BYTES]
//   prints: clients=N dhcp_ok=N tftp_ok=N dhcp_seconds=S seconds=S
#include <arpa/inet.h>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>

#include "bench/loadgen/storm.h"
#include "bench/loadgen/tftp_client.h"

namespace {

bool parse_endpoint(const std::string& s, sockaddr_in& out) {
  auto colon = s.rfind(':');
  if (colon == std::string::npos) return false;
  out.sin_family = AF_INET;
  out.sin_port = htons(static_cast<std::uint16_t>(std::stoi(s.substr(colon + 1))));
  return inet_pton(AF_INET, s.substr(0, colon).c_str(), &out.sin_addr) == 1;
}

int tftp_main(std::map<std::string, std::string>& a) {
  ingot::bench::TftpJob job;
  if (!parse_endpoint(a["server"], job.server) || a["file"].empty()) {
    std::cerr << "ingot-loadgen tftp: need --server ADDR:PORT and --file NAME\n";
    return 2;
  }
  job.file = a["file"];
  auto num = [&](const char* k, unsigned long long dflt) { return a.count(k) ? std::stoull(a[k]) : dflt; };
  job.blksize = static_cast<unsigned>(num("blksize", 512));
  job.windowsize = static_cast<unsigned>(num("windowsize", 1));
  job.expect_size = num("expect-size", 0);
  auto total = static_cast<unsigned>(num("total", 1));
  auto concurrent = static_cast<unsigned>(num("concurrent", 1));
  auto t0 = std::chrono::steady_clock::now();
  auto results = ingot::bench::run_tftp(job, total, concurrent, std::chrono::seconds(num("deadline", 120)));
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  unsigned ok = 0;
  unsigned long long bytes = 0;
  for (const auto& r : results) {
    ok += r.ok;
    bytes += r.bytes;
    if (!r.ok) std::cerr << "transfer failed: " << r.error << "\n";
  }
  std::printf("transfers=%u ok=%u failed=%u bytes=%llu seconds=%.4f mbps=%.2f\n", total, ok, total - ok, bytes, secs,
              bytes / secs / 1e6);
  return ok == total ? 0 : 1;
}

int storm_main(std::map<std::string, std::string>& a) {
  ingot::bench::StormJob job;
  if (!parse_endpoint(a["dhcp"], job.dhcp_server) || !parse_endpoint(a["relay"], job.relay) ||
      !parse_endpoint(a["server"], job.tftp.server) || a["file"].empty()) {
    std::cerr << "ingot-loadgen storm: need --dhcp, --relay, --server ADDR:PORT and --file NAME\n";
    return 2;
  }
  auto num = [&](const char* k, unsigned long long dflt) { return a.count(k) ? std::stoull(a[k]) : dflt; };
  job.tftp.file = a["file"];
  job.tftp.blksize = static_cast<unsigned>(num("blksize", 512));
  job.tftp.expect_size = num("expect-size", 0);
  job.clients = static_cast<unsigned>(num("clients", 200));
  job.tftp_concurrent = static_cast<unsigned>(num("concurrent", 50));
  auto r = ingot::bench::run_storm(job, std::chrono::seconds(num("deadline", 120)));
  if (!r.first_error.empty()) std::cerr << "storm: " << r.first_error << "\n";
  std::printf("clients=%u dhcp_ok=%u tftp_ok=%u dhcp_seconds=%.4f seconds=%.4f\n", job.clients, r.dhcp_ok, r.tftp_ok,
              r.dhcp_seconds, r.seconds);
  return r.tftp_ok == job.clients ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: ingot-loadgen tftp|storm --flag value ...\n";
    return 2;
  }
  std::string mode = argv[1];
  std::map<std::string, std::string> args;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k.rfind("--", 0) != 0) {
      std::cerr << "ingot-loadgen: expected --flag, got '" << k << "'\n";
      return 2;
    }
    args[k.substr(2)] = argv[i + 1];
  }
  try {
    if (mode == "tftp") return tftp_main(args);
    if (mode == "storm") return storm_main(args);
  } catch (const std::exception& e) {
    std::cerr << "ingot-loadgen: bad argument: " << e.what() << "\n";
    return 2;
  }
  std::cerr << "ingot-loadgen: unknown mode '" << mode << "'\n";
  return 2;
}
