#!/usr/bin/env bash
# Chapter 8's `train` with an activation and an optimiser of chapters 3 and 6,
# on the small MNIST subset: the banner names them, the model file records the
# activation, and `evaluate` on the saved model measures exactly the test
# accuracy that `train` measured (the network is rebuilt from the file with
# the same activation, and leaky ReLU with the same slope).
#
#   ch08_train_test.sh PROGRAM SUBSET_DIR WORK_DIR ACTIVATION OPTIMIZER [TRAIN OPTION...]
set -u
program=$1 subset=$2 work=$3 activation=$4 optimizer=$5
shift 5

failures=0
fail() { printf 'FAILED: %s\n' "$*"; failures=$((failures + 1)); }

rm -rf "$work" && mkdir -p "$work" || exit 1
"$program" train --data-dir "$subset" --validation-size 200 --epochs 2 --hidden 32,16 --activation "$activation" \
    --optimizer "$optimizer" --model "$work/model.nnm" "$@" >"$work/train.log" 2>&1
status=$?
printf -- '-------- train (exit code %s)\n' "$status"
cat "$work/train.log"
# 2 epochs on 800 images stay below the chapter's bar: RESULT: FAIL, exit 1.
[ "$status" -eq 1 ] || fail "train exited with $status, expected 1 (RESULT: FAIL on the subset)"
grep -q "^  network: *787-32-16-10 ($activation)" "$work/train.log" || fail "the banner should name $activation"
grep -q "^  optimizer: *$optimizer" "$work/train.log" || fail "the banner should name $optimizer"
trained=$(awk '$1 == "test" && $2 == "accuracy" { print $3 }' "$work/train.log")
[ -n "$trained" ] || fail "train printed no test accuracy"

"$program" evaluate --model "$work/model.nnm" --data-dir "$subset" --out "$work/evaluate" >"$work/evaluate.log" 2>&1 ||
    fail "evaluate failed"
printf -- '-------- evaluate\n'
cat "$work/evaluate.log"
evaluated=$(awk '$1 == "accuracy" && NF == 2 { print $2 }' "$work/evaluate.log")
recorded=$(awk '$1 == "accuracy" && $2 == "recorded" { print $5 }' "$work/evaluate.log")
[ "$evaluated" = "$trained" ] || fail "evaluate measured $evaluated on the saved model, train $trained"
[ "$recorded" = "$trained" ] || fail "the file recorded $recorded, train measured $trained"
grep -q "$activation" "$work/model.nnm" || fail "the model file does not name $activation"

if [ "$failures" -eq 0 ]; then
    echo "ch08 train with $activation and $optimizer: all checks passed"
    exit 0
fi
echo "ch08 train with $activation and $optimizer: $failures checks failed"
exit 1
