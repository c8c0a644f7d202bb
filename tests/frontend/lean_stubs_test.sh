#!/usr/bin/env bash
# The shipped stubs give the task, the contract, the shapes and where the
# hints are, and nothing of the answer: at most four comment lines before the
# throw, a pointer to `./course hint ID`, no hint text of their own. Run on a
# fresh clone (a learner's own code replaces the stubs).
#
#   lean_stubs_test.sh ROOT
set -u
root=$1
failures=0
for file in "$root"/exercises/ch*.cpp; do
    report=$(awk -v file="${file#"$root"/}" '
        match($0, /BEGIN YOUR CODE \(ch[0-9][0-9]\.[0-9]+ /) && $0 ~ /^[ \t]*\/\// {
            id = substr($0, RSTART + 17, RLENGTH - 18); inside = 1; comments = 0; pointer = 0; next
        }
        inside && /throw nn::NotImplemented/ {
            if (comments > 4) printf "%s %s: %d comment lines before the throw (at most 4)\n", file, id, comments
            if (!pointer) printf "%s %s: no pointer to ./course hint %s\n", file, id, id
            inside = 0; next
        }
        inside && /^[ \t]*\/\// {
            comments++
            if (index($0, "./course hint " id)) pointer = 1
            else if ($0 ~ /[Hh]int:/) printf "%s %s: a hint in the stub: %s\n", file, id, $0
        }' "$file")
    if [ -n "$report" ]; then printf '%s\n' "$report"; failures=$((failures + 1)); fi
done
exit $(( failures > 0 ))
