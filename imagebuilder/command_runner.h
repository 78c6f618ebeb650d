// Runs the external programs a build needs (debootstrap, chroot apt-get, tar, dpkg-deb) with a
// fixed environment, output appended to the build log, and an error that quotes the command
// and the log's last lines when it fails. Started by PID and waited for; never by name.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"

namespace ingot::image {

// Log lines quoted in an error: enough to show apt's or debootstrap's complaint.
inline constexpr std::size_t kErrorLogLines = 15;

class CommandRunner {
 public:
  // env: "NAME=value" entries forming the whole environment (builds must not depend on the caller's).
  CommandRunner(std::filesystem::path log_file, std::vector<std::string> env)
      : log_(std::move(log_file)), env_(std::move(env)) {}

  Result<void> run(const std::vector<std::string>& argv) const;
  // Runs and captures stdout (stderr to the log).
  Result<std::string> capture(const std::vector<std::string>& argv) const;
  // Runs argv inside root with chroot(8).
  Result<void> run_in(const std::filesystem::path& root, const std::vector<std::string>& argv) const;
  const std::filesystem::path& log_file() const { return log_; }

 private:
  Result<void> exec(const std::vector<std::string>& argv, std::string* out) const;
  std::filesystem::path log_;
  std::vector<std::string> env_;
};

}  // namespace ingot::image
