// GET /images/v1/deltas/<base_sha>/<new_sha>: the librsync delta between two stored objects
// (imagebuilder/delta_store.h). A stored delta is a content-addressed file with immutable
// caching headers, like an object. A missing one is built on first request, on a worker thread:
// building takes up to a second or two of CPU (bounded by kMaxDeltaInputBytes), which must not
// stall every other client on the event loop. 404 when there is no delta worth having.
#include <boost/asio/thread_pool.hpp>

#include "common/log.h"
#include "imagebuilder/delta_store.h"
#include "provisioner/server/api_routes.h"

namespace ingot::server {
namespace {
using pxe::HttpRequest;
using pxe::HttpResponse;

// One builder thread: the machine serving images also answers DHCP/TFTP/HTTP, and builds of
// the same pair then run one after the other (the second finds the first's result).
constexpr int kDeltaBuildThreads = 1;
// Requests waiting for a build beyond this get 503 (clients then fetch the whole object):
// a burst of distinct pairs must not queue minutes of CPU behind one another.
constexpr std::size_t kMaxQueuedDeltaBuilds = 16;

constexpr std::string_view kPrefix = "/images/v1/deltas/";

struct Builder {
  std::filesystem::path store_root;
  asio::thread_pool pool{kDeltaBuildThreads};
  std::size_t queued = 0;  // touched on the event loop only
};

// What a build returns across threads.
struct Outcome {
  bool ok = false;
  image::DeltaInfo info;
  std::string error;
};

HttpResponse answer(const image::ObjectStore& store, const image::Digest& base, const image::Digest& want,
                    const image::DeltaInfo& info) {
  switch (info.status) {
    case image::DeltaStatus::stored: {
      auto r = file_response(image::delta_path(store, base, want), "application/zstd", kImmutable);
      r.note = "delta";
      return r;
    }
    case image::DeltaStatus::not_worth_it: {
      // Permanent for this pair, so caches may keep the 404 too.
      auto r = HttpResponse::error(404).header("Cache-Control", kImmutable);
      r.note = "no delta: " + info.reason;
      return r;
    }
    case image::DeltaStatus::unknown_object: {
      auto r = HttpResponse::error(404);
      r.note = "no such object";
      return r;
    }
    case image::DeltaStatus::missing: break;
  }
  return HttpResponse::error(500);
}

// Runs fn on the pool and completes on the awaiting coroutine's executor. (Boost 1.74's
// co_spawn onto another executor with use_awaitable completes on the pool thread while it is
// still unwinding, which corrupts the heap; a plain post there and back does not.)
template <typename Token>
auto on_pool(asio::thread_pool& pool, std::function<Outcome()> fn, Token&& token) {
  return asio::async_initiate<Token, void(Outcome)>(
      [&pool](auto handler, std::function<Outcome()> work) {
        auto ex = asio::get_associated_executor(handler);
        auto guard = asio::make_work_guard(ex);
        asio::post(pool, [h = std::move(handler), work = std::move(work), guard = std::move(guard)]() mutable {
          Outcome out = work();
          auto back = guard.get_executor();
          asio::post(back, [h = std::move(h), out = std::move(out), guard = std::move(guard)]() mutable { h(std::move(out)); });
        });
      },
      token, std::move(fn));
}

asio::awaitable<HttpResponse> build_later(std::shared_ptr<Builder> b, image::Digest base, image::Digest want) {
  struct Release {
    Builder& b;
    ~Release() { --b.queued; }
  } release{*b};
  auto root = b->store_root;
  // Named, not a temporary in the co_await expression: GCC 12 destroys such a temporary's
  // captures twice when the coroutine resumes.
  std::function<Outcome()> job = [root, base, want]() -> Outcome {
    auto store = image::ObjectStore::open(root);
    if (!store) return Outcome{false, {}, store.error().message()};
    auto info = image::build_delta(*store, base, want);
    if (!info) return Outcome{false, {}, info.error().message()};
    return Outcome{true, *info, {}};
  };
  Outcome out = co_await on_pool(b->pool, std::move(job), asio::use_awaitable);
  auto store = image::ObjectStore::open(root);
  if (!out.ok || !store) {
    INGOT_LOG(error, "images") << "delta " << base.hex() << " -> " << want.hex() << ": " << out.error;
    co_return HttpResponse::error(500);
  }
  auto r = answer(*store, base, want, out.info);
  r.note += " (built now)";
  co_return r;
}

}  // namespace

void mount_deltas(pxe::HttpRouter& router, const std::filesystem::path& store_root) {
  auto builder = std::make_shared<Builder>();
  builder->store_root = store_root;
  router.add("GET", std::string(kPrefix), [builder](const HttpRequest& req) {
    std::string_view rest = std::string_view(req.path).substr(kPrefix.size());
    auto slash = rest.find('/');
    auto bad = [](std::string why) {
      auto r = HttpResponse::text(400, "400 Bad Request: " + why + "\n");
      r.note = why;
      return r;
    };
    if (slash == std::string_view::npos) return bad("want /images/v1/deltas/<base sha256>/<new sha256>");
    auto base = image::parse_digest(rest.substr(0, slash));
    auto want = image::parse_digest(rest.substr(slash + 1));
    if (!base || !want) return bad("both names must be 64 lowercase hex digits");
    auto store = image::ObjectStore::open(builder->store_root);
    if (!store) return HttpResponse::error(503);
    auto info = image::lookup_delta(*store, *base, *want);
    if (info.status != image::DeltaStatus::missing) return answer(*store, *base, *want, info);
    if (builder->queued >= kMaxQueuedDeltaBuilds) {
      auto r = HttpResponse::error(503).header("Retry-After", "1");
      r.note = "delta builds queue full";
      return r;
    }
    ++builder->queued;
    HttpResponse r;
    r.deferred = [builder, b = *base, w = *want]() { return build_later(builder, b, w); };
    return r;
  });
}

}  // namespace ingot::server
