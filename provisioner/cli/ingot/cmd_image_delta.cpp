// `ingot image delta ROLE@A ROLE@B [--store DIR] [--jobs N] [--json]`: builds the librsync
// deltas A -> B for every path whose content changed (imagebuilder/delta_store.h), ahead of a
// rollout, so nodes find them stored instead of waiting on the server to build them. Any two
// versions, either direction; pairs already known are skipped.
#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/cli.h"
#include "imagebuilder/delta_store.h"
#include "imagebuilder/progress_line.h"
#include "imagebuilder/store_paths.h"

namespace {
namespace fs = std::filesystem;
using namespace ingot::image;

struct Pair {
  const Entry* base;
  const Entry* want;
};

// Changed files present in both versions, big enough that a node would ask for a delta.
std::vector<Pair> changed_files(const Manifest& a, const Manifest& b) {
  std::vector<Pair> out;
  for (const Entry& e : b.entries) {
    if (e.type != EntryType::file || e.size < kMinDeltaFileBytes) continue;
    const Entry* old = a.find(e.path);
    if (old && old->type == EntryType::file && old->sha256 != e.sha256) out.push_back({old, &e});
  }
  return out;
}

int image_delta(const ingot::cli::Args& args) {
  ingot::cli::Flags f(args, {"store", "state-dir", "jobs"}, {"json"});
  if (!f.ok() || f.positional().size() != 2) {
    std::cerr << f.error() << "\nusage: ingot image delta ROLE@A ROLE@B [--store DIR] [--jobs N] [--json]\n";
    return 2;
  }
  fs::path state = f.get_or("state-dir", kDefaultStateDir.string());
  auto store = ObjectStore::open(f.get_or("store", default_store_dir(state).string()));
  if (!store) {
    std::cerr << "ingot image delta: " << store.error().message() << "\n";
    return 1;
  }
  Manifest m[2];
  for (int i = 0; i < 2; ++i) {
    auto ref = parse_image_ref(f.positional()[std::size_t(i)]);
    auto loaded = ref ? store->load_manifest(*ref) : ingot::Result<Manifest>(ingot::fail(ref.error()));
    if (!loaded) {
      std::cerr << "ingot image delta: " << loaded.error().message() << "\n";
      return 1;
    }
    m[i] = std::move(*loaded);
  }
  auto pairs = changed_files(m[0], m[1]);
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  if (auto j = f.get("jobs")) jobs = static_cast<unsigned>(std::clamp(std::atoi(j->c_str()), 1, 64));

  auto t0 = std::chrono::steady_clock::now();
  std::atomic<std::size_t> next{0}, done{0};
  std::mutex mu;
  std::size_t stored = 0, not_worth = 0;
  std::uint64_t delta_bytes = 0, object_bytes = 0;
  std::vector<std::string> errors;
  ProgressLine bar("delta " + f.positional()[0] + " -> " + f.positional()[1]);
  auto work = [&] {
    for (std::size_t i; (i = next++) < pairs.size();) {
      auto info = build_delta(*store, pairs[i].base->sha256, pairs[i].want->sha256);
      auto obj = store->stored_size(pairs[i].want->sha256);
      std::lock_guard lock(mu);
      if (!info) {
        errors.push_back(pairs[i].want->path + ": " + info.error().message());
      } else if (info->status == DeltaStatus::stored) {
        ++stored;
        delta_bytes += info->delta_size;
        object_bytes += obj ? *obj : 0;
      } else {
        ++not_worth;
      }
      bar.update(++done, pairs.size(), 0);
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (auto& e : errors) std::cerr << "  " << e << "\n";
  std::string summary = std::to_string(pairs.size()) + " changed files, " + std::to_string(stored) + " deltas (" +
                        human_bytes(delta_bytes) + " instead of " + human_bytes(object_bytes) + "), " +
                        std::to_string(not_worth) + " not worth it, " + std::to_string(errors.size()) + " errors";
  bar.finish(summary);
  if (f.has("json"))
    std::cout << nlohmann::json{{"from", m[0].ref().str()}, {"to", m[1].ref().str()}, {"changed", pairs.size()},
                                {"deltas", stored}, {"delta_bytes", delta_bytes}, {"object_bytes", object_bytes},
                                {"not_worth_it", not_worth}, {"errors", errors}, {"seconds", secs}}
                     .dump(2)
              << "\n";
  return errors.empty() ? 0 : 1;
}

}  // namespace

INGOT_COMMAND("image delta", "build the librsync deltas between two versions of a role (ROLE@A ROLE@B)", image_delta);
