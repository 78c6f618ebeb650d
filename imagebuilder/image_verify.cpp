#include "imagebuilder/image_verify.h"

#include <set>

#include "imagebuilder/manifest_json.h"

namespace ingot::image {

Result<Manifest> verified_manifest(std::string_view text, std::string_view signature_file, const VerifyKey& key,
                                   const ManifestPolicy& policy) {
  if (auto r = key.verify(text, signature_file); !r) return fail(r.error());
  return parse_manifest(text, policy);
}

Result<Manifest> load_verified_manifest(const ObjectStore& store, const ImageRef& ref, const VerifyKey& key,
                                        const ManifestPolicy& policy) {
  auto text = store.read_manifest_text(ref);
  if (!text) return fail(text.error());
  auto sig = store.read_signature(ref);
  if (!sig) return fail(sig.error());
  auto m = verified_manifest(*text, *sig, key, policy);
  if (!m) return fail(ref.str() + ": " + m.error().message());
  if (m->ref() != ref) return fail(ref.str() + ": the signed manifest names " + m->ref().str());
  return m;
}

VerifyReport verify_image(const ObjectStore& store, const ImageRef& ref, const VerifyKey& key,
                          const std::function<void(std::size_t, std::size_t)>& progress) {
  VerifyReport rep;
  auto text = store.read_manifest_text(ref);
  if (!text) {
    rep.problems.push_back(text.error().message());
    return rep;
  }
  auto sig = store.read_signature(ref);
  if (!sig) rep.problems.push_back(sig.error().message());
  else if (auto r = key.verify(*text, *sig); !r) rep.problems.push_back("signature: " + r.error().message());
  else rep.signature_ok = true;

  auto m = parse_manifest(*text);
  if (!m) {
    rep.problems.push_back("manifest: " + m.error().message());
    return rep;
  }
  if (m->ref() != ref) {
    rep.problems.push_back("manifest names " + m->ref().str() + ", stored as " + ref.str());
    return rep;
  }
  rep.manifest_ok = true;
  // Each distinct object once, however many paths share it.
  std::set<Digest> seen;
  std::size_t total = 0;
  for (auto& e : m->entries) total += e.type == EntryType::file;
  std::size_t done = 0;
  for (auto& e : m->entries) {
    if (e.type != EntryType::file) continue;
    ++done;
    if (progress) progress(done, total);
    if (!seen.insert(e.sha256).second) continue;
    ++rep.objects_checked;
    if (auto r = store.verify_object(e.sha256, e.size); !r) rep.problems.push_back(e.path + ": " + r.error().message());
  }
  return rep;
}

}  // namespace ingot::image
