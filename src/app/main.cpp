// The `bespoke` command. Composition only: it parses flags (CLI11), builds the
// object graph and hands over to the modules.
#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  CLI::App app{"Bespoke: local public services that people shape for themselves"};
  app.require_subcommand(1);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
