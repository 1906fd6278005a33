#!/usr/bin/env python3
"""capture_gen.py -- builds a large pcap for bench/capture.sh: every lab capture (Ethernet, IPv4),
repeated COPIES times, each copy's client moved to its own address 127.(1+case).x.y so every connection is
distinct. Plain pcap written with the struct module; checksums are left as they were."""
import glob, struct, sys

def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    off = 24
    while off + 16 <= len(data):
        ts, tu, cap, wire = struct.unpack(end + "IIII", data[off:off + 16])
        yield ts, tu, wire, bytearray(data[off + 16:off + 16 + cap])
        off += 16 + cap

def move_client(pkt, k, ci):
    if len(pkt) < 34 or pkt[12:14] != b"\x08\x00":
        return pkt
    ihl = (pkt[14] & 15) * 4
    t = 14 + ihl
    if len(pkt) < t + 4:
        return pkt
    sport, dport = struct.unpack(">HH", pkt[t:t + 4])
    addr = bytes([127, 1 + ci, (k >> 8) & 255, k & 255])
    if sport >= 10000:
        pkt[26:30] = addr
    if dport >= 10000:
        pkt[30:34] = addr
    return pkt

def main():
    lab, copies, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    caps = sorted(glob.glob(lab + "/*/capture.pcap"))
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
        for k in range(copies):
            for ci, c in enumerate(caps):
                for ts, tu, wire, pkt in frames(c):
                    pkt = move_client(pkt, k, ci)
                    f.write(struct.pack("<IIII", ts + k, tu, len(pkt), wire))
                    f.write(pkt)
    print("%d connections" % (copies * len(caps)))

main()
