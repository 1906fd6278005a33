# pki.sh: a throw-away lab PKI made with openssl, for tests against real peers.
# Source it, then `pki_make DIR`. Cached: a second call with the same DIR returns at once.
# Files (PEM) in DIR, every leaf signed by int (chains in *_chain.crt are leaf + int):
#   root.crt/.key        root CA (RSA 2048)            int.crt/.key   intermediate CA (RSA 2048)
#   srv_rsa.*            leaf RSA 2048, SAN DNS:lab.test,DNS:localhost (no IP SAN, so Caddy/Go
#                        cannot fall back to the local IP when SNI is missing)
#   srv_rsa_ip.*         same with IP:127.0.0.1,IP:::1 added
#   srv_ec.*             leaf ECDSA P-256, same names as srv_rsa
#   srv_expired.*        RSA leaf for lab.test, valid 2020-01-01..2021-01-01
#   srv_notyet.*         RSA leaf for lab.test, valid 2040-01-01..2045-01-01
#   srv_wrongname.*      RSA leaf for other.test only
#   chain4_*             root4 -> int4a -> int4b -> leaf, all RSA 4096; chain4_chain.crt (leaf,
#                        int4b, int4a, root4) is > 4096 bytes; chain4_root.crt is its trust anchor
#   chain4_ints.crt      int4b, int4a, root4 (what a server sends after chain4_leaf or srv_huge)
#   srv_huge.*           leaf RSA 4096 signed by int4b with ~300 SAN names; srv_huge_chain.crt
#                        (leaf, int4b, int4a, root4) is > 16384 bytes (bigger than one TLS record)
#   other_root.crt/.key  an unrelated CA (for "wrong CA file")
#   client.*             client certificate (RSA 2048, clientAuth) for lab-client, signed by int
#   ca_bundle.crt        root.crt + int.crt
# Valid certificates run 2025-01-01..2035-01-01 (fixed, so runs are comparable).

PKI_VERSION=4

_pki_cnf() { # DIR
    cat >"$1/ca.cnf" <<CNF
[ca]
default_ca = lab
[lab]
database = $1/db/index.txt
new_certs_dir = $1/db
serial = $1/db/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
email_in_dn = no
[any]
commonName = supplied
organizationName = optional
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[v3_rsa]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:lab.test,DNS:localhost
[v3_rsa_ip]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:lab.test,DNS:localhost,IP:127.0.0.1,IP:::1
[v3_ec]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:lab.test,DNS:localhost
[v3_wrong]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:other.test
[v3_cli]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
[v3_huge]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = @huge_names
[huge_names]
DNS.1 = lab.test
DNS.2 = localhost
CNF
    local i
    for i in $(seq 3 302); do
        printf 'DNS.%d = padding-name-%03d.long-label-to-make-the-chain-bigger.lab.test\n' "$i" "$i"
    done >>"$1/ca.cnf"
}

_pki_key() { # OUT TYPE(rsa2048|rsa4096|ec)
    case $2 in
    rsa*) openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${2#rsa}" -out "$1" 2>/dev/null ;;
    ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null ;;
    esac
}

# _pki_issue DIR NAME KEYTYPE CN ISSUER(self|name) EXT START END
_pki_issue() {
    local d=$1 name=$2 kt=$3 cn=$4 issuer=$5 ext=$6 start=$7 end=$8
    local sign=(-cert "$d/$issuer.crt" -keyfile "$d/$issuer.key")
    _pki_key "$d/$name.key" "$kt" || return 1
    openssl req -new -key "$d/$name.key" -subj "/O=tlsdoctor lab/CN=$cn" -out "$d/db/$name.csr" 2>/dev/null || return 1
    [ "$issuer" = self ] && sign=(-selfsign -keyfile "$d/$name.key")
    openssl ca -batch -notext -config "$d/ca.cnf" "${sign[@]}" -in "$d/db/$name.csr" \
        -out "$d/$name.crt" -extensions "$ext" -startdate "$start" -enddate "$end" >/dev/null 2>&1 || {
        echo "pki: failed to issue $name" >&2; return 1; }
}

pki_make() { # DIR
    local d=$1 ok=20250101000000Z end=20350101000000Z
    [ -f "$d/.pki-v$PKI_VERSION" ] && return 0
    mkdir -p "$d" || return 1
    (
        exec 9>"$d/.lock"
        flock 9
        [ -f "$d/.pki-v$PKI_VERSION" ] && exit 0
        rm -rf "$d/db" && mkdir -p "$d/db" && : >"$d/db/index.txt" && echo 1000 >"$d/db/serial"
        _pki_cnf "$d"
        set -e
        _pki_issue "$d" root rsa2048 "tlsdoctor lab root" self v3_ca $ok $end
        _pki_issue "$d" int rsa2048 "tlsdoctor lab intermediate" root v3_ca $ok $end
        _pki_issue "$d" srv_rsa rsa2048 lab.test int v3_rsa $ok $end
        _pki_issue "$d" srv_rsa_ip rsa2048 lab.test int v3_rsa_ip $ok $end
        _pki_issue "$d" srv_ec ec lab.test int v3_ec $ok $end
        _pki_issue "$d" srv_expired rsa2048 lab.test int v3_rsa 20200101000000Z 20210101000000Z
        _pki_issue "$d" srv_notyet rsa2048 lab.test int v3_rsa 20400101000000Z 20450101000000Z
        _pki_issue "$d" srv_wrongname rsa2048 other.test int v3_wrong $ok $end
        _pki_issue "$d" client rsa2048 lab-client int v3_cli $ok $end
        _pki_issue "$d" other_root rsa2048 "unrelated root" self v3_ca $ok $end
        _pki_issue "$d" chain4_root rsa4096 "tlsdoctor lab root4" self v3_ca $ok $end
        _pki_issue "$d" chain4_int1 rsa4096 "tlsdoctor lab int4a" chain4_root v3_ca $ok $end
        _pki_issue "$d" chain4_int2 rsa4096 "tlsdoctor lab int4b" chain4_int1 v3_ca $ok $end
        _pki_issue "$d" chain4_leaf rsa4096 lab.test chain4_int2 v3_rsa $ok $end
        _pki_issue "$d" srv_huge rsa4096 lab.test chain4_int2 v3_huge $ok $end
        for n in srv_rsa srv_rsa_ip srv_ec srv_expired srv_notyet srv_wrongname client; do
            cat "$d/$n.crt" "$d/int.crt" >"$d/${n}_chain.crt"
        done
        cat "$d/chain4_leaf.crt" "$d/chain4_int2.crt" "$d/chain4_int1.crt" "$d/chain4_root.crt" >"$d/chain4_chain.crt"
        cat "$d/srv_huge.crt" "$d/chain4_int2.crt" "$d/chain4_int1.crt" "$d/chain4_root.crt" >"$d/srv_huge_chain.crt"
        cat "$d/chain4_int2.crt" "$d/chain4_int1.crt" "$d/chain4_root.crt" >"$d/chain4_ints.crt"
        cat "$d/root.crt" "$d/int.crt" >"$d/ca_bundle.crt"
        touch "$d/.pki-v$PKI_VERSION"
    )
}

# pki_der_size FILE: total DER bytes of every certificate in a PEM file.
pki_der_size() {
    "${TD_PYTHON:-/usr/bin/python3}" -c 'import base64,re,sys
pem=open(sys.argv[1]).read()
print(sum(len(base64.b64decode("".join(b.split()))) for b in re.findall(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", pem, re.S)))' "$1"
}
