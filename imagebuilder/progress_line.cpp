#include "imagebuilder/progress_line.h"

#include <unistd.h>

#include <cstdio>

namespace ingot::image {

std::string human_bytes(std::uint64_t n) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u ? "%.1f %s" : "%.0f %s", v, kUnits[u]);
  return buf;
}

ProgressLine::ProgressLine(std::string label) : label_(std::move(label)), tty_(::isatty(2)) {}

ProgressLine::~ProgressLine() {
  if (!finished_ && tty_) std::fprintf(stderr, "\n");
}

void ProgressLine::update(std::size_t done, std::size_t total, std::uint64_t bytes) {
  if (!tty_) return;
  std::lock_guard lock(mu_);
  auto now = std::chrono::steady_clock::now();
  if (done != total && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  int pct = total ? static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total)) : 100;
  std::fprintf(stderr, "\r%s: %3d%% %zu/%zu files, %s   ", label_.c_str(), pct, done, total, human_bytes(bytes).c_str());
  std::fflush(stderr);
}

void ProgressLine::finish(const std::string& summary) {
  std::lock_guard lock(mu_);
  finished_ = true;
  std::fprintf(stderr, "%s%s: %s\n", tty_ ? "\r\033[K" : "", label_.c_str(), summary.c_str());
}

}  // namespace ingot::image
