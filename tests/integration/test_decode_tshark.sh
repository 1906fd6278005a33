#!/bin/bash
# test_decode_tshark.sh -- real handshakes on 127.0.0.1 (openssl s_client against openssl
# s_server, gnutls-serv and Caddy; TLS 1.2 and 1.3; SNI, ALPN, status_request and other
# extensions; a DHE suite; two handshakes that end in an alert), captured with tshark. Each
# direction's TCP payload (tshark's follow output) goes through `tlsdoctor decode --json`, and the
# decoding is compared field by field with `tshark -T fields` on the same capture: record
# versions, handshake types, cipher suites, extension types in order, SNI, supported groups,
# signature algorithms, selected suite and version, certificate count, alert descriptions.
# Ports 14000-14099 (this test's range).
set -euo pipefail
: "${TD_BIN:?}" "${TD_SRC:?}"
export TD_BUILD=${TD_BUILD:-$TD_SRC/build}
source "$TD_SRC/tests/lib/peers.sh"
source "$TD_SRC/tests/lib/pki.sh"
peers_init
tmp=$TD_PEERS_TMP
pki=$TD_BUILD/tests/pki   # shared, locked cache (tests/lib/pki.sh)
pki_make "$pki" >/dev/null
fail() { echo "FAIL: $*" >&2; exit 1; }

# tshark capture on lo, stopped by PID (the EXIT trap of peers.sh does not know it: stop here).
_ts_pid=
ts_stop() {
    [ -n "$_ts_pid" ] || return 0
    sleep 0.3
    kill -TERM "$_ts_pid" 2>/dev/null || true   # INT is ignored by background jobs
    for _ in $(seq 60); do kill -0 "$_ts_pid" 2>/dev/null || break; sleep 0.05; done
    kill -0 "$_ts_pid" 2>/dev/null && kill -KILL "$_ts_pid" 2>/dev/null
    wait "$_ts_pid" 2>/dev/null || true
    _ts_pid=
}
trap 'ts_stop; _peers_exit' EXIT
ts_start() { # PORT FILE
    tshark -i lo -f "tcp port $1" -w "$2" >"$2.log" 2>&1 </dev/null &
    _ts_pid=$!
    for _ in $(seq 200); do
        grep -q "Capturing on" "$2.log" 2>/dev/null && { sleep 0.3; return 0; }
        kill -0 "$_ts_pid" 2>/dev/null || break
        sleep 0.05
    done
    cat "$2.log" >&2
    fail "tshark did not start capturing"
}

# run NAME PORT CLIENT_ARGS...: capture one s_client handshake against the server on PORT.
run() {
    local name=$1 port=$2
    shift 2
    local cap=$tmp/$name.pcapng
    ts_start "$port" "$cap"
    timeout 20 openssl s_client -connect "127.0.0.1:$port" "$@" </dev/null >"$tmp/$name.client" 2>&1 || true
    ts_stop
    compare "$name" "$port" "$cap"
}

compare() { # NAME PORT CAPTURE
    local name=$1 port=$2 cap=$3
    tshark -r "$cap" -q -z follow,tcp,raw,0 > "$tmp/$name.follow" 2>/dev/null
    awk '/^Node 1:/ {on=1; next} /^====/ {on=0} on && /^\t/ {gsub(/\t/, ""); print}' "$tmp/$name.follow" > "$tmp/$name.s.hex"
    awk '/^Node 1:/ {on=1; next} /^====/ {on=0} on && !/^\t/ && NF {print}' "$tmp/$name.follow" > "$tmp/$name.c.hex"
    [ -s "$tmp/$name.c.hex" ] || fail "$name: no client bytes captured"
    local d rc
    for d in c s; do
        set +e
        "$TD_BIN" decode --json "$tmp/$name.$d.hex" > "$tmp/$name.$d.json" 2> "$tmp/$name.$d.err"
        rc=$?
        set -e
        [ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "$name: decode of direction $d exited $rc: $(cat "$tmp/$name.$d.err")"
        [ "$rc" = 0 ] || { cat "$tmp/$name.$d.json" >&2; fail "$name: decode of direction $d reported errors"; }
    done
    tshark -r "$cap" -o tls.desegment_ssl_records:TRUE -o tcp.desegment_tcp_streams:TRUE \
        -d "tcp.port==$port,tls" -Y tls -T fields -E occurrence=a -E aggregator=, -E separator='|' \
        -e tcp.srcport -e tls.record.version -e tls.handshake.type -e tls.handshake.ciphersuite \
        -e tls.handshake.extension.type -e tls.handshake.extensions_server_name \
        -e tls.handshake.extensions_supported_group -e tls.handshake.sig_hash_alg \
        -e tls.handshake.extensions.supported_version -e tls.alert_message.desc \
        -e tls.handshake.certificate_length -e tls.handshake.version > "$tmp/$name.fields" 2>/dev/null
    python3 "$tmp/compare.py" "$name" "$port" "$tmp/$name.fields" "$tmp/$name.c.json" "$tmp/$name.s.json" \
        || fail "$name: tlsdoctor and tshark disagree"
}

cat > "$tmp/compare.py" <<'PY'
import json, sys
name, port, fields, cjson, sjson = sys.argv[1:6]
KEYS = ["record_version", "hs_type", "hello_version", "suites", "ext_types", "sni", "groups",
        "sigalgs", "versions", "alerts", "cert_count"]

def num(v):
    return int(v, 0)

def from_tshark(path, port):
    out = {"c": {k: [] for k in KEYS}, "s": {k: [] for k in KEYS}}
    for line in open(path):
        f = line.rstrip("\n").split("|")
        d = "s" if f[0] == port else "c"
        vals = [[x for x in col.split(",") if x != ""] for col in f[1:]]
        out[d]["record_version"] += [num(x) for x in vals[0]]
        out[d]["hs_type"] += [num(x) for x in vals[1]]
        out[d]["suites"] += [num(x) for x in vals[2]]
        out[d]["ext_types"] += [num(x) for x in vals[3]]
        out[d]["sni"] += vals[4]
        out[d]["groups"] += [num(x) for x in vals[5]]
        out[d]["sigalgs"] += [num(x) for x in vals[6]]
        out[d]["versions"] += [num(x) for x in vals[7]]
        out[d]["alerts"] += [num(x) for x in vals[8]]
        out[d]["cert_count"] += [len(vals[9])] if vals[9] else []
        out[d]["hello_version"] += [num(x) for x in vals[10]]
    for d in out:
        out[d]["cert_count"] = sum(out[d]["cert_count"])
    return out

def from_tlsdoctor(path):
    r = {k: [] for k in KEYS}
    r["cert_count"] = 0
    blocks = json.load(open(path))["blocks"]
    for b in blocks:
        assert not b["errors"], b["errors"]
        for rec in b["records"]:
            r["record_version"].append(rec["version"]["id"])
            if "alert" in rec:
                r["alerts"].append(rec["alert"]["description"]["id"])
            for m in rec.get("messages", []):
                r["hs_type"].append(m["type"]["id"])
                hello = m.get("client_hello") or m.get("server_hello")
                if hello:
                    r["hello_version"].append(hello["version"]["id"])
                if m.get("client_hello"):
                    r["suites"] += [s["id"] for s in hello["cipher_suites"]]
                if m.get("server_hello"):
                    r["suites"].append(hello["cipher_suite"]["id"])
                for e in (hello or {}).get("extensions", []):
                    r["ext_types"].append(e["type"]["id"])
                    t = e["type"]["id"]
                    if t == 0 and "host_name" in e:
                        r["sni"].append(e["host_name"])
                    if t == 10:
                        r["groups"] += [g["id"] for g in e["groups"]]
                    if t in (13, 50):
                        r["sigalgs"] += [a["id"] for a in e["algorithms"]]
                    if t == 43:
                        if "versions" in e:
                            r["versions"] += [v["id"] for v in e["versions"]]
                        if "selected_version" in e:
                            r["versions"].append(e["selected_version"]["id"])
                ske = m.get("server_key_exchange")
                if ske and "signature_algorithm" in ske:
                    r["sigalgs"].append(ske["signature_algorithm"]["id"])
                cr = m.get("certificate_request")
                if cr and "signature_algorithms" in cr:
                    r["sigalgs"] += [a["id"] for a in cr["signature_algorithms"]]
                cv = m.get("certificate_verify")
                if cv:
                    r["sigalgs"].append(cv["signature_algorithm"]["id"])
                if m.get("certificate"):
                    r["cert_count"] += m["certificate"]["count"]
    return r

ts = from_tshark(fields, port)
td = {"c": from_tlsdoctor(cjson), "s": from_tlsdoctor(sjson)}
bad = 0
compared = 0
for d in ("c", "s"):
    for k in KEYS:
        compared += 1
        if ts[d][k] != td[d][k]:
            bad += 1
            print(f"{name} {d} {k}: tshark {ts[d][k]} != tlsdoctor {td[d][k]}")
sh = [x for x in ts["s"]["hs_type"]]
summary = "suite=%s version=%s alerts=%s/%s certs=%d" % (
    [hex(x) for x in ts["s"]["suites"]], [hex(x) for x in ts["s"]["versions"]],
    ts["c"]["alerts"], ts["s"]["alerts"], ts["s"]["cert_count"])
print(f"{name}: {compared - bad}/{compared} fields agree; {summary}")
if not ts["c"]["hs_type"] or 1 not in ts["c"]["hs_type"]:
    print(f"{name}: tshark saw no ClientHello: the capture is empty?")
    bad += 1
sys.exit(1 if bad else 0)
PY

# expect NAME JSONDIR KEY VALUE: a spot check that the handshake did what the scenario wants.
expect_alert() { # NAME DIR DESC
    python3 - "$tmp/$1.$2.json" "$3" <<'PY' || fail "$1: expected alert $3"
import json, sys
recs = [r for b in json.load(open(sys.argv[1]))["blocks"] for r in b["records"]]
assert any(r.get("alert", {}).get("description", {}).get("id") == int(sys.argv[2]) for r in recs)
PY
}
expect_sh() { # NAME VERSION
    python3 - "$tmp/$1.s.json" "$2" <<'PY' || fail "$1: expected negotiated version $2"
import json, sys
recs = [r for b in json.load(open(sys.argv[1]))["blocks"] for r in b["records"]]
sh = [m["server_hello"] for r in recs for m in r.get("messages", []) if "server_hello" in m]
assert sh and sh[0]["negotiated_version"]["id"] == int(sys.argv[2], 0), sh
PY
}

rsa=$pki/srv_rsa.crt; rsak=$pki/srv_rsa.key; ec=$pki/srv_ec.crt; eck=$pki/srv_ec.key
chain=$pki/srv_rsa_chain.crt

# 1. openssl, TLS 1.2, RSA chain, SNI + ALPN + status_request + extended groups/sigalgs
peer_openssl 14001 -cert "$rsa" -key "$rsak" -cert_chain "$pki/int.crt" -tls1_2 -alpn h2,http/1.1 -quiet || fail "server did not start"
run ossl12 14001 -tls1_2 -servername lab.test -alpn h2,http/1.1 -status -groups X25519:P-256:P-384:ffdhe2048
expect_sh ossl12 0x0303
peer_stop "$PEER_PID" || true

# 2. openssl, TLS 1.3, ECDSA, SNI + ALPN
peer_openssl 14002 -cert "$ec" -key "$eck" -tls1_3 -alpn http/1.1 -quiet || fail "server did not start"
run ossl13 14002 -tls1_3 -servername lab.test -alpn http/1.1 -sigalgs ecdsa_secp256r1_sha256:rsa_pss_rsae_sha256
expect_sh ossl13 0x0304
peer_stop "$PEER_PID" || true

# 3. openssl, TLS 1.2 DHE, no SNI, client certificate requested
peer_openssl 14003 -cert "$rsa" -key "$rsak" -tls1_2 -cipher DHE-RSA-AES128-GCM-SHA256 -verify 1 -quiet || fail "server did not start"
run ossl12dhe 14003 -tls1_2 -noservername -cipher DHE-RSA-AES128-GCM-SHA256 -cert "$pki/client.crt" -key "$pki/client.key"
expect_sh ossl12dhe 0x0303
peer_stop "$PEER_PID" || true

# 4. openssl, TLS 1.3 with a HelloRetryRequest (client's key share is not acceptable)
peer_openssl 14004 -cert "$rsa" -key "$rsak" -tls1_3 -groups P-384 -quiet || fail "server did not start"
run ossl13hrr 14004 -tls1_3 -servername lab.test -groups X25519:P-384
peer_stop "$PEER_PID" || true

# 5. openssl, ECDSA-only client suites against an RSA-only server: fatal handshake_failure
peer_openssl 14005 -cert "$rsa" -key "$rsak" -tls1_2 -quiet || fail "server did not start"
run ossl12fail 14005 -tls1_2 -servername lab.test -cipher ECDHE-ECDSA-AES128-GCM-SHA256
expect_alert ossl12fail s 40
peer_stop "$PEER_PID" || true

# 6. gnutls-serv, TLS 1.2 and TLS 1.3
peer_gnutls 14006 --x509certfile "$chain" --x509keyfile "$rsak" --priority NORMAL:-VERS-ALL:+VERS-TLS1.2 --alpn h2 || fail "server did not start"
run gnutls12 14006 -tls1_2 -servername lab.test -alpn h2
expect_sh gnutls12 0x0303
peer_stop "$PEER_PID" || true
peer_gnutls 14007 --x509certfile "$chain" --x509keyfile "$rsak" --priority NORMAL:-VERS-ALL:+VERS-TLS1.3 || fail "server did not start"
run gnutls13 14007 -tls1_3 -servername lab.test
expect_sh gnutls13 0x0304
peer_stop "$PEER_PID" || true

# 7. Caddy: TLS 1.3 with SNI, TLS 1.2 with SNI, and without SNI (the founding case: alert 80)
peer_caddy 14008 lab.test "$rsa" "$rsak" || fail "server did not start"
run caddy13 14008 -tls1_3 -servername lab.test -alpn h2,http/1.1
expect_sh caddy13 0x0304
run caddy12 14008 -tls1_2 -servername lab.test -alpn http/1.1
expect_sh caddy12 0x0303
run caddynosni 14008 -tls1_2 -noservername
expect_alert caddynosni s 80
peer_stop "$PEER_PID" || true
echo "ok"
