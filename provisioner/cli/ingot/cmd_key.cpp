// `ingot key generate [--out DIR] [--force]`: the Ed25519 key pair that signs image manifests.
#include <iostream>

#include "common/cli.h"
#include "imagebuilder/signing.h"
#include "imagebuilder/store_paths.h"

namespace {

int key_generate(const ingot::cli::Args& args) {
  ingot::cli::Flags f(args, {"out", "state-dir"}, {"force"});
  if (!f.ok() || !f.positional().empty()) {
    std::cerr << "usage: ingot key generate [--out DIR | --state-dir DIR] [--force]\n" << f.error() << "\n";
    return 2;
  }
  std::filesystem::path state = f.get_or("state-dir", ingot::image::kDefaultStateDir.string());
  std::filesystem::path dir = f.get_or("out", ingot::image::default_key_dir(state).string());
  auto fp = ingot::image::generate_key_files(dir, f.has("force"));
  if (!fp) {
    std::cerr << "ingot key generate: " << fp.error().message() << "\n";
    return 1;
  }
  std::cout << "private key: " << (dir / ingot::image::kPrivateKeyFile).string() << " (keep it secret)\n"
            << "public key:  " << (dir / ingot::image::kPublicKeyFile).string() << "\n"
            << "fingerprint: " << *fp << "\n";
  return 0;
}

}  // namespace

INGOT_COMMAND("key generate", "create the Ed25519 key pair that signs images", key_generate);
