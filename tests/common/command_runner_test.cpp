// Both faces of the command runner against real programs (/bin/sh, cat): captured output,
// stdin, exit codes, the timeout, the output cap; the build log, the fixed environment and
// the error that quotes the log.
#include <doctest/doctest.h>

#include "common/command_runner.h"
#include "tests/support/test_support.h"

using namespace ingot;

TEST_CASE("SystemRunner captures stdout and stderr, feeds stdin, reports the exit code") {
  SystemRunner r;
  auto out = r.run({"/bin/sh", "-c", "cat; echo err >&2; exit 3"}, "in-data\n", std::chrono::seconds(10));
  REQUIRE(out.has_value());
  CHECK(out->exit_code == 3);
  CHECK(out->output == "in-data\nerr\n");
  auto checked = r.check({"/bin/sh", "-c", "echo why; exit 2"});
  REQUIRE_FALSE(checked.has_value());
  CHECK(checked.error().message().find("exited with 2: why") != std::string::npos);
  CHECK(r.check({"echo", "fine"}).value() == "fine\n");
}

TEST_CASE("SystemRunner: a missing program, a hung one, a flood of output") {
  SystemRunner r;
  CHECK_FALSE(r.run({"/nonexistent/prog"}, {}, std::chrono::seconds(5)).has_value());
  CHECK_FALSE(r.run({}, {}, std::chrono::seconds(5)).has_value());
  auto hung = r.run({"sleep", "30"}, {}, std::chrono::seconds(1));
  REQUIRE_FALSE(hung.has_value());
  CHECK(hung.error().message().find("did not finish within 1 s") != std::string::npos);
  auto flood = r.run({"head", "-c", std::to_string(kMaxCommandOutput * 2), "/dev/zero"}, {}, std::chrono::seconds(10));
  REQUIRE(flood.has_value());
  CHECK(flood->exit_code == 0);
  CHECK(flood->output.size() == kMaxCommandOutput);
}

TEST_CASE("LoggedRunner: the command and stderr go to the log, the environment is only the one given") {
  test::TempDir t;
  LoggedRunner r(t / "build.log", {"PATH=/usr/bin:/bin", "ONLY=this"});
  auto env = r.capture({"/bin/sh", "-c", "env; echo to-log >&2"});
  REQUIRE(env.has_value());
  CHECK(env->find("ONLY=this") != std::string::npos);
  CHECK(env->find("HOME=") == std::string::npos);
  CHECK(r.run({"/bin/sh", "-c", "echo stdout-too"}).has_value());
  std::string log = test::read_file(t / "build.log");
  CHECK(log.find("$ /bin/sh -c env; echo to-log >&2\nto-log\n") != std::string::npos);
  CHECK(log.find("stdout-too\n") != std::string::npos);
  auto bad = r.run({"/bin/sh", "-c", "echo apt says no >&2; exit 100"});
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message().find("exited with 100") != std::string::npos);
  CHECK(bad.error().message().find("\n    apt says no") != std::string::npos);
  auto killed = r.run({"/bin/sh", "-c", "kill -9 $$"});
  REQUIRE_FALSE(killed.has_value());
  CHECK(killed.error().message().find("killed by signal 9") != std::string::npos);
  LoggedRunner nowhere(t / "no/such/dir/build.log", {});
  CHECK_FALSE(nowhere.run({"true"}).has_value());
}
