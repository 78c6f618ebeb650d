#include "imagebuilder/apply_source.h"

#include <curl/curl.h>

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

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

class HttpSource final : public ImageSource {
 public:
  explicit HttpSource(std::string base) : base_(std::move(base)) {
    static CurlGlobal g;
    curl_ = curl_easy_init();
  }
  ~HttpSource() override {
    if (curl_) curl_easy_cleanup(curl_);
  }

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
    Result<void> sink_error = ok();
    struct Ctx {
      ObjectDecoder* dec;
      Result<void>* err;
      std::uint64_t* fetched;
    } ctx{&dec, &sink_error, &fetched_};
    auto cb = +[](char* p, size_t s, size_t n, void* u) -> size_t {
      auto* c = static_cast<Ctx*>(u);
      *c->fetched += s * n;
      auto r = c->dec->update({reinterpret_cast<const std::uint8_t*>(p), s * n});
      if (!r) {
        *c->err = r;
        return 0;
      }
      return s * n;
    };
    auto r = perform("/images/v1/objects/" + e.sha256.hex(), cb, &ctx, nullptr);
    if (!sink_error) return sink_error;
    if (!r) return r;
    return dec.finish(e.sha256);
  }
  Result<std::optional<std::string>> fetch_delta(const Digest& base, const Digest& want, std::uint64_t max_bytes) override {
    struct Ctx {
      std::string body;
      std::uint64_t max;
      std::uint64_t* fetched;
    } ctx{{}, max_bytes, &fetched_};
    auto cb = +[](char* p, size_t s, size_t n, void* u) -> size_t {
      auto* c = static_cast<Ctx*>(u);
      *c->fetched += s * n;
      if (c->body.size() + s * n > c->max) return 0;
      c->body.append(p, s * n);
      return s * n;
    };
    auto r = perform("/images/v1/deltas/" + base.hex() + "/" + want.hex(), cb, &ctx, nullptr);
    if (last_status_ == 404) return std::optional<std::string>();  // none, or not worth it
    if (!r) return fail(r.error());
    return std::optional<std::string>(std::move(ctx.body));
  }
  std::uint64_t bytes_fetched() const override { return fetched_; }
  std::string describe() const override { return base_; }

 private:
  Result<std::string> get_text(const std::string& path, std::string* image_header) {
    struct Ctx {
      std::string body;
      bool overflow = false;
    } ctx;
    auto cb = +[](char* p, size_t s, size_t n, void* u) -> size_t {
      auto* c = static_cast<Ctx*>(u);
      if (c->body.size() + s * n > kMaxManifestBytes) {
        c->overflow = true;
        return 0;
      }
      c->body.append(p, s * n);
      return s * n;
    };
    auto r = perform(path, cb, &ctx, image_header);
    if (ctx.overflow) return fail(base_ + path + ": answer larger than " + std::to_string(kMaxManifestBytes) + " bytes");
    if (!r) return fail(r.error());
    return std::move(ctx.body);
  }

  Result<void> perform(const std::string& path, curl_write_callback cb, void* ctx, std::string* image_header) {
    if (!curl_) return fail("libcurl failed to initialise");
    std::string url = base_ + path;
    curl_easy_reset(curl_);
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, cb);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, ctx);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT, 10L);
    // A stalled transfer (below 1 KB/s for 60 s) is dead; a slow one is not.
    curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, "http,https");
    // Every coding libcurl decodes (zstd, gzip...): the server zstd-codes manifests, ~10x fewer
    // bytes. The write callback sees decoded bytes, so kMaxManifestBytes still bounds them.
    curl_easy_setopt(curl_, CURLOPT_ACCEPT_ENCODING, "");
    std::string resolved;
    auto hcb = +[](char* p, size_t s, size_t n, void* u) -> size_t {
      std::string_view line(p, s * n);
      constexpr std::string_view name = "x-ingot-image:";
      if (line.size() > name.size()) {
        bool match = true;
        for (std::size_t i = 0; i < name.size(); ++i)
          if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) match = false;
        if (match) {
          std::string v(line.substr(name.size()));
          while (!v.empty() && (v.front() == ' ')) v.erase(v.begin());
          while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) v.pop_back();
          *static_cast<std::string*>(u) = v;
        }
      }
      return s * n;
    };
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, hcb);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &resolved);
    CURLcode rc = curl_easy_perform(curl_);
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    last_status_ = status;
    if (rc == CURLE_WRITE_ERROR) return fail(url + ": transfer stopped by the receiver");
    if (rc != CURLE_OK) return fail(url + ": " + curl_easy_strerror(rc));
    if (status != 200) return fail(url + ": HTTP " + std::to_string(status));
    if (image_header) *image_header = resolved;
    return ok();
  }

  std::string base_;
  CURL* curl_ = nullptr;
  std::uint64_t fetched_ = 0;
  long last_status_ = 0;
};

}  // namespace

std::unique_ptr<ImageSource> store_source(const ObjectStore& store, std::filesystem::path public_key) {
  return std::make_unique<StoreSource>(store, std::move(public_key));
}

std::unique_ptr<ImageSource> http_object_source(std::string base_url) { return std::make_unique<HttpSource>(std::move(base_url)); }

}  // namespace ingot::image
