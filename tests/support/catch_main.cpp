// Catch2 v2's main, compiled here rather than taken prebuilt, for one
// setting: lines as wide as a terminal commonly is. The prebuilt main wraps
// at 80 columns, which breaks long numbers in two ("0." / "375").
// Catch2 v3 fixes the width when the library is built; it uses its own main.
#define CATCH_CONFIG_MAIN
#define CATCH_CONFIG_CONSOLE_WIDTH 160
#include <catch2/catch.hpp>
