#include "imagebuilder/signed_manifest.h"

#include "imagebuilder/manifest_json.h"
#include "imagebuilder/signing.h"

namespace ingot::image {

Result<SignedManifest> verify_signed(std::string ref, std::string text, std::string signature, std::string key_pem) {
  auto key = VerifyKey::from_pem(key_pem);
  if (!key) return fail(ref + ": unusable public key: " + key.error().message());
  if (auto v = key->verify(text, signature); !v) return fail(ref + ": signature check failed: " + v.error().message());
  auto m = parse_manifest(text);
  if (!m) return fail(ref + ": " + m.error().message());
  if (m->ref().str() != ref) return fail(ref + ": the signed manifest is " + m->ref().str());
  SignedManifest out{std::move(ref), std::move(text), std::move(signature), std::move(key_pem), std::move(*m)};
  return out;
}

Result<SignedManifest> fetch_signed(ImageSource& source, const std::string& ref, const std::string& trusted_key_pem) {
  std::string resolved;
  auto text = source.manifest_text(ref, &resolved);
  if (!text) return fail(text.error());
  auto sig = source.signature_text(resolved);
  if (!sig) return fail(sig.error());
  std::string pem = trusted_key_pem;
  if (pem.empty()) {
    auto k = source.public_key_pem();
    if (!k) return fail(k.error());
    pem = *k;
  }
  return verify_signed(resolved, std::move(*text), std::move(*sig), std::move(pem));
}

}  // namespace ingot::image
