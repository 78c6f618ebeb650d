#include "pxe/http_boot_routes.h"

#include <memory>

#include "pxe/http_static_files.h"
#include "pxe/ipxe_script.h"

namespace ingot::pxe {
namespace {

bool plain_host(std::string_view h) {
  if (h.empty() || h.size() > kMaxHostHeader) return false;
  for (char c : h) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
              c == ':' || c == '[' || c == ']' || c == '_';
    if (!ok) return false;
  }
  return true;
}

const char* action_name(BootDecision::Action a) {
  switch (a) {
    case BootDecision::Action::boot: return "boot";
    case BootDecision::Action::local_disk: return "local disk";
    case BootDecision::Action::silent: return "silent";
  }
  return "?";
}

HttpResponse script(std::string body) {
  auto r = HttpResponse::text(200, std::move(body), "text/plain; charset=utf-8");
  r.header("Cache-Control", "no-store");  // per machine, and changes with its state
  return r;
}

}  // namespace

std::string base_url_for(const HttpRequest& request) {
  return "http://" + (plain_host(request.host) ? request.host : request.local_address);
}

HttpResponse boot_script_response(const HttpRequest& request, BootPolicy& policy) {
  auto mac = request.param("mac");
  if (!mac || mac->empty()) {
    auto r = script(chain_script(base_url_for(request)));
    r.note = "chain (no identity)";
    return r;
  }
  IpxeIdentity id{*mac, request.param("uuid").value_or(""), request.param("platform").value_or(""),
                  request.param("buildarch").value_or("")};
  auto machine = machine_from_identity(id);
  if (!machine) {
    auto r = HttpResponse::text(400, machine.error().message() + "\n");
    r.note = machine.error().message();
    return r;
  }
  BootDecision d = policy.decide(*machine);
  std::string who = machine->mac.to_string() + (is_uefi(machine->arch) ? " uefi " : " bios ");
  if (d.action == BootDecision::Action::silent) {
    auto r = HttpResponse::error(404);
    r.note = who + "silent";
    return r;
  }
  auto body = boot_script(d, machine->arch, base_url_for(request));
  if (!body) {
    auto r = HttpResponse::error(500);
    r.note = who + body.error().message();
    return r;
  }
  auto r = script(std::move(*body));
  r.note = who + action_name(d.action) + (d.action == BootDecision::Action::boot ? " " + d.kernel : "");
  return r;
}

void mount_boot_routes(HttpRouter& router, BootPolicy& policy, std::optional<HttpRoot> root) {
  router.add("GET", "/boot.ipxe", [&policy](const HttpRequest& r) { return boot_script_response(r, policy); });
  if (!root) return;
  auto files = std::make_shared<HttpStaticFiles>(std::move(*root));
  router.add("GET", "/", [files](const HttpRequest& r) { return files->serve(r); });
}

}  // namespace ingot::pxe
