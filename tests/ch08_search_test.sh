#!/usr/bin/env bash
# Chapter 8's `search` on the small MNIST subset: it runs without the test
# files, never mentions a test accuracy, writes the promised CSV (one row per
# trial, values in their ranges), ranks the trials by validation accuracy,
# draws the same trials for the same seed, stops starting trials when its
# budget is spent, and prints a `train` command that repeats its best trial.
#
#   ch08_search_test.sh PROGRAM SUBSET_DIR WORK_DIR
#
# PROGRAM is ch08_mnist_classifier(_reference); SUBSET_DIR holds mnist/ (the
# subset of tests/data). Run with NN_TRAIN_THREADS=one: the same seed then
# gives the same numbers to the last bit.
set -u
program=$1 subset=$2 work=$3

failures=0
fail() { printf 'FAILED: %s\n' "$*"; failures=$((failures + 1)); }

rm -rf "$work" && mkdir -p "$work/training_only/mnist" || exit 1
cp "$subset"/mnist/train-* "$work/training_only/mnist/" || exit 1

# search OUT_NAME ARGS...: runs a search on the training files only, its
# output in $work/OUT_NAME.log and its files in $work/OUT_NAME/.
search() {
    local name=$1
    shift
    "$program" search --data-dir "$work/training_only" --validation-size 200 --epochs 2 --width-range 16,64 \
        --out "$work/$name" "$@" >"$work/$name.log" 2>&1
    local status=$?
    printf -- '-------- search %s (exit code %s)\n' "$*" "$status"
    cat "$work/$name.log"
    [ "$status" -eq 0 ] || fail "search $* exited with $status"
    if grep -qi 'test accuracy' "$work/$name.log"; then fail "search $* printed a test accuracy"; fi
}

search four --trials 4 --json "$work/four.json"
search again --trials 4
search three --trials 3
search budget --budget 1 --learning-rate-range 0.001,0.01

csv=$work/four/search.csv
columns='trial,learning_rate,hidden_layers,width_1,width_2,dropout,weight_decay,validation_accuracy,best_epoch,epochs,seconds'
[ "$(head -1 "$csv")" = "$columns" ] || fail "search.csv header: '$(head -1 "$csv")', expected '$columns'"
[ "$(tail -n +2 "$csv" | wc -l)" -eq 4 ] || fail "search.csv should have 4 rows: $(cat "$csv")"
# Each row: 11 numbers, the trial numbers in order, each value in its range.
problems=$(tail -n +2 "$csv" | awk -F, '
    NF != 11 { print "row " NR ": " NF " fields"; next }
    $1 != NR { print "row " NR ": trial " $1 }
    !($2 >= 1e-4 && $2 <= 1e-2) { print "row " NR ": learning rate " $2 " outside [1e-4, 1e-2]" }
    !($3 == 1 || $3 == 2) { print "row " NR ": " $3 " hidden layers" }
    !($4 >= 16 && $4 <= 64) { print "row " NR ": width " $4 " outside [16, 64]" }
    !(($3 == 1 && $5 == 0) || ($3 == 2 && $5 == int($4 / 2))) { print "row " NR ": second width " $5 " for " $4 }
    !($6 >= 0 && $6 <= 0.5) { print "row " NR ": dropout " $6 " outside [0, 0.5]" }
    !($7 >= 1e-5 && $7 <= 0.1) { print "row " NR ": weight decay " $7 " outside [1e-5, 0.1]" }
    !($8 >= 0 && $8 <= 1) { print "row " NR ": validation accuracy " $8 }
    !($9 >= 1 && $9 <= $10 && $10 <= 2) { print "row " NR ": best epoch " $9 " of " $10 " (at most 2)" }
    !($11 >= 0) { print "row " NR ": seconds " $11 }')
[ -z "$problems" ] || fail "search.csv: $problems"

# The ranked table lists the trials by validation accuracy, best first, ties
# in trial order: as the CSV sorted by its accuracy column.
expected=$(tail -n +2 "$csv" | sort -t, -k8,8gr -k1,1n -s | awk -F, '{ printf "%d %.2f%%\n", $1, 100 * $8 }')
table=$(awk '/^Trials ranked/ { getline; on = 1; next } on && NF == 0 { on = 0 } on { print $2, $7 }' "$work/four.log")
[ "$table" = "$expected" ] || fail "ranked table (trial, validation):
$table
expected from search.csv:
$expected"
ranks=$(awk '/^Trials ranked/ { getline; on = 1; next } on && NF == 0 { on = 0 } on { print $1 }' "$work/four.log" |
    tr '\n' ' ')
[ "$ranks" = "1 2 3 4 " ] || fail "ranks: '$ranks'"
best=$(printf '%s\n' "$expected" | head -1 | cut -d' ' -f1)
grep -q "^best: trial $best, validation" "$work/four.log" || fail "the best trial should be trial $best"

# The picture: one dot per trial (none diverged here) and one per legend entry.
svg=$work/four/search.svg
if [ -f "$svg" ]; then
    dots=$(grep -o '<circle' "$svg" | wc -l)
    legend=$(grep -o 'units</text>' "$svg" | wc -l)
    [ "$dots" -eq $((4 + legend)) ] || fail "search.svg: $dots dots for 4 trials and $legend legend entries"
    grep -q 'learning rate (log scale)' "$svg" || fail "search.svg has no learning-rate axis"
else
    fail "no search.svg"
fi
# The JSON: every trial, the ranking, the command; no test accuracy.
grep -q '"train_command": ".* train .*--optimizer adamw' "$work/four.json" || fail "four.json has no train command"
grep -q "\"best_trial\": $best," "$work/four.json" || fail "four.json: best trial should be $best"
if grep -q '"test[_a-z]*":' "$work/four.json"; then fail "four.json has a field about the test set"; fi

# Same seed, same trials: everything but the seconds; and fewer trials are
# the first of more (each trial's draws do not depend on how many follow).
without_seconds() { cut -d, -f1-10 "$1"; }
[ "$(without_seconds "$csv")" = "$(without_seconds "$work/again/search.csv")" ] ||
    fail "the same search twice gave different trials"
[ "$(without_seconds "$work/three/search.csv")" = "$(without_seconds "$csv" | head -4)" ] ||
    fail "--trials 3 should run the first 3 trials of --trials 4"

# A budget of 1 s: the first trial always runs, and trials stop once it is spent.
rows=$(tail -n +2 "$work/budget/search.csv" | wc -l)
[ "$rows" -ge 1 ] && [ "$rows" -lt 1000 ] || fail "--budget 1 ran $rows trials"
trials=trials
[ "$rows" -eq 1 ] && trials=trial
grep -q "the budget of 1 s is spent after $rows $trials" "$work/budget.log" ||
    fail "--budget 1 should say it stopped after $rows trials"

# The printed command repeats the best trial with train. train needs the test
# files, which are then read once: repeat the search on the whole subset.
"$program" search --data-dir "$subset" --validation-size 200 --epochs 2 --width-range 16,64 --trials 4 \
    >"$work/whole.log" 2>&1 || fail "search on the whole subset failed"
command=$(grep -A1 '^repeat it with train' "$work/whole.log" | tail -1)
accuracy=$(awk '/^best: trial/ { sub(",", "", $5); print $5 }' "$work/whole.log")
printf -- '-------- %s\n' "$command"
read -r -a words <<<"$command"
[ "${words[1]:-}" = train ] || fail "not a train command: $command"
"$program" "${words[@]:1}" --model "$work/best.nnm" >"$work/train.log" 2>&1
cat "$work/train.log"
grep -q "^kept the network of epoch [0-9]* (validation $accuracy)" "$work/train.log" ||
    fail "train repeating the best trial should keep validation $accuracy"

if [ "$failures" -eq 0 ]; then
    echo "ch08 search: all checks passed"
    exit 0
fi
echo "ch08 search: $failures checks failed"
exit 1
