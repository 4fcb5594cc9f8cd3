#!/usr/bin/python3
"""Rewrites a little-endian pcap or pcapng capture in big-endian byte order, packet bytes untouched.

usage: make-bigendian.py IN OUT
Real captures on x86 are little-endian; this gives the readers the other byte order from the same real packets.
Only the header and block fields the writers used here are converted; anything else stops with an error.
"""
import struct, sys

def u(fmt, data, off=0):
    return struct.unpack_from("<" + fmt, data, off)

def swap(fmt, data, off):
    """Re-pack fields at off from little-endian to big-endian."""
    n = struct.calcsize("<" + fmt)
    return struct.pack(">" + fmt, *u(fmt, data, off)), n

def pcap(data):
    magic, = u("I", data)
    rec = {0xA1B2C3D4: 16, 0xA1B23C4D: 16, 0xA1B2CD34: 24}[magic]
    out = [swap("IHHiIII", data, 0)[0]]
    off = 24
    while off < len(data):
        hdr, _ = swap("IIII", data, off)
        caplen = u("I", data, off + 8)[0]
        if rec == 24:
            hdr += swap("IHBB", data, off + 16)[0]
        out.append(hdr + data[off + rec: off + rec + caplen])
        off += rec + caplen
    return b"".join(out)

# Numeric option values per block type (code -> struct format); text and address options stay as bytes.
OPTION_FORMATS = {
    0x0A0D0D0A: {},
    1: {8: "Q", 10: "I", 14: "q", 16: "Q", 17: "Q"},
    6: {2: "I", 4: "Q", 5: "Q", 6: "I"},
    5: {2: "II", 3: "II", 4: "Q", 5: "Q", 6: "Q", 7: "Q", 8: "Q"},
    4: {},
}
FIXED = {0x0A0D0D0A: "IHHq", 1: "HHI", 6: "IIIII", 5: "III"}

def options(block_type, body):
    out, off, formats = [], 0, OPTION_FORMATS[block_type]
    while off + 4 <= len(body):
        code, length = u("HH", body, off)
        value = body[off + 4: off + 4 + length]
        padded = (length + 3) & ~3
        if code in formats:
            value = struct.pack(">" + formats[code], *u(formats[code], value))
        elif code in (2988, 2989, 19372, 19373):
            value = struct.pack(">I", *u("I", value)) + value[4:]
        out.append(struct.pack(">HH", code, length) + value + body[off + 4 + length: off + 4 + padded])
        off += 4 + padded
        if code == 0:
            break
    return b"".join(out) + body[off:]

def nrb_records(body):
    out, off = [], 0
    while off + 4 <= len(body):
        rtype, length = u("HH", body, off)
        padded = (length + 3) & ~3
        out.append(struct.pack(">HH", rtype, length) + body[off + 4: off + 4 + padded])
        off += 4 + padded
        if rtype == 0:
            break
    return b"".join(out), off

def pcapng(data):
    out, off = [], 0
    while off < len(data):
        btype, blen = u("II", data, off)
        body = data[off + 8: off + blen - 4]
        if btype not in OPTION_FORMATS:
            sys.exit(f"block type {btype:#x} at offset {off} not supported")
        if btype == 4:
            fixed, n = nrb_records(body)
        elif btype == 6:
            caplen = u("I", body, 12)[0]
            n = 20 + ((caplen + 3) & ~3)
            fixed = swap(FIXED[6], body, 0)[0] + body[20:n]
        else:
            fixed, n = swap(FIXED[btype], body, 0)
        out.append(struct.pack(">II", btype, blen) + fixed + options(btype, body[n:]) + struct.pack(">I", blen))
        off += blen
    return b"".join(out)

def main(src, dst):
    data = open(src, "rb").read()
    converted = pcapng(data) if data[:4] == b"\x0a\x0d\x0d\x0a" else pcap(data)
    assert len(converted) == len(data)
    open(dst, "wb").write(converted)

if __name__ == "__main__":
    main(*sys.argv[1:3])
