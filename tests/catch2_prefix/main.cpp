// Catch2WithMain's main, as Catch2's own catch_main.cpp has it (less Windows' wmain), with the
// leak detector that CMakeLists.txt took out of the Catch2 library.
#include <catch_amalgamated.hpp>

namespace Catch {
static const LeakDetector leakDetector;
}

int main(int argc, char* argv[]) {
    (void)&Catch::leakDetector;  // as Catch2's main: the linker must keep it
    return Catch::Session().run(argc, argv);
}
