#!/usr/bin/env bash
# Makes the small MNIST subset the unit tests use, from the full MNIST files:
# the first 1000 training and the first 500 test images with their labels,
# as gzipped IDX files with the standard names.
#
#   tests/data/make_subset.sh data/mnist tests/data/mnist
set -eu  # no pipefail: head closing its pipe early is expected here
src=${1:?usage: make_subset.sh FULL_MNIST_DIR OUT_DIR}
out=${2:?usage: make_subset.sh FULL_MNIST_DIR OUT_DIR}
mkdir -p "$out"

# subset FILE COUNT HEADER_BYTES BYTES_PER_ITEM: a new header with the count
# replaced, then the first COUNT items.
subset() {
    local name=$1 count=$2 header=$3 item=$4
    local in="$src/$name"
    [ -f "$in" ] || in="$in.gz"
    {
        cat_any "$in" | head -c 4                                   # magic number
        printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((count >> 24 & 255)) $((count >> 16 & 255)) \
            $((count >> 8 & 255)) $((count & 255)))"                 # item count, big-endian
        cat_any "$in" | tail -c +9 | head -c $((header - 8 + count * item))  # other dims, then items
    } | gzip -9 -n > "$out/$name.gz"
}
cat_any() { case $1 in *.gz) gzip -dc "$1" ;; *) cat "$1" ;; esac; }

subset train-images-idx3-ubyte 1000 16 784
subset train-labels-idx1-ubyte 1000 8 1
subset t10k-images-idx3-ubyte 500 16 784
subset t10k-labels-idx1-ubyte 500 8 1
ls -l "$out"
