# check.sh -- small helpers the test scripts share (source it).
#   check DESC CMD...      runs CMD: prints "ok   DESC" or "FAIL DESC" and counts failures in $fails
#   matches OBSERVED WANT  WANT is one value or alternatives "A or B"; true when OBSERVED is one

fails=${fails:-0}

check() {
    local desc=$1; shift
    if "$@"; then echo "ok   $desc"; else echo "FAIL $desc"; fails=$((fails + 1)); fi
}

matches() {
    local alt rest=$2
    while :; do
        alt=${rest%% or *}
        [ "$1" = "$alt" ] && return 0
        [ "$alt" = "$rest" ] && return 1
        rest=${rest#* or }
    done
}
