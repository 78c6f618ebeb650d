// The agent's image step: the plan's image, fetched from the server's /images/v1 routes,
// signature-checked and laid onto the mounted target by imagebuilder's apply engine.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "provisioner/agent/deploy_flow.h"

namespace ingot::agent {

Result<SyncStats> install_image(const std::string& server, const std::string& token, const nlohmann::json& plan,
                                const std::filesystem::path& target,
                                const std::function<void(const nlohmann::json&)>& progress);

}  // namespace ingot::agent
