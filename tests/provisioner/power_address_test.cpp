// BMC address parsing: the forms operators write, the mistakes they make, and the rule that a
// password never appears in any error or printed form.
#include <doctest/doctest.h>

#include "provisioner/power/bmc_address.h"
#include "provisioner/power/bmc_list.h"
#include "provisioner/power/power_driver.h"
#include "provisioner/power/power_error.h"

using namespace ingot::power;

namespace {
std::string error_of(std::string_view url) {
  auto r = parse_bmc_address(url);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == PowerErrc::bad_address);
  return r.error().message();
}
}  // namespace

TEST_CASE("plain user, password, host and port") {
  auto a = parse_bmc_address("ipmi://admin:secret@10.0.0.5:9623");
  REQUIRE(a);
  CHECK(a->user == "admin");
  CHECK(a->password == "secret");
  CHECK(a->has_password);
  CHECK(a->host == "10.0.0.5");
  CHECK(a->port == 9623);
  CHECK(a->endpoint() == "10.0.0.5:9623");
  CHECK(a->redacted() == "ipmi://admin:***@10.0.0.5:9623");
}

TEST_CASE("defaults: port 623, no password, scheme in any case, trailing slash") {
  auto a = parse_bmc_address("IPMI://root@bmc-r12.example.net/");
  REQUIRE(a);
  CHECK(a->port == kIpmiDefaultPort);
  CHECK_FALSE(a->has_password);
  CHECK(a->host == "bmc-r12.example.net");
  CHECK(a->redacted() == "ipmi://root@bmc-r12.example.net:623");
}

TEST_CASE("passwords with special characters, escaped or not") {
  auto raw = parse_bmc_address("ipmi://admin:p@ss:w/rd#1@10.1.2.3");
  REQUIRE(raw);
  CHECK(raw->password == "p@ss:w/rd#1");
  CHECK(raw->host == "10.1.2.3");
  auto escaped = parse_bmc_address("ipmi://ad%6Din:p%40ss%3Aw%2Frd%25@10.1.2.3:623");
  REQUIRE(escaped);
  CHECK(escaped->user == "admin");
  CHECK(escaped->password == "p@ss:w/rd%");
  auto empty = parse_bmc_address("ipmi://admin:@10.1.2.3");
  REQUIRE(empty);
  CHECK(empty->has_password);
  CHECK(empty->password.empty());
}

TEST_CASE("IPv6 hosts go in brackets") {
  auto a = parse_bmc_address("ipmi://admin:x@[fd00::5]:6230");
  REQUIRE(a);
  CHECK(a->host == "fd00::5");
  CHECK(a->port == 6230);
  CHECK(a->endpoint() == "[fd00::5]:6230");
  auto b = parse_bmc_address("ipmi://admin:x@[::1]");
  REQUIRE(b);
  CHECK(b->endpoint() == "[::1]:623");
  CHECK(error_of("ipmi://admin:x@fd00::5").find("brackets") != std::string::npos);
  CHECK(error_of("ipmi://admin:x@[fd00::5").find("']'") != std::string::npos);
  CHECK(error_of("ipmi://admin:x@[not-v6]:623").find("not an IPv6 address") != std::string::npos);
  CHECK(error_of("ipmi://admin:x@[::1]x").find("after ']'") != std::string::npos);
}

TEST_CASE("missing or malformed parts get an error naming the part") {
  CHECK(error_of("").find("ipmi://") != std::string::npos);
  CHECK(error_of("10.0.0.5").find("must start with ipmi://") != std::string::npos);
  CHECK(error_of("redfish://admin:x@10.0.0.5").find("only the ipmi:// scheme") != std::string::npos);
  CHECK(error_of("ipmi://10.0.0.5").find("missing user") != std::string::npos);
  CHECK(error_of("ipmi://:secret@10.0.0.5").find("missing user") != std::string::npos);
  CHECK(error_of("ipmi://admin:secret@").find("missing host") != std::string::npos);
  CHECK(error_of("ipmi://admin:secret@:623").find("missing host") != std::string::npos);
  CHECK(error_of("ipmi://admin:secret@10.0.0.5:").find("empty port") != std::string::npos);
  CHECK(error_of("ipmi://admin:secret@10.0.0.5:http").find("not a number") != std::string::npos);
  CHECK(error_of("ipmi://admin:secret@10.0.0.5:0").find("out of range") != std::string::npos);
  CHECK(error_of("ipmi://admin:secret@10.0.0.5:65536").find("out of range") != std::string::npos);
  CHECK(error_of("ipmi://admin:secret@10.0.0.5/redfish").find("path") != std::string::npos);
  CHECK(error_of("ipmi://admin:secret@bad host").find("not allowed") != std::string::npos);
  CHECK(error_of("ipmi://a-user-name-longer-than-16@h").find("16 bytes") != std::string::npos);
  CHECK(error_of("ipmi://admin:" + std::string(21, 'x') + "@h").find("20 bytes") != std::string::npos);
  CHECK(error_of("ipmi://admin:x@" + std::string(254, 'h')).find("253") != std::string::npos);
  CHECK(error_of("ipmi://admin:x@" + std::string(600, 'h')).find("512") != std::string::npos);
  // Every message shows the expected form, so the fix is obvious.
  CHECK(error_of("ipmi://10.0.0.5").find("ipmi://USER[:PASS]@HOST[:PORT]") != std::string::npos);
}

TEST_CASE("the password never appears in an error") {
  const std::string secret = "Sup3rS3cret%zz";  // bad escape: the error is about the password itself
  auto msg = error_of("ipmi://admin:" + secret + "@10.0.0.5");
  CHECK(msg.find("password") != std::string::npos);
  CHECK(msg.find("%25") != std::string::npos);
  CHECK(msg.find("Sup3r") == std::string::npos);
  for (std::string url : {"ipmi://admin:Sup3rS3cret@10.0.0.5:99999", "ipmi://admin:Sup3rS3cret@fd00::1",
                          "ipmi://admin:Sup3rS3cret@10.0.0.5/x", "http://admin:Sup3rS3cret@10.0.0.5",
                          "ipmi://admin:Sup3rS3cret@", "ipmi://admin:Sup3rS3cretSup3rS3cret!@h"}) {
    CAPTURE(url);
    CHECK(error_of(url).find("Sup3r") == std::string::npos);
  }
  auto ok = parse_bmc_address("ipmi://admin:Sup3rS3cret@10.0.0.5");
  REQUIRE(ok);
  CHECK(ok->redacted().find("Sup3r") == std::string::npos);
  CHECK(ok->endpoint().find("Sup3r") == std::string::npos);
}

TEST_CASE("bad percent-escapes in the user are rejected too") {
  CHECK(error_of("ipmi://ad%zzmin:x@h").find("user") != std::string::npos);
  CHECK(error_of("ipmi://admin%4:x@h").find("user") != std::string::npos);
}

TEST_CASE("power actions and boot devices parse from their names only") {
  for (auto a : {PowerAction::on, PowerAction::off, PowerAction::cycle, PowerAction::reset, PowerAction::soft}) {
    auto r = parse_power_action(to_string(a));
    REQUIRE(r);
    CHECK(*r == a);
  }
  CHECK_FALSE(parse_power_action("reboot"));
  CHECK_FALSE(parse_power_action("ON"));
  CHECK(*parse_boot_device("pxe") == BootDevice::pxe);
  CHECK(*parse_boot_device("disk") == BootDevice::disk);
  auto bad = parse_boot_device("cdrom");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message().find("pxe or disk") != std::string::npos);
}

TEST_CASE("a BMC list: comments, blank lines, default password, errors by line") {
  auto list = parse_bmc_list("# rack 12\n\nipmi://admin:a@10.0.0.1\r\n  ipmi://root@10.0.0.2:6230  \n", "rack.txt",
                             std::string("fromenv"));
  REQUIRE(list);
  REQUIRE(list->size() == 2);
  CHECK((*list)[0].password == "a");
  CHECK((*list)[1].password == "fromenv");
  CHECK((*list)[1].endpoint() == "10.0.0.2:6230");

  auto no_pass = parse_bmc_list("ipmi://admin:a@10.0.0.1\nipmi://root@10.0.0.2\n", "rack.txt", std::nullopt);
  REQUIRE_FALSE(no_pass);
  CHECK(no_pass.error().message().find("rack.txt:2: ") == 0);
  CHECK(no_pass.error().message().find("INGOT_BMC_PASSWORD") != std::string::npos);

  auto dup = parse_bmc_list("ipmi://a:Secr3tA@10.0.0.1\n#\nipmi://b:Secr3tB@10.0.0.1:623\n", "r", std::nullopt);
  REQUIRE_FALSE(dup);
  CHECK(dup.error().message() == "r:3: 10.0.0.1:623 is already on line 1");

  auto bad = parse_bmc_list("ipmi://a:Secr3tA@10.0.0.1\nipmi://a:Secr3tA@10.0.0.2:0\n", "r", std::nullopt);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message().find("r:2: BMC address: port 0 is out of range") == 0);
  CHECK(bad.error().message().find("Secr3t") == std::string::npos);

  auto long_env = parse_bmc_list("ipmi://a@h\n", "r", std::string(21, 'x'));
  REQUIRE_FALSE(long_env);
  CHECK(long_env.error().message().find("longer than 20 bytes") != std::string::npos);

  auto empty = parse_bmc_list("# nothing\n\n", "r", std::nullopt);
  REQUIRE(empty);
  CHECK(empty->empty());
}

TEST_CASE("a BMC list is bounded") {
  std::string text;
  for (std::size_t i = 0; i <= kMaxBmcListEntries; ++i)
    text += "ipmi://a:b@h" + std::to_string(i) + "\n";
  auto r = parse_bmc_list(text, "big", std::nullopt);
  REQUIRE_FALSE(r);
  CHECK(r.error().message().find("more than 10000 BMCs") != std::string::npos);
}
