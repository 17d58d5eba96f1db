// The podpath executable: the desktop application, and the same engine headless.

#include "run.h"

int main(int argc, char *argv[]) { return podpath::app::run(argc, argv); }
