#include <doctest/doctest.h>

#include "provisioner/agent/kernel_cmdline.h"

using namespace ingot::agent;

TEST_CASE("a deploy command line gives server, token and mode") {
  auto b = agent_boot_from_cmdline(
      "BOOT_IMAGE=/vmlinuz console=ttyS0 ingot.server=http://198.18.0.1:8080/ ingot.token=0a1b2c "
      "ingot.mode=inspect initrd=initrd.img\n");
  REQUIRE_MESSAGE(b, (b ? "" : b.error().message()));
  CHECK(b->server == "http://198.18.0.1:8080");
  CHECK(b->token == "0a1b2c");
  CHECK(b->mode == "inspect");
  CHECK_FALSE(b->debug);
}

TEST_CASE("quotes group words like the kernel does, later duplicates win") {
  auto p = parse_cmdline("a=1 \"b=two words\" c a=3 d=\"x y\"");
  REQUIRE(p);
  CHECK(p->at("a") == "3");
  CHECK(p->at("b") == "two words");
  CHECK(p->at("c") == "");
  CHECK(p->at("d") == "x y");
}

TEST_CASE("bad command lines are refused with the reason") {
  struct Case {
    const char* text;
    const char* expect;
  } cases[] = {
      {"console=ttyS0", "no ingot.server"},
      {"ingot.server=ftp://x ingot.token=ab", "not an http:// or https:// URL"},
      {"ingot.server=http://x", "no ingot.token"},
      {"ingot.server=http://x ingot.token=XYZ", "not lowercase hex"},
      {"ingot.server=http://x ingot.token=ab ingot.mode=wipe", "is not inspect or deploy"},
      {"ingot.server=\"http://x ingot.token=ab", "unterminated quote"},
  };
  for (auto& c : cases) {
    auto b = agent_boot_from_cmdline(c.text);
    REQUIRE_FALSE(b);
    CHECK_MESSAGE(b.error().message().find(c.expect) != std::string::npos, c.text, " -> ", b.error().message());
  }
  std::string huge(kMaxCmdline + 1, 'a');
  CHECK_FALSE(parse_cmdline(huge));
}
