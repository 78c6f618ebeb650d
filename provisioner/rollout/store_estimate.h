// The dry run against the image store: loads both manifests and the target's upgrade policy,
// and prices each staged object at its stored delta's size when the delta store holds one for
// (the node's file → the new content), else at the object's stored (zstd) size. Deltas are
// built lazily on a node's first request, so before any node asked the price is whole objects:
// an upper bound.
#pragma once

#include "common/result.h"
#include "imagebuilder/object_store.h"
#include "provisioner/rollout/upgrade_estimate.h"

namespace ingot::rollout {

Result<UpgradeEstimate> estimate_from_store(const image::ObjectStore& store, const image::ImageRef& from,
                                            const image::ImageRef& to);

}  // namespace ingot::rollout
