# Every dependency is a system package (see README "Dependencies"); nothing is
# downloaded at build time. `./course setup` installs them on Debian/Ubuntu.

find_package(Armadillo REQUIRED)
if(ARMADILLO_VERSION_MAJOR VERSION_LESS 10)
    message(FATAL_ERROR "Armadillo ${ARMADILLO_VERSION_STRING} is too old: 10 or newer is needed")
endif()
# CMake's FindArmadillo module gives variables, not a target; wrap them.
add_library(nn_armadillo INTERFACE)
target_include_directories(nn_armadillo SYSTEM INTERFACE ${ARMADILLO_INCLUDE_DIRS})
target_link_libraries(nn_armadillo INTERFACE ${ARMADILLO_LIBRARIES})

find_package(ZLIB REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(STB REQUIRED IMPORTED_TARGET stb)
# cpp-httplib (chapter 8's `serve`) ships no CMake package on Debian, only pkg-config.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)
