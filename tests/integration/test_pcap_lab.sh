#!/bin/bash
# Every lab capture (../shared/corpus/lab/*/capture.pcap) is read by `tlsdoctor pcap` without error,
# and its complete records (frame, content type, length) and plaintext alerts match what tshark
# dissects in the same file; the alerts also match the case's meta.txt (alerts_visible_in_capture).
# Records cut short by the capture (tshark does not list them) are checked apart: each must be
# flagged truncated with fewer bytes than its header announces.
set -u
: "${TD_BIN:?}" "${TD_SHARED:?}"
lab=$TD_SHARED/corpus/lab
command -v tshark >/dev/null || { echo "tshark missing"; exit 1; }
fail=0; n=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for cap in "$lab"/*/capture.pcap; do
    case_dir=$(dirname "$cap"); name=$(basename "$case_dir"); n=$((n + 1))
    "$TD_BIN" pcap --json --no-diagnosis "$cap" > "$tmp/full.json" 2> "$tmp/err"
    rc=$?
    if [ $rc != 0 ] || [ -s "$tmp/err" ]; then
        echo "FAIL $name: tlsdoctor pcap exited $rc: $(cat "$tmp/err")"; fail=1; continue
    fi
    python3 -c 'import json, sys; json.dump(json.load(open(sys.argv[1]))["capture"], sys.stdout)' \
        "$tmp/full.json" > "$tmp/out.json"
    # Ours: one line per record "frame_end type length", ordered by frame_end (stable).
    python3 - "$tmp/out.json" > "$tmp/ours" <<'PY' || { echo "FAIL $name: bad JSON"; fail=1; continue; }
import json, sys
d = json.load(open(sys.argv[1]))
recs = []
for c in d["connections"]:
    for e in c["events"]:
        if e["kind"] == "record" and e["truncated"]:
            assert e["captured"] < e["length"] + 5, e
        elif e["kind"] == "record":
            recs.append((e["frame_end"], e["content_type_id"], e["length"]))
for r in sorted(recs, key=lambda r: r[0]):
    print(*r)
PY
    # TLS 1.3 records carry opaque_type instead of content_type; in these captures they always
    # follow a frame's plaintext records, so the two lists are joined in that order.
    tshark -r "$cap" -Y tls -T fields -e frame.number -e tls.record.content_type \
        -e tls.record.opaque_type -e tls.record.length -E separator=";" -E aggregator=, 2>/dev/null |
        awk -F";" '{ types = $2; if ($3 != "") types = (types == "" ? $3 : types "," $3);
            n = split(types, t, ","); split($4, l, ",");
            for (i = 1; i <= n; i++) print $1, t[i], l[i] }' > "$tmp/theirs"
    if ! diff -q "$tmp/ours" "$tmp/theirs" >/dev/null; then
        echo "FAIL $name: records differ from tshark (ours < > tshark)"; diff "$tmp/ours" "$tmp/theirs" | head -10
        fail=1
    fi
    # Alerts: ours as "who:level:desc", compared with meta.txt.
    ours_alerts=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join("%s:%d:%d" % (e["from"], 2 if e["level"] == "fatal" else 1, e["description"])
      for c in d["connections"] for e in c["events"] if e["kind"] == "alert") or "none visible in capture")' "$tmp/out.json")
    want=$(sed -n 's/^alerts_visible_in_capture: //p' "$case_dir/meta.txt")
    if [ "$ours_alerts" != "$want" ]; then
        echo "FAIL $name: alerts '$ours_alerts', meta.txt says '$want'"; fail=1
    fi
    # tshark's plaintext alerts (level/description fields) must match too.
    theirs_alerts=$(tshark -r "$cap" -Y tls.alert_message.level -T fields -e tls.alert_message.level \
        -e tls.alert_message.desc -E separator=: 2>/dev/null | tr '\n' ' ' | sed 's/ $//')
    ours_plain=$(echo "$ours_alerts" | sed 's/none visible in capture//; s/[a-z][a-z]*://g')
    if [ "$ours_plain" != "$theirs_alerts" ]; then
        echo "FAIL $name: alerts '$ours_plain', tshark '$theirs_alerts'"; fail=1
    fi
done
[ "$n" -ge 20 ] || { echo "FAIL: only $n lab captures found under $lab"; exit 1; }
[ $fail = 0 ] && echo "ok: $n lab captures match tshark and meta.txt"
exit $fail
