#include "imagebuilder/apply_source.h"

#include "imagebuilder/delta_store.h"
#include "imagebuilder/file_io.h"
#include "imagebuilder/manifest_validate.h"

namespace ingot::image {
namespace {

// A manifest of a full OS is a few MB; the limit bounds a hostile server's answer.
constexpr std::size_t kMaxManifestBytes = 256 * 1024 * 1024;

class StoreSource final : public ImageSource {
 public:
  StoreSource(const ObjectStore& store, std::filesystem::path key) : store_(store), key_(std::move(key)) {}

  Result<std::string> manifest_text(const std::string& ref, std::string* resolved) override {
    std::string text = ref;
    if (text.ends_with("@latest")) {
      auto newest = store_.previous_version(text.substr(0, text.size() - 7), "");
      if (!newest) return fail(newest.error());
      if (!newest->has_value()) return fail("no stored version of " + text.substr(0, text.size() - 7));
      text = (*newest)->str();
    }
    auto r = parse_image_ref(text);
    if (!r) return fail(r.error());
    *resolved = r->str();
    return store_.read_manifest_text(*r);
  }
  Result<std::string> signature_text(const std::string& resolved_ref) override {
    auto r = parse_image_ref(resolved_ref);
    if (!r) return fail(r.error());
    return store_.read_signature(*r);
  }
  Result<std::string> public_key_pem() override {
    auto k = read_file_limited(key_, 16 * 1024);
    if (!k) return fail(k.error());
    return *k;
  }
  Result<void> fetch(const Entry& e, const ByteSink& sink) override {
    fetched_ += e.size;
    return store_.read_object(e.sha256, e.size, sink);
  }
  Result<std::optional<std::string>> fetch_delta(const Digest& base, const Digest& want, std::uint64_t max_bytes) override {
    // Only what `ingot image delta` (or a server) stored: building one here would cost more than
    // reading the whole object from this same disk.
    if (lookup_delta(store_, base, want).status != DeltaStatus::stored) return std::optional<std::string>();
    auto bytes = read_file_limited(delta_path(store_, base, want), max_bytes);
    if (!bytes) return fail(bytes.error());
    fetched_ += bytes->size();
    return std::optional<std::string>(std::move(*bytes));
  }
  std::uint64_t bytes_fetched() const override { return fetched_; }
  std::string describe() const override { return "store " + store_.root().string(); }

 private:
  const ObjectStore& store_;
  std::filesystem::path key_;
  std::uint64_t fetched_ = 0;
};

class HttpSource final : public ImageSource {
 public:
  explicit HttpSource(std::string base) : base_(std::move(base)) {}

  Result<std::string> manifest_text(const std::string& ref, std::string* resolved) override {
    std::string header;
    auto body = get_text("/images/v1/" + ref + "/manifest.json", &header);
    if (!body) return body;
    *resolved = header.empty() ? ref : header;
    return body;
  }
  Result<std::string> signature_text(const std::string& resolved_ref) override {
    return get_text("/images/v1/" + resolved_ref + "/manifest.sig", nullptr);
  }
  Result<std::string> public_key_pem() override { return get_text("/images/v1/key.pub", nullptr); }

  Result<void> fetch(const Entry& e, const ByteSink& sink) override {
    ObjectDecoder dec(sink, e.size);
    HttpRequest req = image_route_request(base_ + "/images/v1/objects/" + e.sha256.hex());
    req.on_body = [&](std::string_view chunk) {
      fetched_ += chunk.size();
      return dec.update({reinterpret_cast<const std::uint8_t*>(chunk.data()), chunk.size()});
    };
    auto r = http_.perform(req);
    if (!r) return fail(r.error());
    if (r->status != 200) return fail(r->describe_status(req.url));
    return dec.finish(e.sha256);
  }
  Result<std::optional<std::string>> fetch_delta(const Digest& base, const Digest& want, std::uint64_t max_bytes) override {
    HttpRequest req = image_route_request(base_ + "/images/v1/deltas/" + base.hex() + "/" + want.hex());
    req.max_body = static_cast<std::size_t>(max_bytes);
    auto r = http_.perform(req);
    if (!r) return fail(r.error());
    fetched_ += r->body.size();
    if (r->status == 404) return std::optional<std::string>();  // none, or not worth it
    if (r->status != 200) return fail(r->describe_status(req.url));
    return std::optional<std::string>(std::move(r->body));
  }
  std::uint64_t bytes_fetched() const override { return fetched_; }
  std::string describe() const override { return base_; }

 private:
  // image_header: the X-Ingot-Image field, the version "role@latest" resolved to.
  Result<std::string> get_text(const std::string& path, std::string* image_header) {
    HttpRequest req = image_route_request(base_ + path);
    // The write callback sees decoded bytes, so kMaxManifestBytes still bounds them.
    req.accept_encoding = true;
    req.max_body = kMaxManifestBytes;
    auto r = http_.perform(req);
    if (!r) return fail(r.error());
    if (r->status != 200) return fail(r->describe_status(req.url));
    if (image_header) *image_header = r->header("x-ingot-image").value_or("");
    return std::move(r->body);
  }

  std::string base_;
  HttpClient http_;  // one connection, kept alive from object to object
  std::uint64_t fetched_ = 0;
};

}  // namespace

std::unique_ptr<ImageSource> store_source(const ObjectStore& store, std::filesystem::path public_key) {
  return std::make_unique<StoreSource>(store, std::move(public_key));
}

std::unique_ptr<ImageSource> http_object_source(std::string base_url) { return std::make_unique<HttpSource>(std::move(base_url)); }

// Connect within 10 s (HttpRequest's default); a transfer below 1 KB/s for 60 s is dead, a slow
// one is not: an object may be large and the link shared by a rack.
HttpRequest image_route_request(std::string url) {
  HttpRequest req;
  req.url = std::move(url);
  req.low_speed_bytes = 1024;
  req.low_speed_time = std::chrono::seconds(60);
  return req;
}

}  // namespace ingot::image
