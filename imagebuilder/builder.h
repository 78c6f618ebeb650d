// `ingot image build`: from a role recipe (debootstrap or assemble, then each layer, then
// normalisation) or from an existing tree, to a signed image in the store plus a JSON report.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace ingot::image {

struct BuildRequest {
  std::filesystem::path role_dir;  // or a bare role name with from_tree
  std::string version;             // "" = the recipe's version
  std::filesystem::path store_dir;
  std::filesystem::path key_file;
  std::optional<std::filesystem::path> from_tree;
  std::filesystem::path cache_dir;  // debootstrap download tarballs, fetched .debs
  std::filesystem::path work_dir;   // parent of the temporary build tree
  std::filesystem::path agent;      // ingot-agent for recipes with "ingot_agent" ("" = none given)
  bool keep_work = false;           // leave the work tree for debugging
  unsigned threads = 2;
};

// The report (also written by the caller as JSON); fails with a message naming the step.
Result<nlohmann::json> build_image(const BuildRequest& req);

}  // namespace ingot::image
