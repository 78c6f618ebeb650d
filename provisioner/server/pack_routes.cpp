// POST /images/v1/objects/pack: many stored objects in one answer (format: imagebuilder/
// object_pack.h). Every named object is checked to exist and the pack's total size against
// kMaxPackBytes before the first byte goes out, so a bad request is a clear 4xx, not a
// truncated stream; the objects are then streamed from the store one buffer at a time, never
// held in memory whole. Not cacheable (POST), which is why it is only for small objects.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "imagebuilder/object_pack.h"
#include "imagebuilder/object_store.h"
#include "provisioner/server/api_routes.h"

namespace ingot::server {
namespace {
using pxe::HttpRequest;
using pxe::HttpResponse;

// One chunk on the wire per this many bytes: many records share a chunk (most objects are a
// few KB), and a large one is read in pieces of this size.
constexpr std::size_t kPackWriteBytes = 256 * 1024;

// Reads the objects in order into the stream. An object that vanished since the check (gc)
// ends the stream without its end record: the client sees a truncated pack and says so.
asio::awaitable<void> stream_pack(std::vector<std::filesystem::path> files, std::vector<image::Digest> digests,
                                  std::vector<std::uint64_t> sizes, pxe::HttpStreamWriter& w) {
  std::string buf(image::kPackMagic);
  buf.reserve(kPackWriteBytes + image::kPackRecordHeadBytes);
  for (std::size_t i = 0; i < files.size(); ++i) {
    image::UniqueFd fd(::open(files[i].c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) {
      INGOT_LOG(warn, "images") << "pack: " << files[i].string() << " vanished while being sent";
      co_return;
    }
    buf += image::pack_record_head(digests[i], sizes[i]);
    std::uint64_t left = sizes[i];
    while (left > 0) {
      std::size_t at = buf.size();
      std::size_t want = std::min<std::uint64_t>(left, kPackWriteBytes);
      buf.resize(at + want);
      ssize_t n = ::read(fd.get(), buf.data() + at, want);
      if (n <= 0) {  // shrank under us: the promised length cannot be kept
        INGOT_LOG(warn, "images") << "pack: short read of " << files[i].string();
        co_return;
      }
      buf.resize(at + std::size_t(n));
      left -= std::uint64_t(n);
      if (buf.size() >= kPackWriteBytes) {
        if (!co_await w.write(buf)) co_return;
        buf.clear();
      }
    }
  }
  buf += image::pack_end_record();
  co_await w.write(buf);
}

HttpResponse pack_response(const std::filesystem::path& store_root, const HttpRequest& req) {
  auto digests = image::parse_pack_request(req.body);
  if (!digests) {
    auto r = HttpResponse::text(400, digests.error().message() + "\n");
    r.note = digests.error().message();
    return r;
  }
  auto store = image::ObjectStore::open(store_root);
  if (!store) return HttpResponse::error(503);
  std::vector<std::filesystem::path> files;
  std::vector<std::uint64_t> sizes;
  std::uint64_t total = 0;
  for (auto& d : *digests) {
    auto path = store->object_path(d);
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      auto r = HttpResponse::text(404, "no object " + d.hex() + "\n");
      r.note = "pack names an unknown object " + d.hex();
      return r;
    }
    total += static_cast<std::uint64_t>(st.st_size);
    if (total > image::kMaxPackBytes) {
      auto r = HttpResponse::text(413, "pack larger than " + std::to_string(image::kMaxPackBytes) +
                                           " bytes: ask for fewer objects, or fetch large ones by GET\n");
      r.note = "pack over the size limit";
      return r;
    }
    files.push_back(std::move(path));
    sizes.push_back(static_cast<std::uint64_t>(st.st_size));
  }
  HttpResponse r;
  r.headers = {{"Content-Type", "application/x-ingot-pack"}, {"Cache-Control", "no-store"}};
  r.note = std::to_string(files.size()) + " objects";
  r.body = pxe::StreamBody([files = std::move(files), ds = std::move(*digests), sizes = std::move(sizes)](
                               pxe::HttpStreamWriter& w) { return stream_pack(files, ds, sizes, w); });
  return r;
}

}  // namespace

void mount_packs(pxe::HttpRouter& router, const std::filesystem::path& store_root) {
  router.add("POST", "/images/v1/objects/pack",
             [store_root](const HttpRequest& req) { return pack_response(store_root, req); });
}

}  // namespace ingot::server
