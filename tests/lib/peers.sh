# peers.sh: start and stop real TLS servers (and misbehaving listeners, and packet captures) on
# loopback for tests. Source it from bash; every process is started by this shell, remembered by
# PID and stopped by PID (peer_stop_all runs from an EXIT trap set by peers_init).
#
#   peers_init                       temp dir ($TD_PEERS_TMP) + EXIT/INT/TERM traps; call first
#   peer_openssl PORT [ARGS...]      openssl s_server -accept 127.0.0.1:PORT ARGS
#   peer_gnutls PORT [ARGS...]       gnutls-serv --port PORT ARGS (bind() forced to loopback)
#   peer_caddy PORT NAME [CERT KEY]  Caddy serving https://NAME:PORT on 127.0.0.1 with the given
#                                    certificate, or `tls internal` without CERT/KEY
#   peer_nginx PORT SNIPPET          nginx with SNIPPET (server blocks; @PORT@ is replaced) inside
#                                    http {}; nginx_snippet_* below make common ones
#   peer_listener PORT MODE          tests/lib/listener.py: close | reset | silent | garbage
#   peer_stop PID / peer_stop_all    TERM, then KILL after 3 s; always by PID
#   capture_start IFACE PORT FILE    tcpdump -i IFACE -U -w FILE 'tcp port PORT' (needs root),
#                                    returning only once a marker sent after it is in FILE
#   capture_stop                     stop the capture once its last packet is in FILE
#   capture_skip_reason              prints why this machine cannot capture (not root) and
#                                    returns 0; returns 1 when it can. The reason a capturing
#                                    test may exit 77 (skipped); any other capture failure fails.
#   peer_port_free PORT              true when nothing listens on PORT
#   peers_lock_ports NAME            hold /tmp/tlsdoctor-ports-NAME.lock until the shell exits: the
#                                    same test runs from several worktrees and build dirs at once
#                                    on this machine, and ports are machine-wide
#
# After a successful start, PEER_PID is the server's PID, PEER_LOG its stdout+stderr file,
# PEER_CMD its command line and PEER_CONF its config file (caddy, nginx; empty otherwise).
# Every start waits (bounded) until the port listens and fails (returns 1, with the server's log on
# stderr) if it does not.

TD_SRC=${TD_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TD_PEER_WAIT_S=${TD_PEER_WAIT_S:-10}
# The system interpreter: a python3 found first on PATH may be a slow-starting shim (pyenv).
TD_PYTHON=${TD_PYTHON:-$([ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3)}
_TD_PEER_PIDS=()
_TD_CAPTURE_PID=
_TD_CAPTURE_FILE=
_TD_CAPTURE_PORT=
PEER_PID=
PEER_LOG=

peers_init() {
    if [ -z "${TD_PEERS_TMP:-}" ] || [ ! -d "$TD_PEERS_TMP" ]; then
        TD_PEERS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/td-peers.XXXXXX") || return 1
        _TD_PEERS_OWN_TMP=1
    fi
    trap '_peers_exit' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

peers_lock_ports() {
    exec {_TD_PORT_LOCK_FD}>"/tmp/tlsdoctor-ports-$1.lock"
    if ! flock -w "${TD_PORT_LOCK_WAIT_S:-900}" "$_TD_PORT_LOCK_FD"; then
        echo "peers: gave up waiting for the port lock $1" >&2
        return 1
    fi
}

_peers_exit() {
    local rc=$?
    capture_stop
    peer_stop_all
    if [ "${_TD_PEERS_OWN_TMP:-0}" = 1 ] && [ "${TD_KEEP_TMP:-0}" != 1 ]; then
        rm -rf "$TD_PEERS_TMP"
    fi
    return $rc
}

# Locates a built fixture or preload library: $TD_BUILD/tests/fixtures/NAME.
peers_fixture() {
    local p="${TD_BUILD:-$TD_SRC/build}/tests/fixtures/$1"
    [ -e "$p" ] || { echo "peers: fixture $p not built" >&2; return 1; }
    echo "$p"
}

# _td_sleep SECONDS: sleep without spawning a process (polling loops run often, machines are busy).
_td_sleep() {
    [ -n "${_TD_SLEEP_FD:-}" ] || exec {_TD_SLEEP_FD}<> <(:)
    read -r -t "$1" -u "$_TD_SLEEP_FD" _ || true
}

# _peer_listen_addrs PORT: local addresses (hex, as in /proc/net/tcp*) of TCP sockets listening on
# PORT, one a line; read with builtins only.
_peer_listen_addrs() {
    local hex f sl la ra st rest
    printf -v hex '%04X' "$1"
    for f in /proc/net/tcp /proc/net/tcp6; do
        [ -r "$f" ] || continue
        while read -r sl la ra st rest; do
            [ "$st" = 0A ] && [ "${la##*:}" = "$hex" ] && echo "${la%:*}"
        done <"$f"
    done
}

peer_port_free() {
    [ -z "$(_peer_listen_addrs "$1")" ]
}

# peer_wait_port PORT PID: waits until PORT listens, or PID died, or the time is up.
peer_wait_port() {
    local port=$1 pid=$2 i
    for ((i = 0; i < TD_PEER_WAIT_S * 20; i++)); do
        peer_port_free "$port" || return 0
        kill -0 "$pid" 2>/dev/null || return 1
        _td_sleep 0.05
    done
    return 1
}

# _peer_spawn NAME PORT CMD...: runs CMD in the background, logs to $TD_PEERS_TMP/NAME-PORT.log.
_peer_spawn() {
    local name=$1 port=$2
    shift 2
    [ -n "${TD_PEERS_TMP:-}" ] || peers_init
    if ! peer_port_free "$port"; then
        echo "peers: port $port is already in use" >&2
        return 1
    fi
    PEER_LOG="$TD_PEERS_TMP/$name-$port.log"
    PEER_CMD="$*"
    "$@" >"$PEER_LOG" 2>&1 </dev/null &
    PEER_PID=$!
    _TD_PEER_PIDS+=("$PEER_PID")
    if ! peer_wait_port "$port" "$PEER_PID"; then
        echo "peers: $name did not listen on 127.0.0.1:$port; its output:" >&2
        sed 's/^/  | /' "$PEER_LOG" >&2
        peer_stop "$PEER_PID"
        return 1
    fi
    _peer_check_loopback "$port" || { peer_stop "$PEER_PID"; return 1; }
}

# Refuses a server that listens on anything but loopback (127.0.0.1 or ::1).
_peer_check_loopback() {
    local a
    for a in $(_peer_listen_addrs "$1"); do
        case $a in
        0100007F | 00000000000000000000000001000000) ;;
        *)
            echo "peers: port $1 listens on a non-loopback address ($a in /proc/net/tcp*); stopping it" >&2
            return 1 ;;
        esac
    done
}

peer_stop() {
    local pid=$1 i
    [ -n "$pid" ] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null
        for ((i = 0; i < 60; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            _td_sleep 0.05
        done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
    local keep=() p
    for p in "${_TD_PEER_PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
    _TD_PEER_PIDS=("${keep[@]}")
    return 0
}

peer_stop_all() {
    local p
    for p in "${_TD_PEER_PIDS[@]}"; do peer_stop "$p"; done
    _TD_PEER_PIDS=()
}

peer_openssl() {
    local port=$1
    shift
    PEER_CONF=
    _peer_spawn openssl "$port" openssl s_server -accept "127.0.0.1:$port" "$@"
}

peer_gnutls() {
    local port=$1 shim
    shift
    shim=$(peers_fixture libtd_bindlo.so) || return 1
    PEER_CONF=
    _peer_spawn gnutls "$port" env LD_PRELOAD="$shim" gnutls-serv --port "$port" "$@"
}

peer_caddy() {
    local port=$1 name=$2 cert=${3:-} key=${4:-} dir tls
    [ -n "${TD_PEERS_TMP:-}" ] || peers_init
    dir="$TD_PEERS_TMP/caddy-$port"
    mkdir -p "$dir/home"
    tls="tls internal"
    [ -n "$cert" ] && tls="tls $cert $key"
    cat >"$dir/Caddyfile" <<CADDY
{
	admin off
	auto_https disable_redirects
	skip_install_trust
	storage file_system $dir/data
	servers {
		protocols h1 h2
	}
}
https://$name:$port {
	bind 127.0.0.1
	$tls
	respond "hello from caddy $name\n"
}
CADDY
    PEER_CONF="$dir/Caddyfile"
    _peer_spawn caddy "$port" env HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config" \
        XDG_DATA_HOME="$dir/home/.local/share" caddy run --config "$dir/Caddyfile" --adapter caddyfile
}

# Root certificate of a `tls internal` Caddy started on PORT (exists once Caddy issued it).
peer_caddy_root() {
    echo "$TD_PEERS_TMP/caddy-$1/data/pki/authorities/local/root.crt"
}

peer_nginx() {
    local port=$1 snippet=$2 dir
    [ -n "${TD_PEERS_TMP:-}" ] || peers_init
    dir="$TD_PEERS_TMP/nginx-$port"
    mkdir -p "$dir/tmp" "$dir/logs"
    cat >"$dir/nginx.conf" <<NGINX
daemon off;
master_process off;
worker_processes 1;
error_log stderr info;
pid $dir/nginx.pid;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $dir/tmp;
    proxy_temp_path $dir/tmp;
    fastcgi_temp_path $dir/tmp;
    uwsgi_temp_path $dir/tmp;
    scgi_temp_path $dir/tmp;
${snippet//@PORT@/$port}
}
NGINX
    PEER_CONF="$dir/nginx.conf"
    _peer_spawn nginx "$port" nginx -p "$dir" -c "$dir/nginx.conf" -e stderr
}

# nginx_snippet_site NAME CERT KEY [EXTRA]: one TLS server block for NAME (a default_server).
nginx_snippet_site() {
    cat <<SNIP
    server {
        listen 127.0.0.1:@PORT@ ssl default_server;
        server_name $1;
        ssl_certificate $2;
        ssl_certificate_key $3;
        ${4:-}
        location / { return 200 "hello from nginx $1\n"; }
    }
SNIP
}

# nginx_snippet_reject NAME CERT KEY: default server with ssl_reject_handshake on (rejects a
# missing or unknown SNI with alert 112) plus a server block for NAME.
nginx_snippet_reject() {
    cat <<SNIP
    server {
        listen 127.0.0.1:@PORT@ ssl default_server;
        ssl_reject_handshake on;
        # a request without Host (HTTP/1.0) lands here after an SNI-selected handshake
        location / { return 200 "hello from nginx default server\n"; }
    }
    server {
        listen 127.0.0.1:@PORT@ ssl;
        server_name $1;
        ssl_certificate $2;
        ssl_certificate_key $3;
        location / { return 200 "hello from nginx $1\n"; }
    }
SNIP
}

# nginx_snippet_verify_client NAME CERT KEY CA: ssl_verify_client on (no alert; HTTP 400).
nginx_snippet_verify_client() {
    nginx_snippet_site "$1" "$2" "$3" "ssl_client_certificate $4; ssl_verify_client on;"
}

peer_listener() {
    PEER_CONF=
    _peer_spawn "listener-$2" "$1" "$TD_PYTHON" "$TD_SRC/tests/lib/listener.py" "$1" "$2"
}

# capture_start IFACE PORT FILE: a capture that is proven live before it returns. tcpdump
# (--immediate-mode, -U: each packet written as it is read) records TCP port PORT, plus UDP
# datagrams to port PORT: the markers. After tcpdump starts, a marker datagram is sent to UDP
# 127.0.0.1:PORT (IFACE must see loopback: lo or any) every 0.25 s until the file holds one
# (at most TD_CAPTURE_WAIT_S, default 20 s); only then may the traffic start. "listening on"
# alone proves nothing: on a busy machine packets sent right after it were not in the file.
# Readers do not see the markers: `tlsdoctor pcap` reads TCP only and tshark's TLS fields
# ignore UDP (a closed UDP port answers with ICMP, which the filter leaves out).
capture_skip_reason() {
    if [ "$(id -u)" != 0 ]; then
        echo "not root: tcpdump cannot capture on lo"
        return 0
    fi
    return 1
}

capture_start() {
    local iface=$1 port=$2 file=$3 log
    [ -n "${TD_PEERS_TMP:-}" ] || peers_init
    capture_stop
    log="$TD_PEERS_TMP/tcpdump-$port.log"
    rm -f "$file"
    tcpdump -i "$iface" --immediate-mode -U -n -s 0 -w "$file" "tcp port $port or udp dst port $port" \
        >"$log" 2>&1 </dev/null &
    _TD_CAPTURE_PID=$!
    _TD_CAPTURE_FILE=$file
    _TD_CAPTURE_PORT=$port
    if ! _capture_mark start; then
        echo "peers: tcpdump on $iface port $port is not capturing (no marker in $file after ${TD_CAPTURE_WAIT_S:-20} s); its output:" >&2
        sed 's/^/  | /' "$log" >&2
        capture_stop
        return 1
    fi
}

# _capture_mark WORD: sends "tlsdoctor-capture-WORD" to UDP 127.0.0.1:$_TD_CAPTURE_PORT (bash's
# /dev/udp, no process) every 0.25 s until $_TD_CAPTURE_FILE holds it; 1 if tcpdump died or the
# time ran out.
_capture_mark() {
    local mark="tlsdoctor-capture-$1" i
    for ((i = 0; i < ${TD_CAPTURE_WAIT_S:-20} * 20; i++)); do
        kill -0 "$_TD_CAPTURE_PID" 2>/dev/null || return 1
        if ((i % 5 == 0)); then
            { printf '%s' "$mark" >"/dev/udp/127.0.0.1/$_TD_CAPTURE_PORT"; } 2>/dev/null
        fi
        _td_sleep 0.05
        [ -s "$_TD_CAPTURE_FILE" ] && LC_ALL=C grep -qaF "$mark" "$_TD_CAPTURE_FILE" && return 0
    done
    return 1
}

# capture_stop: stops the capture only after its last packet is in the file. An end marker is sent
# and waited for (what was sent before it was read before it), then the file must stop growing
# for 0.3 s (a server's late FIN or alert after the client left; at most about 3 s), then
# SIGINT, and tcpdump's exit is waited for by PID. Safe to call when no capture runs.
capture_stop() {
    local pid=$_TD_CAPTURE_PID i size last=-1 same=0
    [ -n "$pid" ] || return 0
    if kill -0 "$pid" 2>/dev/null && _capture_mark end; then
        for ((i = 0; i < 30 && same < 3; i++)); do
            _td_sleep 0.1
            size=$(stat -c %s "$_TD_CAPTURE_FILE" 2>/dev/null || echo 0)
            if [ "$size" = "$last" ]; then same=$((same + 1)); else same=0; last=$size; fi
        done
    fi
    _TD_CAPTURE_PID=
    kill -INT "$pid" 2>/dev/null
    for ((i = 0; i < 150; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        _td_sleep 0.02
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 0
}

# capture_alerts FILE PORT: one line per TLS alert visible in FILE, as SENDER:LEVEL:DESC where
# SENDER is server (from PORT) or client; encrypted alerts print SENDER:encrypted.
capture_alerts() {
    tshark -r "$1" -d "tcp.port==$2,tls" -Y tls.record.content_type==21 \
        -T fields -e tcp.srcport -e tls.alert_message.level -e tls.alert_message.desc 2>/dev/null |
        awk -v port="$2" -F'\t' '{
            who = ($1 == port) ? "server" : "client"
            if ($2 == "" && $3 == "") print who ":encrypted"; else print who ":" $2 ":" $3 }'
}
