#include "provisioner/agent/upgrade_rollback.h"

#include <fcntl.h>
#include <unistd.h>

#include <set>

#include "imagebuilder/apply_tree.h"
#include "imagebuilder/digest.h"
#include "imagebuilder/file_io.h"
#include "imagebuilder/upgrade_plan.h"
#include "provisioner/agent/upgrade_switch.h"

namespace ingot::agent {
namespace fs = std::filesystem;
using image::Entry;
using image::EntryType;

namespace {

class LocalContentSource final : public image::ImageSource {
 public:
  explicit LocalContentSource(std::vector<fs::path> dirs) : dirs_(std::move(dirs)) {}
  Result<std::string> manifest_text(const std::string&, std::string*) override { return fail("local content only"); }
  Result<std::string> signature_text(const std::string&) override { return fail("local content only"); }
  Result<std::string> public_key_pem() override { return fail("local content only"); }
  Result<void> fetch(const Entry& e, const image::ByteSink& sink) override {
    for (auto& d : dirs_) {
      image::UniqueFd fd(::open((d / e.sha256.hex()).c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
      if (!fd) continue;
      image::Sha256 h;
      std::uint64_t total = 0;
      std::vector<std::uint8_t> buf(1 << 16);
      for (;;) {
        ssize_t n = ::read(fd.get(), buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return image::errno_error("cannot read", d / e.sha256.hex());
        if (n == 0) break;
        total += static_cast<std::uint64_t>(n);
        if (total > e.size) break;
        std::span<const std::uint8_t> chunk(buf.data(), static_cast<std::size_t>(n));
        h.update(chunk);
        if (auto r = sink(chunk); !r) return r;
      }
      if (total != e.size || h.finish() != e.sha256)
        return fail(e.path + ": the kept old content " + e.sha256.hex() + " is damaged");
      return ok();
    }
    return fail(e.path + ": no kept copy of its old content " + e.sha256.hex());
  }
  std::uint64_t bytes_fetched() const override { return 0; }
  std::string describe() const override { return "the upgrade's undo area"; }

 private:
  std::vector<fs::path> dirs_;
};

void with_parents(const std::string& rel, std::set<std::string>& out) {
  out.insert(rel);
  for (fs::path p = fs::path(rel).parent_path(); !p.empty(); p = p.parent_path()) out.insert(p.string());
  out.insert(".");
}

}  // namespace

std::unique_ptr<image::ImageSource> local_content_source(std::vector<fs::path> dirs) {
  return std::make_unique<LocalContentSource>(std::move(dirs));
}

Result<void> roll_back(const RollbackInput& in, const UpgradeArea& area) {
  // The same plan the switch worked from (plans are deterministic; the policy only decides reboots).
  image::UpgradePlan plan = image::make_plan(*in.from, *in.to, in.drifted, *in.protect, image::UpgradePolicy{});
  std::error_code ec;
  std::set<std::string> touched;
  for (auto* list : {&plan.added, &plan.changed, &plan.meta, &plan.removed, &plan.drifted})
    for (auto& p : *list) {
      with_parents(p, touched);
      fs::remove((in.root / p).string() + kSwitchTempSuffix, ec);
    }
  for (auto& p : in.drifted)
    if (in.from->find(p) && !in.protect->keeps(p)) with_parents(p, touched);
  // What n+1 added goes, deepest first (whatever n had there comes back below).
  for (auto it = plan.added.rbegin(); it != plan.added.rend(); ++it) {
    if (in.from->find(*it)) continue;
    fs::remove_all(in.root / *it, ec);
    if (ec) return fail(ec, "rollback: cannot remove " + (in.root / *it).string());
  }
  // n, restricted to the touched paths: a hard link needs its group's first path too.
  for (auto& p : std::set<std::string>(touched))
    if (const Entry* e = in.from->find(p); e && e->type == EntryType::hardlink) with_parents(e->target, touched);
  image::Manifest sub = *in.from;
  sub.entries.clear();
  for (const Entry& e : in.from->entries)
    if (touched.count(e.path)) sub.entries.push_back(e);
  auto source = local_content_source({area.undo(), area.objects()});
  image::ApplyOptions opt;
  opt.remove_extra = false;
  auto applied = image::apply_manifest(sub, *source, in.root, opt);
  if (!applied) return fail("rollback: " + applied.error().message());
  return sync_filesystem(in.root);
}

}  // namespace ingot::agent
