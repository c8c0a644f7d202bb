#!/usr/bin/env bash
# `./course hint ID`, called again and again for every task: the idea, then
# the Armadillo, then pseudocode, each with text, then a word that there are
# no more. Hints shown are remembered in a scratch folder, not the build's.
#
#   course_hint_test.sh ROOT BUILD -- TASK...
set -u
root=$1 build=$2; shift 3
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
failures=0
fail() { printf 'FAILED: %s\n' "$*"; failures=$((failures + 1)); }
hint() { NN_BUILD_DIR=$build NN_HINTS_STATE=$state "$root/course" hint "$@" 2>&1; }

headings=("The idea" "The Armadillo you need" "Pseudocode")
for id in "$@"; do
    for level in 1 2 3; do
        output=$(hint "$id") || fail "$id: hint $level exited non-zero: $output"
        first=$(printf '%s\n' "$output" | sed -n 2p)
        [ "$first" = "[$level/3] ${headings[$((level - 1))]}" ] ||
            fail "$id: hint $level starts '$first', expected '[$level/3] ${headings[$((level - 1))]}'"
        text=$(printf '%s\n' "$output" | sed -n '3,$p' | grep -v '^(more: ' | grep -c '[a-zA-Z]')
        [ "$text" -ge 1 ] || fail "$id: hint $level has no text"
    done
    output=$(hint "$id")
    [[ $output == *"That was the last hint for $id"* ]] || fail "$id: a fourth call should say there are no more: $output"
done
output=$(hint ch99.1) && fail "an unknown chapter should fail: $output"
echo "checked the hints of $# tasks"
exit $(( failures > 0 ))
