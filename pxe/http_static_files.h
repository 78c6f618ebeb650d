// GET/HEAD handler for static boot files (kernels, initrds, iPXE binaries) under one root:
// validators and 304 (RFC 9110 §8.8, §13.1.2), single byte ranges (§14), and file bodies the
// shell sends with sendfile(2), so a 1 GiB initrd never passes through user space.
#pragma once

#include <string_view>

#include "pxe/http_request.h"
#include "pxe/http_response.h"
#include "pxe/http_root.h"

namespace ingot::pxe {

class HttpStaticFiles {
 public:
  explicit HttpStaticFiles(HttpRoot root) : root_(std::move(root)) {}
  HttpResponse serve(const HttpRequest& request) const;

 private:
  HttpRoot root_;
};

// By extension; boot binaries, kernels and initrds are application/octet-stream.
std::string_view content_type_for(std::string_view path);

}  // namespace ingot::pxe
