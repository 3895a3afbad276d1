#include "cli/app.h"

int main(int argc, char** argv) {
  return subsidy::cli::run(argc, argv);
}
