#include "provisioner/agent/image_install.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "imagebuilder/apply_tree.h"
#include "provisioner/agent/image_state.h"

namespace ingot::agent {
namespace {
// Long enough to ride out a server restart or a switch reboot; short enough that a server that
// is really gone (or an object that is really corrupt) fails the deploy within minutes.
constexpr auto kSyncRetryWindow = std::chrono::seconds(180);

// Creating /var/lib/ingot moved the mtimes of the image's /var/lib (and /var): put them back,
// so the laid tree is exactly the image plus the agent's own state.
void restore_parent_mtimes(const image::Manifest& m, const std::filesystem::path& target) {
  for (std::filesystem::path p = std::filesystem::path(kImageStateDir).parent_path(); !p.empty(); p = p.parent_path()) {
    const image::Entry* e = m.find(p.string());
    if (!e || e->type != image::EntryType::dir) continue;
    timespec times[2] = {{e->mtime, 0}, {e->mtime, 0}};
    ::utimensat(AT_FDCWD, (target / p).c_str(), times, AT_SYMLINK_NOFOLLOW);
  }
}

}  // namespace

Result<SyncStats> install_image(const std::string& server, const std::string& /*token*/, const nlohmann::json& plan,
                                const std::filesystem::path& target,
                                const std::function<void(const nlohmann::json&)>& progress) {
  std::string ref = plan.value("image", "");
  if (ref.empty()) return fail("the plan names no image");
  auto source = image::http_source(server);
  image::ApplyOptions opt;
  auto last = std::chrono::steady_clock::now();
  opt.progress = [&](const image::ApplyStats& s) {
    // One progress report a second at most: the server records each as an event.
    auto now = std::chrono::steady_clock::now();
    if (now - last < std::chrono::seconds(1)) return;
    last = now;
    progress({{"entries", s.entries}, {"files", s.files_written}, {"bytes", s.bytes_fetched}});
  };
  auto t0 = std::chrono::steady_clock::now();
  std::string resolved;
  // The signed manifest is kept on the node (image_state.h): upgrades plan against it and
  // accept only manifests signed with the key it verified with.
  auto lay = [&]() -> Result<image::ApplyStats> {
    auto m = image::fetch_signed(*source, ref, "");
    if (!m) return fail(m.error());
    resolved = m->ref;
    auto applied = image::apply_manifest(m->manifest, *source, target, opt);
    if (!applied) return applied;
    if (auto w = write_image_state(target / kImageStateDir, *m); !w) return fail(w.error());
    restore_parent_mtimes(m->manifest, target);
    return applied;
  };
  // A server restart or a network blip mid-sync must not fail the deploy: apply resumes (files
  // already written are reused), so retry with backoff for a bounded time.
  auto r = lay();
  auto backoff = std::chrono::seconds(1);
  while (!r && std::chrono::steady_clock::now() - t0 < kSyncRetryWindow) {
    progress({{"retry", r.error().message()}, {"in_seconds", backoff.count()}});
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, std::chrono::seconds(15));
    source = image::http_source(server);
    r = lay();
  }
  if (!r) return fail(r.error());
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  progress({{"image", resolved}, {"entries", r->entries}, {"files", r->files_written}, {"bytes", r->bytes_fetched},
            {"seconds", secs}, {"mb_per_s", secs > 0 ? static_cast<double>(r->bytes_fetched) / 1e6 / secs : 0.0}});
  return SyncStats{r->files_written, r->bytes_fetched};
}

}  // namespace ingot::agent
