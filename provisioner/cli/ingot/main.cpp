// `ingot`: the operator's command line and the server. Subcommands live in cmd_*.cpp beside it.
#include "common/cli.h"

int main(int argc, char** argv) { return ingot::cli::dispatch("ingot", argc, argv); }
