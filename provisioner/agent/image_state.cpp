#include "provisioner/agent/image_state.h"

#include <sstream>

#include "imagebuilder/file_io.h"
#include "imagebuilder/manifest_json.h"
#include "imagebuilder/signing.h"

namespace ingot::agent {
namespace fs = std::filesystem;

Result<void> write_image_state(const fs::path& dir, const image::SignedManifest& m) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fail(ec, "create " + dir.string());
  // The manifest last: a reader that finds it finds the rest (each rename is atomic).
  for (auto [name, content] : {std::pair<const char*, const std::string*>{"key.pub", &m.key_pem},
                               {"manifest.sig", &m.signature}}) {
    if (auto r = image::write_file_atomic(dir / name, *content); !r) return r;
  }
  if (auto r = image::write_file_atomic(dir / "ref", m.ref + "\n"); !r) return r;
  return image::write_file_atomic(dir / "manifest.json", m.text);
}

Result<image::SignedManifest> read_image_state(const fs::path& dir) {
  auto text = image::read_file_limited(dir / "manifest.json", image::kMaxManifestBytes);
  if (!text) return fail("no image state in " + dir.string() + ": " + text.error().message());
  auto sig = image::read_file_limited(dir / "manifest.sig", image::kMaxSignatureFileBytes);
  if (!sig) return fail(sig.error());
  auto key = image::read_file_limited(dir / "key.pub", image::kMaxKeyFileBytes);
  if (!key) return fail(key.error());
  auto ref = image::read_file_limited(dir / "ref", 1024);
  if (!ref) return fail(ref.error());
  std::string r = *ref;
  while (!r.empty() && (r.back() == '\n' || r.back() == ' ')) r.pop_back();
  return image::verify_signed(r, std::move(*text), std::move(*sig), std::move(*key));
}

Result<void> write_node_config_list(const fs::path& root, const std::vector<std::string>& paths) {
  std::string text;
  for (auto& p : paths) text += p + "\n";
  std::error_code ec;
  fs::create_directories((root / kNodeConfigList).parent_path(), ec);
  if (ec) return fail(ec, "create " + (root / kAgentStateDir).string());
  return image::write_file_atomic(root / kNodeConfigList, text);
}

Result<std::vector<std::string>> read_node_config_list(const fs::path& root) {
  std::error_code ec;
  if (!fs::exists(root / kNodeConfigList, ec)) return std::vector<std::string>{};
  auto text = image::read_file_limited(root / kNodeConfigList, kMaxNodeConfigListBytes);
  if (!text) return fail(text.error());
  std::vector<std::string> out;
  std::istringstream in(*text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    if (line[0] != '/' || line.find("/../") != std::string::npos || line.ends_with("/.."))
      return fail((root / kNodeConfigList).string() + ": not an absolute clean path: '" + line + "'");
    out.push_back(line);
  }
  return out;
}

}  // namespace ingot::agent
