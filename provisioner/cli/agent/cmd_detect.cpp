// `ingot-agent detect [--root DIR]`: prints this machine's (or a captured tree's) hardware
// facts as JSON on stdout; notes about skipped sources go to stderr.
#include <iostream>

#include "common/cli.h"
#include "hwmatch/detect.h"

INGOT_COMMAND("detect", "print hardware facts as JSON ([--root DIR] reads a captured tree)",
              [](const ingot::cli::Args& args) {
                ingot::cli::Flags flags(args, {"root"}, {"quiet"});
                if (!flags.ok() || !flags.positional().empty()) {
                  std::cerr << "ingot-agent detect: " << (flags.ok() ? "unexpected argument" : flags.error())
                            << "\nusage: ingot-agent detect [--root DIR] [--quiet]\n";
                  return 2;
                }
                std::string root = flags.get_or("root", "/");
                std::error_code ec;
                if (!std::filesystem::is_directory(root, ec)) {
                  std::cerr << "ingot-agent detect: --root " << root << " is not a directory\n";
                  return 2;
                }
                auto d = ingot::hwmatch::detect(root);
                if (!flags.has("quiet"))
                  for (const auto& n : d.notes) std::cerr << "ingot-agent detect: " << n << "\n";
                std::cout << ingot::hwmatch::facts_to_json(d.facts);
                return 0;
              });
