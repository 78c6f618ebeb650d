// Lays an image onto a target directory so that the tree equals the manifest: creates and
// replaces entries in manifest order (parents first), skips files whose content already
// matches, removes what the manifest does not have (except keep-list paths), and sets owner,
// mode, xattrs and mtime last (directories after their children). Every file is written to a
// temp name beside its final one and renamed, so an interrupted apply leaves old or new files,
// never half of one, and a rerun picks up where it stopped.
// A changed file whose old content is still there comes as a librsync delta against it when
// the source has one (delta_fetch.h). Files that will surely be fetched whole are named to the
// source first (ImageSource::prepare), so it can fetch them ahead, in parallel and packed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "imagebuilder/apply_source.h"
#include "imagebuilder/manifest.h"

namespace ingot::image {

struct ApplyStats {
  std::uint64_t entries = 0;
  std::uint64_t files_written = 0;
  std::uint64_t files_reused = 0;  // already had the right content
  std::uint64_t removed = 0;
  std::uint64_t bytes_written = 0;
  std::uint64_t bytes_fetched = 0;  // everything the source delivered, deltas included
  std::uint64_t files_via_delta = 0;  // rebuilt from the file already there and a librsync delta
  std::uint64_t bytes_delta = 0;      // the deltas' share of bytes_fetched
};

struct ApplyOptions {
  bool dry_run = false;  // plan only: count what would change, touch nothing
  bool remove_extra = true;
  std::function<void(const ApplyStats&)> progress;  // called every ~256 entries
  std::vector<std::string>* plan = nullptr;         // dry run: "+ path", "~ path", "- path"
  // The manifest the target is believed to be at (the version a node last applied). A file
  // whose size and mtime match its entry there is taken to have that content without being
  // read (rsync's quick check): unchanged files are skipped and changed ones name their delta
  // base at once. Deltas are checked by hash either way; without it every file is hashed.
  const Manifest* believed = nullptr;
};

Result<ApplyStats> apply_manifest(const Manifest& m, ImageSource& source, const std::filesystem::path& target,
                                  const ApplyOptions& options = {});

// Fetches and verifies ref ("role@version" or "role@latest") with the source's own key
// (signed_manifest.h), then applies it.
Result<ApplyStats> apply_image(ImageSource& source, const std::string& ref, const std::filesystem::path& target,
                               const ApplyOptions& options = {}, std::string* resolved = nullptr);

}  // namespace ingot::image
