// Verification of a stored image: the detached signature over the exact manifest bytes with a
// trusted public key, the manifest's validity, then every object's presence, size and hash.
// Reports every problem found, not only the first, so one run tells the operator what to fix.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "imagebuilder/object_store.h"
#include "imagebuilder/signing.h"

namespace ingot::image {

struct VerifyReport {
  bool signature_ok = false;
  bool manifest_ok = false;
  std::size_t objects_checked = 0;
  std::vector<std::string> problems;  // one line each: "object <hash> (etc/passwd): ..."
  bool ok() const { return signature_ok && manifest_ok && problems.empty(); }
};

// The manifest, only if its signature checks out with key and it parses: what an apply (local
// or from HTTP bytes) should start from. Objects are verified as they are read, not here.
Result<Manifest> verified_manifest(std::string_view text, std::string_view signature_file, const VerifyKey& key,
                                   const ManifestPolicy& policy = {});
Result<Manifest> load_verified_manifest(const ObjectStore& store, const ImageRef& ref, const VerifyKey& key,
                                        const ManifestPolicy& policy = {});

// progress(done, total) is called as objects are checked (for a terminal bar); may be empty.
VerifyReport verify_image(const ObjectStore& store, const ImageRef& ref, const VerifyKey& key,
                          const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace ingot::image
