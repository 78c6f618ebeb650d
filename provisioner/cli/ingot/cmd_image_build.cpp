// `ingot image build ROLE_DIR --version V [--store DIR] [--from-tree TREE] [--key FILE]
//   [--report FILE.json] [--cache DIR] [--work DIR] [--keep-work] [--agent PATH]`
#include <fstream>
#include <iostream>
#include <thread>

#include "common/cli.h"
#include "imagebuilder/builder.h"
#include "imagebuilder/signing.h"
#include "imagebuilder/store_paths.h"
#include "provisioner/cli/ingot/agent_beside_self.h"

namespace {

namespace fs = std::filesystem;
using namespace ingot::image;

constexpr const char* kUsage =
    "usage: ingot image build ROLE_DIR [--version V] [--store DIR] [--from-tree TREE] [--key FILE]\n"
    "                         [--report FILE.json] [--cache DIR] [--work DIR] [--keep-work] [--state-dir DIR]\n"
    "                         [--agent PATH]\n"
    "  with --from-tree, ROLE_DIR may be a bare role name and needs no recipe\n"
    "  --agent: the ingot-agent a recipe with \"ingot_agent\" carries (default: the one beside ingot)";

int image_build(const ingot::cli::Args& args) {
  ingot::cli::Flags f(args, {"version", "store", "from-tree", "key", "report", "cache", "work", "state-dir", "threads", "agent"},
                      {"keep-work"});
  if (!f.ok() || f.positional().size() != 1) {
    std::cerr << f.error() << "\n" << kUsage << "\n";
    return 2;
  }
  fs::path state = f.get_or("state-dir", kDefaultStateDir.string());
  BuildRequest req;
  req.role_dir = f.positional()[0];
  req.version = f.get_or("version", "");
  req.store_dir = f.get_or("store", default_store_dir(state).string());
  req.key_file = f.get_or("key", (default_key_dir(state) / kPrivateKeyFile).string());
  if (auto t = f.get("from-tree")) req.from_tree = *t;
  req.cache_dir = f.get_or("cache", (state / "build-cache").string());
  req.work_dir = f.get_or("work", "/var/tmp");
  req.keep_work = f.has("keep-work");
  req.agent = f.get_or("agent", ingot::cli::agent_beside_self().string());
  req.threads = std::max(1u, std::thread::hardware_concurrency());
  if (auto t = f.get("threads")) req.threads = static_cast<unsigned>(std::max(1, std::atoi(t->c_str())));
  auto report = build_image(req);
  if (!report) {
    std::cerr << "ingot image build: " << report.error().message() << "\n";
    return 1;
  }
  std::string text = report->dump(2) + "\n";
  if (auto path = f.get("report")) {
    std::ofstream out(*path);
    out << text;
    if (!out) {
      std::cerr << "ingot image build: cannot write report " << *path << "\n";
      return 1;
    }
  }
  std::cout << (*report)["image"].get<std::string>() << " " << (*report)["manifest_sha256"].get<std::string>() << "\n";
  return 0;
}

}  // namespace

INGOT_COMMAND("image build", "build a role image from its recipe (or an existing tree) into the store", image_build);
