#!/usr/bin/env python3
"""A TCP listener on loopback that misbehaves on purpose, to make network failures real.

usage: listener.py PORT MODE [ADDR]
  close   read the first bytes (the ClientHello), then close (FIN) without answering
  reset   read the first bytes, then abort the connection (RST, SO_LINGER 0)
  silent  read the first bytes and never answer (until killed)
  garbage read the first bytes, answer with bytes that are not TLS, then close
Serves connections one after another until killed. ADDR is 127.0.0.1 (default) or ::1.
"""
import socket
import struct
import sys
import time


def main():
    port, mode = int(sys.argv[1]), sys.argv[2]
    addr = sys.argv[3] if len(sys.argv) > 3 else "127.0.0.1"
    if addr not in ("127.0.0.1", "::1"):
        sys.exit("listener: loopback addresses only")
    if mode not in ("close", "reset", "silent", "garbage"):
        sys.exit("listener: unknown mode " + mode)
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    srv = socket.socket(fam, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, port))
    srv.listen(4)
    print(f"listening on {addr}:{port} mode={mode}", flush=True)
    held = []
    while True:
        conn, peer = srv.accept()
        data = conn.recv(65536)
        print(f"accepted {peer[0]}:{peer[1]}, read {len(data)} bytes ({data[:6].hex()})", flush=True)
        if mode == "close":
            conn.close()
            print("closed (FIN) without answering", flush=True)
        elif mode == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()
            print("aborted (RST) without answering", flush=True)
        elif mode == "garbage":
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            conn.close()
            print("answered plain HTTP and closed", flush=True)
        else:
            held.append(conn)
            print("holding the connection without answering", flush=True)
        time.sleep(0.05)


if __name__ == "__main__":
    main()
