#include "provisioner/agent/upgrade_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include "imagebuilder/file_io.h"

namespace ingot::agent {
namespace fs = std::filesystem;
using nlohmann::json;

UpgradeArea::UpgradeArea(const fs::path& root) : dir_(root / "var/lib/ingot/upgrade") {}

Result<void> fsync_dir(const fs::path& dir) {
  image::UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return image::errno_error("cannot open", dir);
  if (::fsync(fd.get()) != 0) return image::errno_error("cannot sync", dir);
  return ok();
}

Result<void> sync_filesystem(const fs::path& path) {
  image::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return image::errno_error("cannot open", path);
  if (::syncfs(fd.get()) != 0) return image::errno_error("cannot sync the filesystem of", path);
  return ok();
}

Result<std::optional<UpgradeJournal>> UpgradeArea::load() const {
  std::error_code ec;
  if (!fs::exists(journal(), ec)) return std::optional<UpgradeJournal>{};
  auto text = image::read_file_limited(journal(), kMaxJournalBytes);
  if (!text) return fail(text.error());
  auto j = json::parse(*text, nullptr, false);
  auto bad = [&](const std::string& why) { return fail(journal().string() + ": " + why); };
  if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
  if (!j["state"].is_string() || !j["from"].is_string() || !j["to"].is_string()) return bad("state, from and to must be strings");
  UpgradeJournal out;
  out.state = j["state"].get<std::string>();
  out.from = j["from"].get<std::string>();
  out.to = j["to"].get<std::string>();
  out.rollout = j.value("rollout", json());
  if (j.contains("drifted")) {
    if (!j["drifted"].is_array()) return bad("drifted must be a list");
    for (auto& p : j["drifted"]) {
      if (!p.is_string()) return bad("drifted must be a list of paths");
      out.drifted.push_back(p.get<std::string>());
    }
  }
  out.image_state_installed = j.value("image_state_installed", false);
  out.message = j.value("message", "");
  out.pending_report = j.value("pending_report", json());
  return std::optional<UpgradeJournal>(std::move(out));
}

Result<void> UpgradeArea::save(const UpgradeJournal& u) const {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return fail(ec, "create " + dir_.string());
  json j = {{"state", u.state},     {"from", u.from},
            {"to", u.to},           {"rollout", u.rollout},
            {"drifted", u.drifted}, {"image_state_installed", u.image_state_installed},
            {"message", u.message}, {"pending_report", u.pending_report}};
  if (auto r = image::write_file_atomic(journal(), j.dump() + "\n"); !r) return r;
  return fsync_dir(dir_);
}

Result<void> UpgradeArea::clear_work() const {
  std::error_code ec;
  for (auto p : {objects(), undo(), target(), hooks()}) {
    fs::remove_all(p, ec);
    if (ec) return fail(ec, "remove " + p.string());
  }
  return ok();
}

}  // namespace ingot::agent
