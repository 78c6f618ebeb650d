// Where an image comes from when it is laid onto a tree: the local store, or the server's
// /images/v1 routes over HTTP (common/http_client.h). Either way every object is decompressed
// and checked against its hash as it streams, so a corrupt or substituted object never reaches
// the disk.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/http_client.h"
#include "common/result.h"
#include "imagebuilder/image_ref.h"
#include "imagebuilder/manifest.h"
#include "imagebuilder/object_codec.h"
#include "imagebuilder/object_store.h"

namespace ingot::image {

class ImageSource {
 public:
  virtual ~ImageSource() = default;
  // The manifest's exact bytes and the version it is ("role@latest" resolves to the newest).
  virtual Result<std::string> manifest_text(const std::string& ref, std::string* resolved) = 0;
  virtual Result<std::string> signature_text(const std::string& resolved_ref) = 0;
  virtual Result<std::string> public_key_pem() = 0;
  // Streams the verified content of a file entry into sink.
  virtual Result<void> fetch(const Entry& file, const ByteSink& sink) = 0;
  // The librsync delta base -> want as stored (its zstd frame, unverified: delta_fetch.h checks
  // what it produces), or nullopt when the source has none or it is not worth it. An answer
  // over max_bytes is an error. Sources without deltas keep this default.
  virtual Result<std::optional<std::string>> fetch_delta(const Digest& base, const Digest& want, std::uint64_t max_bytes) {
    (void)base, (void)want, (void)max_bytes;
    return std::optional<std::string>();
  }
  // The files about to be fetched, in the order fetch will ask for them: a source may start
  // fetching them ahead (in parallel, packed). Only a hint: fetch must still answer for any
  // entry, and entries named here may never be asked for.
  virtual void prepare(std::vector<const Entry*> files) { (void)files; }
  // Whether fetch may be called from several threads at once (the apply then writes files in
  // parallel). Every other call stays on one thread.
  virtual bool concurrent_fetch() const { return false; }
  virtual std::uint64_t bytes_fetched() const = 0;
  virtual std::string describe() const = 0;
};

std::unique_ptr<ImageSource> store_source(const ObjectStore& store, std::filesystem::path public_key);
// base_url: "http://198.18.0.1:8080" (the server's /images/v1 routes). Fetches ahead what
// prepare() names, small objects in packs, over a few parallel connections (http_pack_source.cpp).
std::unique_ptr<ImageSource> http_source(std::string base_url);
// The same routes, one request per object, one connection, nothing ahead: what http_source
// falls back on for the manifest, deltas and files it was not told of.
std::unique_ptr<ImageSource> http_object_source(std::string base_url);
// A request to an /images/v1 route with the limits both HTTP sources use.
HttpRequest image_route_request(std::string url);

}  // namespace ingot::image
