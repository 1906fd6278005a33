# corpus.sh: where the repository's own test corpus is (tests/corpus, see its README.md) and how
# many cases it holds, for the tests that read it. Source it from bash after setting TD_SRC.
#
#   CORPUS_LAB              $TD_SRC/tests/corpus/lab
#   CORPUS_SEED             the founding forum thread, $TD_SRC/tests/corpus/seeds/000_df399537d9f9fe90.txt
#   corpus_lab_expected     how many lab cases the corpus holds: the data rows of lab/INDEX.tsv
#   corpus_count WHAT READ WANT
#                           prints "corpus: read READ WHAT (expected WANT)"; when READ < WANT prints
#                           a FAIL line naming both counts and returns 1. Missing data is a
#                           failure, never a skip: a test that reads fewer cases than the corpus
#                           holds must fail.
#
# The expected counts come from the corpus's own index, so a new lab case (its folder and its
# INDEX.tsv row) is picked up by every test without editing one.

: "${TD_SRC:?TD_SRC is not set: run the tests through ctest (make check)}"
CORPUS_LAB=$TD_SRC/tests/corpus/lab
CORPUS_SEED=$TD_SRC/tests/corpus/seeds/000_df399537d9f9fe90.txt

corpus_lab_expected() {
    local n
    n=$(grep -cvE $'^(case_id\t|#|$)' "$CORPUS_LAB/INDEX.tsv" 2>/dev/null) || n=0
    echo "$n"
}

corpus_count() {
    local what=$1 read=$2 want=$3
    if [ "$want" -le 0 ]; then
        echo "FAIL corpus: no $what expected (is $CORPUS_LAB/INDEX.tsv missing?)"
        return 1
    fi
    if [ "$read" -lt "$want" ]; then
        echo "FAIL corpus: read $read $what, expected $want"
        return 1
    fi
    echo "corpus: read $read $what (expected $want)"
}
