// The implementations of the stb headers the project uses (stb_image for
// reading images, stb_image_write for writing PNGs), compiled once, for
// systems whose stb package ships only the headers. Where the system has a
// compiled libstb (Debian), that is linked instead and this file is not built
// (cmake/NNDependencies.cmake).
#define STB_IMAGE_IMPLEMENTATION
#include <stb_image.h>
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>
