// Unit tests for iPXE script generation and the machine identity iPXE sends back, with a fake
// boot policy for the /boot.ipxe handler.
#include <doctest/doctest.h>

#include "pxe/http_boot_routes.h"
#include "pxe/ipxe_script.h"

using namespace ingot::pxe;

namespace {
BootDecision boot(std::string kernel, std::vector<std::string> initrds, std::string cmdline) {
  BootDecision d;
  d.action = BootDecision::Action::boot;
  d.kernel = std::move(kernel);
  d.initrds = std::move(initrds);
  d.cmdline = std::move(cmdline);
  return d;
}

// Records what it was asked and answers a fixed decision.
class FakePolicy final : public BootPolicy {
 public:
  explicit FakePolicy(BootDecision d) : d_(std::move(d)) {}
  BootDecision decide(const Machine& m) override {
    asked = m;
    return d_;
  }
  std::optional<Machine> asked;

 private:
  BootDecision d_;
};

HttpRequest script_request(std::string query, std::string host = "10.0.0.1:8080") {
  HttpRequest r;
  r.method = "GET";
  REQUIRE(split_target("/boot.ipxe" + query, r));
  r.host = std::move(host);
  r.local_address = "127.0.0.1:8080";
  return r;
}
}  // namespace

TEST_CASE("machine_from_identity: hexhyp and colon MACs, uuid, platform and buildarch") {
  auto m = machine_from_identity({"52-54-00-12-34-56", "4C4C4544-0042-3510-8052-B4C04F4B3232", "efi", "x86_64"});
  REQUIRE(m);
  CHECK(m->mac.to_string() == "52:54:00:12:34:56");
  CHECK(*m->uuid == "4c4c4544-0042-3510-8052-b4c04f4b3232");
  CHECK(m->arch == ClientArch::efi_x64);
  CHECK(m->ipxe);
  m = machine_from_identity({"52:54:00:12:34:56", "", "pcbios", "i386"});
  REQUIRE(m);
  CHECK(m->arch == ClientArch::bios);
  CHECK_FALSE(m->uuid);
  CHECK(machine_from_identity({"52-54-00-12-34-56", "", "", ""})->arch == ClientArch::bios);
  CHECK(machine_from_identity({"52-54-00-12-34-56", "", "efi", "i386"})->arch == ClientArch::efi_ia32);
  CHECK(machine_from_identity({"52-54-00-12-34-56", "", "efi", "arm64"})->arch == ClientArch::efi_arm64);

  CHECK_FALSE(machine_from_identity({"", "", "", ""}));
  CHECK_FALSE(machine_from_identity({"${mac:hexhyp}", "", "", ""}));  // an unexpanded setting
  CHECK_FALSE(machine_from_identity({"52-54-00-12-34", "", "", ""}));
  CHECK_FALSE(machine_from_identity({"52-54-00-12-34-56", "not-a-uuid", "", ""}));
  CHECK_FALSE(machine_from_identity({"52-54-00-12-34-56", "4c4c4544x0042-3510-8052-b4c04f4b3232", "", ""}));
  auto bad = machine_from_identity({"52-54-00-12-34-56", "", "linux", ""});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message().find("platform") != std::string::npos);
  CHECK_FALSE(machine_from_identity({"52-54-00-12-34-56", "", "efi", "mips"}));
}

TEST_CASE("chain_script asks iPXE for its identity") {
  CHECK(chain_script("http://10.0.0.1:8080") ==
        "#!ipxe\nchain http://10.0.0.1:8080/boot.ipxe?mac=${mac:hexhyp}&uuid=${uuid}&platform=${platform}"
        "&buildarch=${buildarch}\n");
}

TEST_CASE("boot_script: BIOS and UEFI boot, local disk, silent, refusals") {
  auto d = boot("vmlinuz", {"initrd.img", "http://cdn/extra.cpio?v=2"}, "console=ttyS0 panic=5");
  auto bios = boot_script(d, ClientArch::bios, "http://h:8080");
  REQUIRE(bios);
  CHECK(*bios ==
        "#!ipxe\nkernel http://h:8080/vmlinuz console=ttyS0 panic=5\n"
        "initrd http://h:8080/initrd.img\ninitrd http://cdn/extra.cpio?v=2\nboot\n");
  auto efi = boot_script(d, ClientArch::efi_x64, "http://h:8080");
  REQUIRE(efi);
  CHECK(*efi ==
        "#!ipxe\nkernel http://h:8080/vmlinuz initrd=initrd.img initrd=extra.cpio console=ttyS0 panic=5\n"
        "initrd http://h:8080/initrd.img\ninitrd http://cdn/extra.cpio?v=2\nboot\n");
  CHECK(*boot_script(boot("/k", {}, ""), ClientArch::bios, "http://h") == "#!ipxe\nkernel http://h/k\nboot\n");

  BootDecision local;
  local.action = BootDecision::Action::local_disk;
  CHECK(*boot_script(local, ClientArch::efi_x64, "http://h") == "#!ipxe\nexit\n");
  CHECK(*boot_script(local, ClientArch::bios, "http://h") == "#!ipxe\nsanboot --no-describe --drive 0x80\n");
  CHECK_FALSE(boot_script(BootDecision{}, ClientArch::bios, "http://h"));
  CHECK_FALSE(boot_script(boot("vmlinuz", {}, "quiet\nshell"), ClientArch::bios, "http://h"));
  CHECK_FALSE(boot_script(boot("vmlinuz", {"a\nb"}, ""), ClientArch::bios, "http://h"));
  CHECK_FALSE(boot_script(boot("vmlinuz", {}, std::string(kMaxScriptLine, 'x')), ClientArch::bios, "http://h"));
  CHECK_FALSE(boot_script(boot("", {}, ""), ClientArch::bios, "http://h"));
}

TEST_CASE("resolve_url: relative paths against the base, URLs untouched") {
  CHECK(resolve_url("http://h", "images/vmlinuz") == "http://h/images/vmlinuz");
  CHECK(resolve_url("http://h", "/vmlinuz") == "http://h/vmlinuz");
  CHECK(resolve_url("http://h", "my kernel#1") == "http://h/my%20kernel%231");
  CHECK(resolve_url("http://h", "https://other/k") == "https://other/k");
}

TEST_CASE("/boot.ipxe handler: chain, per-machine script, silent, bad identity, Host fallback") {
  FakePolicy policy(boot("vmlinuz", {"initrd.img"}, "quiet"));
  auto chain = boot_script_response(script_request(""), policy);
  CHECK(chain.status == 200);
  CHECK(std::get<std::string>(chain.body).find("chain http://10.0.0.1:8080/boot.ipxe?mac=") != std::string::npos);
  CHECK_FALSE(policy.asked);

  auto r = boot_script_response(script_request("?mac=52-54-00-aa-bb-cc&uuid=&platform=efi&buildarch=x86_64"), policy);
  CHECK(r.status == 200);
  REQUIRE(policy.asked);
  CHECK(policy.asked->mac.to_string() == "52:54:00:aa:bb:cc");
  CHECK(policy.asked->arch == ClientArch::efi_x64);
  CHECK(std::get<std::string>(r.body) ==
        "#!ipxe\nkernel http://10.0.0.1:8080/vmlinuz initrd=initrd.img quiet\n"
        "initrd http://10.0.0.1:8080/initrd.img\nboot\n");

  // A Host that is not a plain host:port is never echoed into a script.
  auto evil = boot_script_response(script_request("?mac=52-54-00-aa-bb-cc", "x\"; shell #"), policy);
  CHECK(std::get<std::string>(evil.body).find("http://127.0.0.1:8080/vmlinuz") != std::string::npos);
  auto no_host = boot_script_response(script_request("?mac=52-54-00-aa-bb-cc", ""), policy);
  CHECK(std::get<std::string>(no_host.body).find("http://127.0.0.1:8080/vmlinuz") != std::string::npos);

  CHECK(boot_script_response(script_request("?mac=zz"), policy).status == 400);
  FakePolicy silent{BootDecision{}};
  CHECK(boot_script_response(script_request("?mac=52-54-00-aa-bb-cc"), silent).status == 404);
  FakePolicy broken(boot("vmlinuz", {}, "a\nb"));
  CHECK(boot_script_response(script_request("?mac=52-54-00-aa-bb-cc"), broken).status == 500);
}
