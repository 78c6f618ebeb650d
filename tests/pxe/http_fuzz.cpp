// Fuzz target: raw bytes → request parser (with ingot's limits) → router with the boot routes
// (static policy, a small root with a file and an escaping symlink) → response head. Any
// input must end in a status, never a crash; refusals must be 400, 413 or 431.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <unistd.h>

#include "pxe/http_boot_routes.h"
#include "pxe/http_parser.h"
#include "pxe/static_policy.h"

using namespace ingot::pxe;

namespace {
struct World {
  StaticPolicy policy;
  HttpRouter router;

  World() {
    char dir[] = "/tmp/ingot-http-fuzz-XXXXXX";
    if (!mkdtemp(dir)) std::abort();
    std::filesystem::path root(dir);
    std::ofstream(root / "vmlinuz") << "kernel bytes";
    std::filesystem::create_symlink("/etc/passwd", root / "escape");
    auto p = StaticPolicy::parse(
        R"({"default": {"kernel": "vmlinuz", "initrd": ["initrd.img"], "cmdline": "console=ttyS0"},
            "machines": {"52:54:00:00:00:02": {"action": "local"}, "52:54:00:00:00:03": {"action": "ignore"}}})",
        "fuzz");
    if (!p) std::abort();
    policy = std::move(*p);
    auto r = HttpRoot::open(root);
    if (!r) std::abort();
    mount_boot_routes(router, policy, std::move(*r));
    root_ = root;
  }
  ~World() {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }
  std::filesystem::path root_;
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World world;
  auto req = parse_request(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!req) {
    int status = req.error().code.value();
    if (status != 400 && status != 413 && status != 431) std::abort();
    return 0;
  }
  req->local_address = "127.0.0.1:8080";
  auto resp = world.router.dispatch(*req);
  if (resp.status < 100 || resp.status > 599) std::abort();
  auto head = serialize_head(resp, req->keep_alive, "Thu, 01 Jan 1970 00:00:00 GMT");
  if (!head.starts_with("HTTP/1.1 ")) std::abort();
  return 0;
}
