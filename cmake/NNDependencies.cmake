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

# stb_image and stb_image_write: most systems ship only the headers (Homebrew,
# Fedora); Debian also compiles them into libstb (pkg-config `stb`). Without
# such a library, or with NN_STB_FROM_HEADERS=ON, one file of the project
# compiles their implementations (common/infrastructure/stb/stb_implementation.cpp).
option(NN_STB_FROM_HEADERS "Compile stb's implementation here even if the system has a compiled libstb" OFF)
pkg_check_modules(STB QUIET IMPORTED_TARGET stb)
set(stb_library "")
if(STB_FOUND AND STB_LINK_LIBRARIES)
    list(GET STB_LINK_LIBRARIES 0 stb_library)
endif()
add_library(nn_stb INTERFACE)
if(NOT NN_STB_FROM_HEADERS AND EXISTS "${stb_library}")
    message(STATUS "stb: the system's compiled library ${stb_library}")
    target_link_libraries(nn_stb INTERFACE PkgConfig::STB)
else()
    find_path(NN_STB_INCLUDE_DIR stb_image.h HINTS ${STB_INCLUDE_DIRS} PATH_SUFFIXES stb)
    if(NOT NN_STB_INCLUDE_DIR)
        message(FATAL_ERROR "stb_image.h not found: install stb (Debian: libstb-dev, Fedora: stb_image-devel "
            "stb_image_write-devel, Homebrew: stb), or pass -DNN_STB_INCLUDE_DIR=<folder of stb_image.h>")
    endif()
    message(STATUS "stb: headers in ${NN_STB_INCLUDE_DIR}, implementation compiled here")
    add_library(nn_stb_implementation STATIC ${CMAKE_SOURCE_DIR}/common/infrastructure/stb/stb_implementation.cpp)
    target_include_directories(nn_stb_implementation SYSTEM PUBLIC ${NN_STB_INCLUDE_DIR})
    # Third-party code: its warnings are not ours to fix.
    target_compile_options(nn_stb_implementation PRIVATE -w)
    target_link_libraries(nn_stb INTERFACE nn_stb_implementation)
endif()

# cpp-httplib (chapter 8's `serve`): its own CMake package where the system
# ships one (upstream's CMake install does); its target carries what its build
# uses (OpenSSL, zlib, brotli). Otherwise pkg-config (Debian 12 and 13).
add_library(nn_httplib INTERFACE)
find_package(httplib CONFIG QUIET)
if(TARGET httplib::httplib)
    message(STATUS "cpp-httplib ${httplib_VERSION}: its CMake package")
    target_link_libraries(nn_httplib INTERFACE httplib::httplib)
else()
    pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
    message(STATUS "cpp-httplib ${HTTPLIB_VERSION}: pkg-config")
    target_link_libraries(nn_httplib INTERFACE PkgConfig::HTTPLIB)
    # Built with OpenSSL, zlib or brotli, its header calls them itself; pkg-config
    # lists them only as private requirements, which a program linking the shared
    # library does not get, so they are linked here.
    if(HTTPLIB_CFLAGS MATCHES "CPPHTTPLIB_OPENSSL_SUPPORT")
        find_package(OpenSSL REQUIRED)
        target_link_libraries(nn_httplib INTERFACE OpenSSL::SSL OpenSSL::Crypto)
    endif()
    if(HTTPLIB_CFLAGS MATCHES "CPPHTTPLIB_ZLIB_SUPPORT")
        target_link_libraries(nn_httplib INTERFACE ZLIB::ZLIB)
    endif()
    if(HTTPLIB_CFLAGS MATCHES "CPPHTTPLIB_BROTLI_SUPPORT")
        pkg_check_modules(BROTLI REQUIRED IMPORTED_TARGET libbrotlicommon libbrotlidec libbrotlienc)
        target_link_libraries(nn_httplib INTERFACE PkgConfig::BROTLI)
    endif()
endif()
set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)
