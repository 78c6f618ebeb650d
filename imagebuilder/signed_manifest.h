// An image manifest together with the bytes its signature covers, fetched from an ImageSource
// and verified in one place: the operator's `ingot image apply`, the agent's deploy and its
// upgrades all trust a manifest only through here.
#pragma once

#include <string>

#include "common/result.h"
#include "imagebuilder/apply_source.h"
#include "imagebuilder/manifest.h"

namespace ingot::image {

struct SignedManifest {
  std::string ref;  // resolved "role@version"
  std::string text;
  std::string signature;
  std::string key_pem;  // the key it verified with
  Manifest manifest;
};

// Checks the signature with key_pem, parses, and requires the manifest to be ref (a source may
// not answer one version with another, even one signed with the same key); errors name the ref.
Result<SignedManifest> verify_signed(std::string ref, std::string text, std::string signature, std::string key_pem);

// Fetches ref's manifest and signature from source ("role@latest" resolves to a version).
// trusted_key_pem empty: trust the source's key (a deploy's first contact, a local store);
// otherwise only that key is accepted.
Result<SignedManifest> fetch_signed(ImageSource& source, const std::string& ref, const std::string& trusted_key_pem);

}  // namespace ingot::image
