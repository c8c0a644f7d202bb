#!/usr/bin/env bash
# The course script runs under bash 3.2, the bash macOS ships: it uses none of
# the features bash 4 and 5 added. Each pattern below is one such feature;
# every line that matches is printed. (Comments are not code: they are skipped.)
#
#   bash32_test.sh SCRIPT
set -u
script=$1
features=(
    'mapfile|readarray::mapfile/readarray (bash 4)'
    '\[-[0-9]+\]::a negative array subscript (bash 4.3)'
    '(declare|local|typeset) +-[a-zA-Z]*A::an associative array (bash 4)'
    '(declare|local|typeset) +-[a-zA-Z]*n::a name reference (bash 4.3)'
    '\$\{[A-Za-z_][A-Za-z_0-9]*(\[[^]]*\])?(\^\^?|,,?)[^}]*\}::a case-changing expansion (bash 4)'
    '\$\{[A-Za-z_][A-Za-z_0-9]*(\[[^]]*\])?@[QEPAKaUuL]\}::a ${var@op} transformation (bash 4.4)'
    '\|&::the |& pipe (bash 4)'
    '&>>::the &>> redirection (bash 4)'
    '(^|[;[:space:]])coproc[[:space:]]::coproc (bash 4)'
    ';;&|;&[[:space:]]*$::a case fall-through (bash 4)'
    '\{[0-9]+\.\.[0-9]+\.\.[0-9]+\}::a brace range with a step (bash 4)'
    'wait +-n::wait -n (bash 4.3)'
)
code=$(grep -nv '^[[:space:]]*#' "$script")
failures=0
for feature in "${features[@]}"; do
    pattern=${feature%%::*} what=${feature##*::}
    hits=$(printf '%s\n' "$code" | grep -E -- "$pattern")
    if [ -n "$hits" ]; then
        printf '%s uses %s:\n%s\n' "$script" "$what" "$hits"
        failures=$((failures + 1))
    fi
done
bash -n "$script" || failures=$((failures + 1))
[ "$failures" = 0 ] && echo "no bash 4 features in $script"
exit $(( failures > 0 ))
