#!/usr/bin/env bash
# packages.txt is the one list of packages: the README and the setup page must
# show each system's list exactly as it is there, and ./course must read it.
#   packages_test.sh SOURCE_DIR
set -euo pipefail
root=$1
status=0

list() { sed -n "s/^$1: //p" "$root/packages.txt"; }
# The text of a page with shell line continuations joined and runs of
# blanks made one space, so a list may be wrapped over lines.
flat() { sed -e ':a' -e '/\\$/N; s/\\\n[[:space:]]*/ /; ta' "$1" | tr -s ' \t\n' '   '; }

expect() {  # expect PAGE SYSTEM...
    local page=$1 text system packages
    shift
    text=$(flat "$root/$page")
    for system in "$@"; do
        packages=$(list "$system")
        if [ -z "$packages" ]; then
            echo "FAIL: packages.txt has no '$system:' line"
            status=1
        elif [[ $text != *"$packages"* ]]; then
            echo "FAIL: $page does not show the $system packages of packages.txt:"
            echo "      $packages"
            status=1
        else
            echo "ok: $page shows the $system packages"
        fi
    done
}

expect README.md debian debian-fetch debian-test
expect docs/setup.md debian debian-fetch debian-test fedora macos

# ./course reads the list: its help for a system without apt-get prints it.
if ! grep -q 'packages_for debian)' "$root/course"; then
    echo "FAIL: ./course does not read its Debian packages from packages.txt"
    status=1
fi
exit "$status"
