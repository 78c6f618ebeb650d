// Helpers for tests that start real processes: a temp directory that cleans itself, a child
// process owned by PID (stopped by PID on destruction, never by name), and waits with deadlines.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>
#include <sys/types.h>

namespace ingot::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& s) const { return path_ / s; }

 private:
  std::filesystem::path path_;
};

class Child {
 public:
  // Starts argv[0] (searched in PATH) with stdout+stderr to log_file (or inherited if empty).
  Child(std::vector<std::string> argv, const std::filesystem::path& log_file = {});
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  // SIGTERM, then SIGKILL after grace; returns the exit status as from waitpid.
  int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));
  void kill9();
  // Waits for exit up to timeout; returns exit code, or -1 on timeout / signal.
  int wait(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  int status_ = 0;
  bool reaped_ = false;
};

// Runs a shell command, returns its exit code; output goes to *out when given.
int run(const std::string& shell_command, std::string* out = nullptr);

// Polls pred every 20 ms until true or timeout.
bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout);

std::string read_file(const std::filesystem::path& p);
// Creates the missing parent directories first, so a test lays out a tree file by file.
void write_file(const std::filesystem::path& p, const std::string& content);

// Path of a built binary or the source tree, from the environment ctest sets.
std::string env_or(const char* name, const std::string& fallback);

}  // namespace ingot::test
