#!/usr/bin/env bash
# test_realworld.sh -- `tlsdoctor log --json` on every log of the real-world corpus
# (tests/corpus/realworld: Mbed TLS failures as people posted them in public threads).
#   - the folder must hold every file INDEX.tsv lists (and no fewer files than rows);
#   - no case may crash the tool or end with an exit code outside the contract (0, 1, 3);
#   - on the scored cases (scored = yes: the thread established a cause that is a finding id)
#     the leading finding is compared to the cause: prints "top-1: X/Y" and every miss, and
#     fails when X is below the floor in tests/corpus/realworld/FLOOR (raise it, never lower it);
#   - the other cases (unresolved, or a cause outside the rule catalogue) are listed with what
#     the tool said, for reading, not scored.
# TD_REALWORLD_VERBOSE=1 also prints the leading summary of every case.
set -euo pipefail
: "${TD_BIN:?}" "${TD_SRC:?}"
DIR=$TD_SRC/tests/corpus/realworld
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for f in INDEX.tsv FLOOR; do
    if [ ! -f "$DIR/$f" ]; then
        echo "FAIL: $DIR/$f is missing" >&2
        exit 1
    fi
done

# Run the tool on every listed file: its stdout, stderr and exit code go to $tmp/N.*
rows=0
while IFS=$'\t' read -r file _; do
    [ "$file" = file ] && continue
    [ -n "$file" ] || continue
    rows=$((rows + 1))
    printf '%s\n' "$file" >"$tmp/$rows.name"
    if [ ! -f "$DIR/$file" ]; then
        echo missing >"$tmp/$rows.rc"
        continue
    fi
    set +e
    "$TD_BIN" log --json "$DIR/$file" >"$tmp/$rows.json" 2>"$tmp/$rows.err"
    echo $? >"$tmp/$rows.rc"
    set -e
done <"$DIR/INDEX.tsv"

python3 - "$DIR" "$tmp" "$rows" <<'EOF'
import csv, json, os, sys
d, tmp, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
verbose = os.environ.get("TD_REALWORLD_VERBOSE") == "1"
index = {}
with open(os.path.join(d, "INDEX.tsv"), newline="") as f:
    for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
        index[r["file"]] = r
res = {}
for i in range(1, rows + 1):
    base = os.path.join(tmp, str(i))
    name = open(base + ".name").read().strip()
    rc = open(base + ".rc").read().strip()
    lead, summary = "-", "-"
    if rc != "missing":
        try:
            rep = json.load(open(base + ".json"))
            lead, summary = rep.get("leading", "?"), rep.get("summary", "")
        except ValueError:
            lead = "(no report)"
            summary = open(base + ".err", errors="replace").read().strip().replace("\n", " ")
            summary = summary.replace(os.path.join(d, name) + ": ", "")
    res[name] = (rc, lead, summary)
fail = []
logs = [x for x in os.listdir(d) if x.endswith(".log")]
if rows == 0 or len(logs) < rows:
    fail.append(f"the folder holds {len(logs)} .log files but INDEX.tsv lists {rows} cases")
hits, scored, misses, others = 0, 0, [], []
for name, r in index.items():
    rc, lead, summary = res.get(name, ("missing", "-", "-"))
    if rc == "missing":
        fail.append(f"{name}: listed in INDEX.tsv but missing")
        continue
    if rc not in ("0", "1", "3"):
        fail.append(f"{name}: exit {rc} ({summary[:200]})")
    if r["scored"] == "yes":
        scored += 1
        if lead == r["cause"]:
            hits += 1
        else:
            misses.append(f"  MISS {name}: expected {r['cause']}, got {lead}: {summary[:160]}")
    else:
        others.append(f"  {name} [{r['cause']}]: {lead}: {summary[:160]}")
    if verbose and r["scored"] == "yes" and lead == r["cause"]:
        print(f"  hit  {name}: {lead}: {summary[:160]}")
floor = int(open(os.path.join(d, "FLOOR")).read().split()[0])
print(f"top-1: {hits}/{scored} (floor {floor}); {len(others)} not scored")
print("\n".join(misses))
print("not scored (unresolved, or a cause outside the catalogue): what the tool said")
print("\n".join(others))
if scored == 0:
    fail.append("no scored case")
if hits < floor:
    fail.append(f"top-1 {hits}/{scored} is below the floor {floor} recorded in FLOOR")
elif hits > floor:
    print(f"note: top-1 {hits} is above the floor {floor}: raise FLOOR to {hits}")
for m in fail:
    print("FAIL: " + m, file=sys.stderr)
sys.exit(1 if fail else 0)
EOF
