// Mounts the boot plane on the HTTP router: GET /boot.ipxe answers a chain script to a client
// that has not said who it is, and that machine's script from the BootPolicy once it has;
// with a root directory, every other GET path is a static boot file.
#pragma once

#include <optional>
#include <string>

#include "pxe/boot_policy.h"
#include "pxe/http_request.h"
#include "pxe/http_root.h"
#include "pxe/http_router.h"

namespace ingot::pxe {

// Host names longer than DNS allows (RFC 1035 §2.3.4) are not a Host we will echo.
inline constexpr std::size_t kMaxHostHeader = 255;

// The policy must outlive the router.
void mount_boot_routes(HttpRouter& router, BootPolicy& policy, std::optional<HttpRoot> root);

// The response for one /boot.ipxe request (what the route calls).
HttpResponse boot_script_response(const HttpRequest& request, BootPolicy& policy);

// "http://" + the Host the client used, so URLs in scripts reach us the way the client did;
// the local address when Host is absent or not a plain host[:port] (it is echoed into a script).
std::string base_url_for(const HttpRequest& request);

}  // namespace ingot::pxe
