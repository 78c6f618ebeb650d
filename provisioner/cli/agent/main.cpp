// `ingot-agent`: runs in the deploy ramdisk (and, later, on deployed systems for upgrades).
#include "common/cli.h"

int main(int argc, char** argv) { return ingot::cli::dispatch("ingot-agent", argc, argv); }
