// The JSON build report CI keeps with each build: what was built, how big, which packages, and
// what changed against the previous version. Long path lists are cut to a sample with counts.
#pragma once

#include <nlohmann/json.hpp>

#include "imagebuilder/image_publish.h"

namespace ingot::image {

// Paths listed per category before the report switches to counts only.
inline constexpr std::size_t kReportPathSample = 200;

nlohmann::json build_report_json(const PublishResult& r, double seconds, const nlohmann::json& recipe_info);

}  // namespace ingot::image
