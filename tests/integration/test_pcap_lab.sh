#!/bin/bash
# Every lab capture (tests/corpus/lab/*/capture.pcap) is read by `tlsdoctor pcap` without error,
# and its complete records (frame, content type, length) and plaintext alerts match what tshark
# dissects in the same file; the alerts also match the case's meta.txt (alerts_visible_in_capture).
# Records cut short by the capture (tshark does not list them) are checked apart: each must be
# flagged truncated with fewer bytes than its header announces. One tshark run per capture.
set -u
: "${TD_BIN:?}" "${TD_SRC:?}"
source "$TD_SRC/tests/lib/corpus.sh"
lab=$CORPUS_LAB
command -v tshark >/dev/null || { echo "tshark missing"; exit 1; }
fail=0; n=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for cap in "$lab"/*/capture.pcap; do
    [ -f "$cap" ] || continue
    case_dir=$(dirname "$cap"); name=$(basename "$case_dir"); n=$((n + 1))
    "$TD_BIN" pcap --json --no-diagnosis "$cap" > "$tmp/full.json" 2> "$tmp/err"
    rc=$?
    if [ $rc != 0 ] || [ -s "$tmp/err" ]; then
        echo "FAIL $name: tlsdoctor pcap exited $rc: $(cat "$tmp/err")"; fail=1; continue
    fi
    # TLS 1.3 records carry opaque_type instead of content_type; in these captures they always
    # follow a frame's plaintext records, so the two lists are joined in that order.
    tshark -r "$cap" -Y tls -T fields -e frame.number -e tls.record.content_type \
        -e tls.record.opaque_type -e tls.record.length -e tls.alert_message.level \
        -e tls.alert_message.desc -e ip.src -E separator=';' -E aggregator=, 2>/dev/null > "$tmp/tshark"
    want=$(sed -n 's/^alerts_visible_in_capture: //p' "$case_dir/meta.txt")
    python3 - "$tmp/full.json" "$tmp/tshark" "$want" <<'PY'

import json, sys
d = json.load(open(sys.argv[1]))["capture"]
name = sys.argv[1]
ours, alerts, ok = [], [], True
for c in d["connections"]:
    for e in c["events"]:
        if e["kind"] == "record" and e["truncated"]:
            if not e["captured"] < e["length"] + 5:
                print("FAIL: truncated record with all its bytes", e); ok = False
        elif e["kind"] == "record":
            ours.append((e["frame_end"], e["content_type_id"], e["length"]))
        elif e["kind"] == "alert":
            alerts.append("%s:%d:%d" % (e["from"], 2 if e["level"] == "fatal" else 1, e["description"]))
ours.sort(key=lambda r: r[0])
theirs, their_alerts = [], []
for line in open(sys.argv[2]):
    f = line.rstrip("\n").split(";")
    types = [t for t in (f[1].split(",") if f[1] else []) + (f[2].split(",") if f[2] else [])]
    lens = f[3].split(",")
    theirs += [(int(f[0]), int(t), int(l)) for t, l in zip(types, lens)]
    if f[4]:
        their_alerts += ["%s:%s" % (lv, ds) for lv, ds in zip(f[4].split(","), f[5].split(","))]
if ours != theirs:
    print("FAIL: records differ from tshark:\n  ours   %s\n  tshark %s" % (ours, theirs)); ok = False
got = " ".join(alerts) or "none visible in capture"
if got != sys.argv[3]:
    print("FAIL: alerts '%s', meta.txt says '%s'" % (got, sys.argv[3])); ok = False
plain = [a.split(":", 1)[1] for a in alerts]
if plain != their_alerts:
    print("FAIL: alerts %s, tshark %s" % (plain, their_alerts)); ok = False
sys.exit(0 if ok else 1)
PY
    [ $? = 0 ] || { echo "  ^ in $name"; fail=1; }
done
corpus_count "lab captures" "$n" "$(corpus_lab_expected)" || exit 1
[ $fail = 0 ] && echo "ok: $n lab captures match tshark and meta.txt"
exit $fail
