#!/usr/bin/env bash
# Nothing in the repository reads, or tells anyone to read, data outside the clone: no test,
# script, build file or document names the old shared folder beside the clone, its environment
# variable, or the workspace path of the machine the project was built on (issue 12). The pattern
# is assembled from pieces so that this file does not match it.
set -u
: "${TD_SRC:?}"
pat="\\.\\./sha""red|TD_SHA""RED|/wo""rk/"
cd "$TD_SRC" || exit 1
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    hits=$(git grep -nIE "$pat" -- . 2>/dev/null)
else
    hits=$(grep -rnIE "$pat" --exclude-dir='build*' --exclude-dir=.git . 2>/dev/null)
fi
if [ -n "$hits" ]; then
    echo "FAIL: paths outside the clone are named here (use TD_SRC and tests/corpus/):"
    echo "$hits" | head -n 20
    exit 1
fi
echo "ok: no path outside the clone is named"
