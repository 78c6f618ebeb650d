#include "provisioner/agent/command_runner.h"

#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace ingot::agent {

Result<std::string> CommandRunner::check(const std::vector<std::string>& argv, const std::string& stdin_data,
                                         std::chrono::seconds timeout) {
  auto r = run(argv, stdin_data, timeout);
  if (!r) return fail(r.error());
  if (r->exit_code != 0) {
    std::string cmd;
    for (auto& a : argv) cmd += (cmd.empty() ? "" : " ") + a;
    std::string tail = r->output.size() > 2000 ? r->output.substr(r->output.size() - 2000) : r->output;
    return fail(cmd + " exited with " + std::to_string(r->exit_code) + (tail.empty() ? "" : ": " + tail));
  }
  return std::move(r->output);
}

Result<CommandResult> SystemRunner::run(const std::vector<std::string>& argv, const std::string& stdin_data,
                                        std::chrono::seconds timeout) {
  if (argv.empty()) return fail("empty command");
  int in_pipe[2], out_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0) return fail(std::error_code(errno, std::system_category()), "pipe");
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    close(in_pipe[0]);
    close(in_pipe[1]);
    return fail(std::error_code(errno, std::system_category()), "pipe");
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 2);
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, cargv[0], &fa, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(in_pipe[0]);
  close(out_pipe[1]);
  if (rc != 0) {
    close(in_pipe[1]);
    close(out_pipe[0]);
    return fail(std::error_code(rc, std::system_category()), "cannot start " + argv[0]);
  }
  // Small inputs (sfdisk scripts) fit the pipe buffer; write them before reading output.
  signal(SIGPIPE, SIG_IGN);
  if (!stdin_data.empty()) {
    ssize_t ignored = write(in_pipe[1], stdin_data.data(), stdin_data.size());
    (void)ignored;
  }
  close(in_pipe[1]);

  CommandResult res;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[8192];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
      close(out_pipe[0]);
      return fail(std::make_error_code(std::errc::timed_out),
                  argv[0] + " did not finish within " + std::to_string(timeout.count()) + " s");
    }
    pollfd p{out_pipe[0], POLLIN, 0};
    int pr = poll(&p, 1, static_cast<int>(std::min<long>(left.count(), 1000)));
    if (pr < 0 && errno == EINTR) continue;
    if (pr == 0) continue;
    ssize_t n = read(out_pipe[0], buf, sizeof buf);
    if (n <= 0) break;
    if (res.output.size() < kMaxCommandOutput) res.output.append(buf, static_cast<std::size_t>(n));
  }
  close(out_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  res.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return res;
}

}  // namespace ingot::agent
