// /images/v1: the image store over HTTP. Objects are addressed by content hash and manifests
// by immutable role@version, so both carry year-long immutable caching headers and any HTTP
// cache between server and racks can hold them. role@latest resolves to the newest version
// and is never cached.
#include <fcntl.h>
#include <sys/stat.h>

#include "imagebuilder/object_store.h"
#include "provisioner/server/api_routes.h"
#include "provisioner/server/manifest_encoding.h"

namespace ingot::server {
using pxe::HttpRequest;
using pxe::HttpResponse;

HttpResponse file_response(const std::filesystem::path& path, const char* type, const char* cache) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return HttpResponse::error(404);
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return HttpResponse::error(404);
  }
  HttpResponse r;
  r.headers = {{"Content-Type", type}, {"Cache-Control", cache}};
  r.body = pxe::FileBody{pxe::FileHandle(fd), 0, static_cast<std::uint64_t>(st.st_size)};
  return r;
}

void mount_images(pxe::HttpRouter& router, const std::filesystem::path& store_root,
                  const std::filesystem::path& public_key) {
  mount_deltas(router, store_root);
  mount_packs(router, store_root);
  router.add("GET", "/images/v1/key.pub", [public_key](const HttpRequest&) {
    return file_response(public_key, "application/x-pem-file", "no-cache");
  });
  router.add("GET", "/images/v1/", [store_root](const HttpRequest& req) {
    auto store = image::ObjectStore::open(store_root);
    if (!store) return HttpResponse::error(503);
    std::string rest = req.path.substr(std::string("/images/v1/").size());
    if (rest.rfind("objects/", 0) == 0) {
      auto d = image::parse_digest(rest.substr(8));
      if (!d) return HttpResponse::error(404);
      return file_response(store->object_path(*d), "application/zstd", kImmutable);
    }
    auto slash = rest.find('/');
    if (slash == std::string::npos) return HttpResponse::error(404);
    std::string file = rest.substr(slash + 1);
    if (file != image::kManifestFile && file != image::kSignatureFile) return HttpResponse::error(404);
    std::string ref_text = rest.substr(0, slash);
    const char* cache = kImmutable;
    if (ref_text.size() > 7 && ref_text.ends_with("@latest")) {
      auto newest = store->previous_version(ref_text.substr(0, ref_text.size() - 7), "");
      if (!newest || !newest->has_value()) return HttpResponse::error(404);
      ref_text = (*newest)->role + "@" + (*newest)->version;
      cache = "no-cache";
    }
    auto ref = image::parse_image_ref(ref_text);
    if (!ref || !store->has_image(*ref)) return HttpResponse::error(404);
    auto path = store->image_dir(*ref) / file;
    HttpResponse r = file_response(path, "application/json", cache);
    if (r.status == 200 && file == image::kManifestFile && accepts_zstd(req.header("Accept-Encoding"))) {
      auto encoded = zstd_encoded_manifest(path);
      if (!encoded) return HttpResponse::error(500);
      r.headers = {{"Content-Type", "application/json"}, {"Cache-Control", cache}, {"Content-Encoding", "zstd"}};
      r.body = **encoded;
    }
    // Both codings answer the same URL: a cache in between keys on the client's Accept-Encoding.
    if (file == image::kManifestFile) r.headers.emplace_back("Vary", "Accept-Encoding");
    // Which version "latest" meant, so the agent fetches the signature of the same one.
    r.headers.emplace_back("X-Ingot-Image", ref_text);
    return r;
  });
}

}  // namespace ingot::server
