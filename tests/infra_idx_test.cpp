#include "catch_compat.hpp"
