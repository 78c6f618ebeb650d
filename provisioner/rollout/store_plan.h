// The dry run against the image store: loads both manifests, reads the target's upgrade policy
// for its reboot paths, and prices each object at its stored (zstd) size. Deltas are not priced
// yet: the delta store (issue 5) had not landed when this was written, so `deltas` stays 0.
#pragma once

#include "common/result.h"
#include "imagebuilder/object_store.h"
#include "provisioner/rollout/upgrade_plan.h"

namespace ingot::rollout {

Result<UpgradePlan> plan_from_store(const image::ObjectStore& store, const image::ImageRef& from,
                                    const image::ImageRef& to);

}  // namespace ingot::rollout
