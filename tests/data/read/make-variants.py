#!/usr/bin/python3
"""Rewrites a real little-endian pcapng capture into the block variants capture tools no longer write.

usage: make-variants.py tsresol IN OUT   if_tsresol 2^-30 and if_tsoffset -3600 s on every IDB, EPB times rescaled to match
       make-variants.py oldblocks IN OUT packets 1-2 as Obsolete Packet Blocks (type 2), packet 3 as a Simple Packet Block
       make-variants.py extrablocks IN OUT  a Decryption Secrets Block, a custom block and an unassigned block type
                                            inserted before every other packet block (readers must skip them)
Packet bytes are kept; only the containers change.
"""
import struct, sys

def blocks(data):
    off = 0
    while off < len(data):
        btype, blen = struct.unpack_from("<II", data, off)
        yield btype, data[off + 8: off + blen - 4]
        off += blen

def block(btype, body):
    return struct.pack("<II", btype, len(body) + 12) + body + struct.pack("<I", len(body) + 12)

def pad(b):
    return b + b"\0" * (-len(b) % 4)

def options(body):
    out, off = [], 0
    while off + 4 <= len(body):
        code, length = struct.unpack_from("<HH", body, off)
        if code == 0:
            break
        out.append((code, body[off + 4: off + 4 + length]))
        off += 4 + ((length + 3) & ~3)
    return out

def encode(opts):
    return b"".join(struct.pack("<HH", c, len(v)) + pad(v) for c, v in opts) + struct.pack("<HH", 0, 0)

def resolution(opts):
    for code, value in opts:
        if code == 9:
            n = value[0]
            return 2 ** (n & 0x7F) if n & 0x80 else 10 ** n
    return 10 ** 6

def tsresol(data):
    out, per_iface, new_units, offset_s = [], [], 2 ** 30, -3600
    for btype, body in blocks(data):
        if btype == 0x0A0D0D0A:
            per_iface = []
        elif btype == 1:
            opts = options(body[8:])
            per_iface.append(resolution(opts))
            opts = [(c, v) for c, v in opts if c not in (9, 14)] + [(9, bytes([0x80 | 30])), (14, struct.pack("<q", offset_s))]
            body = body[:8] + encode(opts)
        elif btype == 6:
            ifid, hi, lo = struct.unpack_from("<III", body)
            old = per_iface[ifid]
            ts = (hi << 32) | lo
            # same instant: (t_old - offset) in the new units, floor
            units = ((ts * new_units) // old) - offset_s * new_units
            body = struct.pack("<III", ifid, units >> 32, units & 0xFFFFFFFF) + body[12:]
        out.append(block(btype, body))
    return b"".join(out)

def oldblocks(data):
    out, n = [], 0
    for btype, body in blocks(data):
        if btype == 6:
            n += 1
            ifid, hi, lo, caplen, length = struct.unpack_from("<IIIII", body)
            packet = body[20: 20 + caplen]
            if n <= 2:
                btype, body = 2, struct.pack("<HHIIII", ifid, 0, hi, lo, caplen, length) + pad(packet)
            elif n == 3 and caplen == length:
                btype, body = 3, struct.pack("<I", length) + pad(packet)
        out.append(block(btype, body))
    return b"".join(out)

def extrablocks(data):
    out, n = [], 0
    extra = [
        block(0x0A, struct.pack("<II", 0x544C534B, 20) + pad(b"CLIENT_RANDOM 00 00\n") + encode([])),   # DSB, TLS key log
        block(0x40000BAD, struct.pack("<I", 32473) + b"pcaplab custom block"),                          # custom, not copyable
        block(0x00000099, b"unassigned block type"[:20]),                                              # unknown: skipped
    ]
    for btype, body in blocks(data):
        if btype == 6:
            n += 1
            if n % 2 == 1:
                out.append(extra[(n // 2) % len(extra)])
        out.append(block(btype, body))
    return b"".join(out)

if __name__ == "__main__":
    mode, src, dst = sys.argv[1:4]
    data = open(src, "rb").read()
    open(dst, "wb").write({"tsresol": tsresol, "oldblocks": oldblocks, "extrablocks": extrablocks}[mode](data))
