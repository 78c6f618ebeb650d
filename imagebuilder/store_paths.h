// Where the command line finds the image store and the signing keys when not told:
// <state-dir>/images and <state-dir>/keys, with the same state dir `ingot serve` uses.
#pragma once

#include <filesystem>

namespace ingot::image {

inline const std::filesystem::path kDefaultStateDir = "/var/lib/ingot";

inline std::filesystem::path default_store_dir(const std::filesystem::path& state_dir) { return state_dir / "images"; }
inline std::filesystem::path default_key_dir(const std::filesystem::path& state_dir) { return state_dir / "keys"; }

}  // namespace ingot::image
