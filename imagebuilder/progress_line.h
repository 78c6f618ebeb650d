// Progress for long work: a single rewritten line on a terminal (at most ~10 updates a second),
// and nothing but the final line when stderr is a log file, so CI logs stay readable.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace ingot::image {

class ProgressLine {
 public:
  explicit ProgressLine(std::string label);
  ~ProgressLine();
  void update(std::size_t done, std::size_t total, std::uint64_t bytes);
  void finish(const std::string& summary);

 private:
  std::string label_;
  bool tty_;
  bool finished_ = false;
  std::mutex mu_;
  std::chrono::steady_clock::time_point last_{};
};

std::string human_bytes(std::uint64_t n);

}  // namespace ingot::image
