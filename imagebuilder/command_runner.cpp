#include "imagebuilder/command_runner.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <deque>
#include <fstream>

#include "imagebuilder/file_io.h"

namespace ingot::image {
namespace {

std::string joined(const std::vector<std::string>& argv) {
  std::string s;
  for (auto& a : argv) s += (s.empty() ? "" : " ") + a;
  return s;
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

Result<void> CommandRunner::exec(const std::vector<std::string>& argv, std::string* out) const {
  UniqueFd log(::open(log_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644));
  if (!log) return errno_error("cannot open build log", log_);
  std::string header = "$ " + joined(argv) + "\n";
  (void)write_all(log.get(), header.data(), header.size(), log_);
  int pipefd[2] = {-1, -1};
  if (out && ::pipe2(pipefd, O_CLOEXEC) != 0) return errno_error("cannot create a pipe for", argv[0]);
  std::vector<char*> args, envp;
  for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (auto& e : env_) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) return errno_error("cannot fork for", argv[0]);
  if (pid == 0) {
    int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, 0);
    ::dup2(out ? pipefd[1] : log.get(), 1);
    ::dup2(log.get(), 2);
    ::execvpe(args[0], args.data(), envp.data());
    ::_exit(127);
  }
  if (out) {
    ::close(pipefd[1]);
    char buf[65536];
    for (ssize_t n; (n = ::read(pipefd[0], buf, sizeof buf)) != 0;) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) break;
      out->append(buf, static_cast<std::size_t>(n));
    }
    ::close(pipefd[0]);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return errno_error("cannot wait for", argv[0]);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return ok();
  std::string how = WIFEXITED(status) ? "exited with " + std::to_string(WEXITSTATUS(status))
                                      : "was killed by signal " + std::to_string(WTERMSIG(status));
  return fail("`" + joined(argv).substr(0, 300) + "` " + how + " (log: " + log_.string() + ")" + log_tail(log_));
}

Result<void> CommandRunner::run(const std::vector<std::string>& argv) const { return exec(argv, nullptr); }

Result<std::string> CommandRunner::capture(const std::vector<std::string>& argv) const {
  std::string out;
  if (auto r = exec(argv, &out); !r) return fail(r.error());
  return out;
}

Result<void> CommandRunner::run_in(const std::filesystem::path& root, const std::vector<std::string>& argv) const {
  std::vector<std::string> full{"chroot", root.string()};
  full.insert(full.end(), argv.begin(), argv.end());
  return exec(full, nullptr);
}

}  // namespace ingot::image
