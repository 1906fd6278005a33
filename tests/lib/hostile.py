#!/usr/bin/env python3
"""hostile.py -- broken or hostile TLS "servers" for the probe's tests, on 127.0.0.1 only.

usage: hostile.py BASEPORT MODE [MODE...]
MODE: close | reset | garbage | endless | drip | bigrecord | bighs | alert:N | badsuite | silent
The i-th MODE is served on BASEPORT+i (one process, so a test starts Python once); every connection
to a port gets the same treatment. Runs until killed (tests stop it by PID)."""
import asyncio
import os
import socket
import struct
import sys


def server_hello(suite):
    body = struct.pack(">H", 0x0303) + os.urandom(32) + b"\x00" + struct.pack(">H", suite) + b"\x00"
    hs = b"\x02" + struct.pack(">I", len(body))[1:] + body
    return b"\x16\x03\x03" + struct.pack(">H", len(hs)) + hs


async def read_hello(reader):
    try:
        hdr = await reader.readexactly(5)
        await reader.readexactly(struct.unpack(">H", hdr[3:5])[0])
    except (asyncio.IncompleteReadError, ConnectionError):
        pass


async def handle(reader, writer, mode):
    try:
        if mode != "silent":
            await read_hello(reader)
        sock = writer.get_extra_info("socket")
        if mode == "close":
            writer.close()
            return
        if mode == "reset":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
            return
        if mode == "garbage":
            writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        elif mode == "endless":
            rec = b"\x16\x03\x03\x00\x04\x00\x00\x00\x00" * 1000
            while True:
                writer.write(rec)
                await writer.drain()
        elif mode == "drip":
            for b in server_hello(0x1301):
                writer.write(bytes([b]))
                await writer.drain()
                await asyncio.sleep(1)
        elif mode == "bigrecord":
            writer.write(b"\x16\x03\x03\xff\xff" + b"\x00" * 1024)
        elif mode == "bighs":
            writer.write(b"\x16\x03\x03\x40\x00\x02\xff\xff\xff" + b"\x00" * (0x4000 - 4))
        elif mode.startswith("alert:"):
            writer.write(b"\x15\x03\x03\x00\x02\x02" + bytes([int(mode[6:])]))
        elif mode == "badsuite":
            writer.write(server_hello(0x0000))
        await writer.drain()
        await asyncio.sleep(3600)
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.transport.abort()


def serve(port, mode):
    return asyncio.start_server(lambda r, w: handle(r, w, mode), "127.0.0.1", port,
                                reuse_address=True)


async def main():
    base = int(sys.argv[1])
    servers = [await serve(base + i, m) for i, m in enumerate(sys.argv[2:])]
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
