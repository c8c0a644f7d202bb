// Lines up the metrics of your chapter program and the reference, side by
// side, with a verdict per number and the likely cause of the first
// difference (nn/compare.hpp). `./course compare N` runs both programs with
// the same seed and arguments, then this.
//
// Usage: nn_compare <yours.json> <reference.json>
// Exit code: 0 if nothing differs beyond rounding, 1 if something does.

#include <iostream>

#include "nn/compare.hpp"
#include "nn/core.hpp"
#include "nn/metrics.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: nn_compare <yours.json> <reference.json>\n";
        return 2;
    }
    return nn::guarded_main([&] {
        const nn::Comparison comparison = nn::compare_metrics(nn::read_json(argv[1]), nn::read_json(argv[2]));
        nn::print_comparison(std::cout, comparison);
        return comparison.problems() ? 1 : 0;
    });
}
