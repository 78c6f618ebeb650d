// A lean, non-blocking TFTP read client for benchmarks: many transfers from one thread over
// one epoll set, no per-block allocation, RFC 7440 receiver rules (ACK each full window, ACK
// the last in-order block on a gap). It only counts bytes: integrity is the tests' business.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
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

struct TftpTransfer;

// Transfers sharing one epoll set (owned by the caller, who may add its own sockets with a
// null data pointer): start() adds one, on_readable() takes an event for a transfer,
// tick() resends after silence and collects finished transfers into results().
class TftpPool {
 public:
  TftpPool(const TftpJob& job, int epoll_fd);
  ~TftpPool();
  void start();
  void on_readable(void* transfer);
  void tick();
  std::size_t live() const { return live_.size(); }
  std::vector<TftpResult>& results() { return results_; }
  void abandon(const std::string& why);

 private:
  void on_packet(TftpTransfer& t, std::span<const std::uint8_t> d);
  void on_data(TftpTransfer& t, std::uint16_t wire, std::size_t len);
  void ack(TftpTransfer& t, std::uint64_t block);
  void finish(TftpTransfer& t, bool ok, std::string error);

  const TftpJob& job_;
  int ep_;
  std::vector<std::uint8_t> rx_;
  std::vector<std::uint8_t> rrq_;
  std::vector<std::unique_ptr<TftpTransfer>> live_;
  std::vector<TftpResult> results_;
};

// Runs `total` transfers of `job`, at most `concurrent` at a time, until done or deadline.
std::vector<TftpResult> run_tftp(const TftpJob& job, unsigned total, unsigned concurrent,
                                 std::chrono::seconds deadline);

}  // namespace ingot::bench
