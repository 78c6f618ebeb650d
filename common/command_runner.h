// Runs external programs with an argv — never through a shell, so no value from a server or a
// recipe is ever interpreted — started by PID and waited for, never by name. One spawn core
// serves the agent's deploy tools (stdin data, output captured, timeout; an interface so unit
// tests record commands) and the image build's programs (fixed environment, output appended
// to a build log, run in a chroot, errors quoting the log's last lines).
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"

namespace ingot {

struct CommandResult {
  int exit_code = -1;  // 128 + signal when killed, as a shell reports it
  std::string output;  // what was captured (see CommandRunner and LoggedRunner)
  int term_signal = 0;
};

// Enough for the chattiest deploy tool (grub-install -v); the tail is what explains a failure.
inline constexpr std::size_t kMaxCommandOutput = 256 * 1024;
// Log lines quoted in a LoggedRunner error: enough to show apt's or debootstrap's complaint.
inline constexpr std::size_t kErrorLogLines = 15;

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  // stdout and stderr interleaved into output, capped at kMaxCommandOutput; a non-zero exit is
  // a result, not an error.
  virtual Result<CommandResult> run(const std::vector<std::string>& argv, const std::string& stdin_data = {},
                                    std::chrono::seconds timeout = std::chrono::seconds(600)) = 0;

  // run() that fails unless the program exits 0; the error carries the command and its output tail.
  Result<std::string> check(const std::vector<std::string>& argv, const std::string& stdin_data = {},
                            std::chrono::seconds timeout = std::chrono::seconds(600));
};

// The real thing, inheriting this process's environment.
class SystemRunner final : public CommandRunner {
 public:
  Result<CommandResult> run(const std::vector<std::string>& argv, const std::string& stdin_data,
                            std::chrono::seconds timeout) override;
};

// For builds: a fixed environment, every command and its stderr appended to a log file, and a
// failure (non-zero exit) is an error quoting the command and the log's tail. No timeout: a
// debootstrap takes as long as the mirror does.
class LoggedRunner {
 public:
  // env: "NAME=value" entries forming the whole environment (builds must not depend on the caller's).
  LoggedRunner(std::filesystem::path log_file, std::vector<std::string> env)
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

}  // namespace ingot
