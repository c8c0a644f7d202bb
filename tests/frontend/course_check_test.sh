#!/usr/bin/env bash
# Runs `./course check N` or `./course progress` on a given build of the
# chapter tests and holds the report to what that build must show.
#
#   course_check_test.sh ROOT BUILD TESTS EXPECT COMMAND [N] -- TASK...
#
# TESTS is a test program (the stubs, the reference, a planted mistake), or
# `course` for the learner's own build as `./course` makes it; EXPECT is
# `fresh` (every task not started: the untouched exercises of a fresh clone),
# `stub` (no task passes: each is not started or waits for another's stub),
# `pass` (every task passes) or `wrong=chNN.K` (that task fails, every other
# one passes); TASK... are the
# ids CMake read from the exercise markers, in the book's order: the report
# must list exactly these, each once.
set -u
root=$1 build=$2 tests=$3 expect=$4; shift 4
args=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
shift
tasks=("$@")

failures=0
fail() { printf 'FAILED: %s\n' "$*"; failures=$((failures + 1)); }

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
if [ "$tests" = course ]; then
    output=$(NN_BUILD_DIR=$build NN_RESULTS_DIR=$results "$root/course" "${args[@]}" 2>&1) || status=$?
else
    output=$(NN_BUILD_DIR=$build NN_COURSE_TESTS=$tests NN_RESULTS_DIR=$results "$root/course" "${args[@]}" 2>&1) ||
        status=$?
fi
printf '%s\n' "$output"
printf -- '-------- checking the report above (exit code %s)\n' "$status"

# Every listed task line, in order: "  <mark> <id> ...".
listed=$(printf '%s\n' "$output" | grep -oE '^  (✓|✗|·) ch[0-9]{2}\.[0-9]+ ' | awk '{print $2}' | tr '\n' ' ')
want="${tasks[*]} "
[ "$listed" = "$want" ] || fail "tasks listed: '$listed', expected '$want'"

passing=0
for id in "${tasks[@]}"; do
    line=$(printf '%s\n' "$output" | grep -E "^  . $id " | head -1)
    case $expect in
        fresh) [[ $line == *"not started (still the stub)"* ]] || fail "$id should be 'not started': $line" ;;
        stub) [[ $line == *"not started"* || $line == *"waits for"*"(still the stub)"* ]] ||
            fail "$id should be 'not started' or wait for another task's stub: $line" ;;
        pass) [[ $line == "  ✓ "* ]] || fail "$id should pass: $line" ;;
        wrong=*)
            if [ "$id" = "${expect#wrong=}" ]; then
                [[ $line == "  ✗ "* ]] || fail "$id is the planted mistake and should fail: $line"
            else
                [[ $line == "  ✓ "* ]] && passing=$((passing + 1)) || fail "$id should pass: $line"
            fi ;;
    esac
done
[ "$expect" = pass ] && passing=${#tasks[@]}

count=${#tasks[@]}
if [ "${args[0]}" = progress ]; then summary="$passing / $count tasks done."; else summary="$passing/$count tasks pass."; fi
printf '%s\n' "$output" | grep -qF "$summary" || fail "no summary line '$summary'"

if [ "$expect" = pass ]; then
    [ "$status" = 0 ] || fail "exit code $status, expected 0"
else
    [ "$status" = 1 ] || fail "exit code $status, expected 1"
fi

exit $(( failures > 0 ))
