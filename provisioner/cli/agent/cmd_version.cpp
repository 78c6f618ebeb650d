#include <iostream>

#include "common/cli.h"

INGOT_COMMAND("version", "print the version", [](const ingot::cli::Args&) {
  std::cout << "ingot-agent 0.1.0\n";
  return 0;
});
