// A lean, non-blocking TFTP read client for benchmarks: many transfers from one thread over
// one epoll set, no per-block allocation, RFC 7440 receiver rules (ACK each full window, ACK
// the last in-order block on a gap). It only counts bytes: integrity is the tests' business.
#pragma once

#include <chrono>
#include <cstdint>
#include <netinet/in.h>
#include <string>
#include <vector>

namespace ingot::bench {

struct TftpJob {
  sockaddr_in server{};
  std::string file;
  unsigned blksize = 512;     // asked for when not 512
  unsigned windowsize = 1;    // asked for when not 1
  std::uint64_t expect_size = 0;  // 0: any size
};

struct TftpResult {
  bool ok = false;
  std::uint64_t bytes = 0;
  std::string error;
  double seconds = 0;
};

// Runs `total` transfers of `job`, at most `concurrent` at a time, until done or deadline.
std::vector<TftpResult> run_tftp(const TftpJob& job, unsigned total, unsigned concurrent,
                                 std::chrono::seconds deadline);

}  // namespace ingot::bench
