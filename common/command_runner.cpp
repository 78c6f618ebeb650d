#include "common/command_runner.h"

#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <deque>
#include <fstream>
#include <limits>

extern char** environ;

namespace ingot {
namespace {

std::error_code last_errno() { return {errno, std::system_category()}; }

std::string joined(const std::vector<std::string>& argv) {
  std::string s;
  for (auto& a : argv) s += (s.empty() ? "" : " ") + a;
  return s;
}

// Closes what it holds on every path out of spawn_and_wait.
struct Fd {
  int fd = -1;
  ~Fd() { close(); }
  void close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

struct Spawn {
  const std::vector<std::string>& argv;
  const std::string& stdin_data;
  const std::vector<std::string>* env = nullptr;  // the whole environment; nullptr inherits ours
  int log_fd = -1;       // >= 0: stderr goes here, and stdout too unless captured
  bool capture = true;   // stdout (and stderr when there is no log) into the result
  std::size_t max_output = kMaxCommandOutput;
  std::chrono::seconds timeout{0};  // 0: none; only enforced while capturing
};

// The one place a program is started: posix_spawnp with the given descriptors, stdin fed from
// memory, output read until EOF or the deadline (then the child is killed), then reaped.
Result<CommandResult> spawn_and_wait(const Spawn& s) {
  if (s.argv.empty()) return fail("empty command");
  Fd in_r, in_w, out_r, out_w;
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return fail(last_errno(), "pipe for " + s.argv[0]);
  in_r.fd = p[0], in_w.fd = p[1];
  if (s.capture) {
    if (::pipe2(p, O_CLOEXEC) != 0) return fail(last_errno(), "pipe for " + s.argv[0]);
    out_r.fd = p[0], out_w.fd = p[1];
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in_r.fd, 0);
  posix_spawn_file_actions_adddup2(&fa, s.capture ? out_w.fd : s.log_fd, 1);
  posix_spawn_file_actions_adddup2(&fa, s.log_fd >= 0 ? s.log_fd : out_w.fd, 2);
  std::vector<char*> args, envp;
  for (auto& a : s.argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  if (s.env) {
    for (auto& e : *s.env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
  }
  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), s.env ? envp.data() : environ);
  posix_spawn_file_actions_destroy(&fa);
  in_r.close();
  out_w.close();
  if (rc != 0) return fail(std::error_code(rc, std::system_category()), "cannot start " + s.argv[0]);

  // Small inputs (sfdisk scripts) fit the pipe buffer; write them before reading output. A
  // child that exits without reading must not kill us with SIGPIPE.
  if (!s.stdin_data.empty()) {
    ::signal(SIGPIPE, SIG_IGN);
    ssize_t ignored = ::write(in_w.fd, s.stdin_data.data(), s.stdin_data.size());
    (void)ignored;
  }
  in_w.close();

  CommandResult res;
  if (s.capture) {
    auto deadline = s.timeout.count() > 0 ? std::chrono::steady_clock::now() + s.timeout
                                          : std::chrono::steady_clock::time_point::max();
    char buf[65536];
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
        return fail(std::make_error_code(std::errc::timed_out),
                    s.argv[0] + " did not finish within " + std::to_string(s.timeout.count()) + " s");
      }
      pollfd pf{out_r.fd, POLLIN, 0};
      int pr = ::poll(&pf, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
      if (pr <= 0) continue;  // EINTR or a quiet second: check the deadline again
      ssize_t n = ::read(out_r.fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      std::size_t room = s.max_output - std::min(s.max_output, res.output.size());
      res.output.append(buf, std::min(room, static_cast<std::size_t>(n)));
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return fail(last_errno(), "cannot wait for " + s.argv[0]);
  res.term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  res.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + res.term_signal;
  return res;
}

std::string log_tail(const std::filesystem::path& log) {
  std::ifstream in(log);
  std::deque<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
    if (lines.size() > kErrorLogLines) lines.pop_front();
  }
  std::string out;
  for (auto& l : lines) out += "\n    " + l;
  return out;
}

}  // namespace

Result<std::string> CommandRunner::check(const std::vector<std::string>& argv, const std::string& stdin_data,
                                         std::chrono::seconds timeout) {
  auto r = run(argv, stdin_data, timeout);
  if (!r) return fail(r.error());
  if (r->exit_code != 0) {
    std::string tail = r->output.size() > 2000 ? r->output.substr(r->output.size() - 2000) : r->output;
    return fail(joined(argv) + " exited with " + std::to_string(r->exit_code) + (tail.empty() ? "" : ": " + tail));
  }
  return std::move(r->output);
}

Result<CommandResult> SystemRunner::run(const std::vector<std::string>& argv, const std::string& stdin_data,
                                        std::chrono::seconds timeout) {
  return spawn_and_wait({.argv = argv, .stdin_data = stdin_data, .timeout = timeout});
}

Result<void> LoggedRunner::exec(const std::vector<std::string>& argv, std::string* out) const {
  Fd log;
  log.fd = ::open(log_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (log.fd < 0) return fail(last_errno(), "cannot open build log " + log_.string());
  std::string header = "$ " + joined(argv) + "\n";
  ssize_t ignored = ::write(log.fd, header.data(), header.size());
  (void)ignored;
  static const std::string no_input;
  auto r = spawn_and_wait({.argv = argv,
                           .stdin_data = no_input,
                           .env = &env_,
                           .log_fd = log.fd,
                           .capture = out != nullptr,
                           .max_output = std::numeric_limits<std::size_t>::max()});
  if (!r) return fail(r.error());
  if (out) *out = std::move(r->output);
  if (r->exit_code == 0) return ok();
  std::string how = r->term_signal ? "was killed by signal " + std::to_string(r->term_signal)
                                   : "exited with " + std::to_string(r->exit_code);
  return fail("`" + joined(argv).substr(0, 300) + "` " + how + " (log: " + log_.string() + ")" + log_tail(log_));
}

Result<void> LoggedRunner::run(const std::vector<std::string>& argv) const { return exec(argv, nullptr); }

Result<std::string> LoggedRunner::capture(const std::vector<std::string>& argv) const {
  std::string out;
  if (auto r = exec(argv, &out); !r) return fail(r.error());
  return out;
}

Result<void> LoggedRunner::run_in(const std::filesystem::path& root, const std::vector<std::string>& argv) const {
  std::vector<std::string> full{"chroot", root.string()};
  full.insert(full.end(), argv.begin(), argv.end());
  return exec(full, nullptr);
}

}  // namespace ingot
