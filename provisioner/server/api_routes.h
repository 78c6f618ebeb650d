// The REST API under /api/v1 and the image store under /images/v1, mounted on the one HTTP
// server. Operators authenticate with the admin token; agents with their node's token, which
// opens only that node's agent endpoints. Bodies are JSON both ways; errors are
// {"error": "..."} with a status that says whose fault it is.
//
//   GET    /api/v1/nodes                     list
//   POST   /api/v1/nodes                     enrol {name, mac?, bmc: "ipmi://user:pass@host:port"?}
//   GET    /api/v1/nodes/NAME                show, with facts and timeline
//   POST   /api/v1/nodes/NAME/deploy         deploy (PXE + power on through the BMC)
//   POST   /api/v1/nodes/NAME/power          {"action": "on|off|cycle|reset|soft|status"}
//   POST   /api/v1/nodes/NAME/retire
//   POST   /api/v1/nodes/NAME/upgrade        {to, dry_run?, drift?}: one node, no rollout
//   GET    /api/v1/rollouts                  list; POST: create {role, to, from?, canary?, batch?,
//                                            max_failures?, drift?, dry_run?}
//   GET    /api/v1/rollouts/ID               show (nodes, per-node status, events)
//   POST   /api/v1/rollouts/ID/pause|resume|abort
//   GET    /api/v1/roles                     roles in selection order
//   GET    /api/v1/events?after=ID&node=N    event log; /api/v1/events/stream: Server-Sent Events
//   POST   /api/v1/agent/facts|report|callback, GET /api/v1/agent/config    (node token)
//   GET    /api/v1/agent/upgrade             {target, rollout, drift} or 204; POST: a report (node token)
//   GET    /images/v1/ROLE@VERSION/manifest.json|manifest.sig, /images/v1/objects/SHA256,
//          /images/v1/key.pub            (content-addressed, cacheable; versions are immutable)
//   GET    /images/v1/deltas/BASE/NEW    librsync delta between two objects (404: none worth it)
#pragma once

#include <filesystem>

#include "provisioner/server/provisioner.h"
#include "pxe/http_router.h"

namespace ingot::server {

void mount_api(pxe::HttpRouter& router, Provisioner& p);
void mount_images(pxe::HttpRouter& router, const std::filesystem::path& store_root,
                  const std::filesystem::path& public_key);
// GET /images/v1/deltas/BASE/NEW: a stored delta, or one built now on a worker (delta_routes.cpp).
void mount_deltas(pxe::HttpRouter& router, const std::filesystem::path& store_root);
// POST /images/v1/objects/pack: many small objects in one answer (pack_routes.cpp).
void mount_packs(pxe::HttpRouter& router, const std::filesystem::path& store_root);

// Content-addressed files carry these: their bytes can never change under their name.
inline constexpr const char* kImmutable = "public, max-age=31536000, immutable";
// A regular file's bytes (sendfile), or 404.
pxe::HttpResponse file_response(const std::filesystem::path& path, const char* type, const char* cache);

}  // namespace ingot::server
