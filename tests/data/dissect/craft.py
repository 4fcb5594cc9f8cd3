#!/usr/bin/env python3
"""Traffic for the dissector's test captures: sends frames and datagrams inside test network namespaces only.

Subcommands (run inside a namespace with `ip netns exec`):
  l2 IFACE           802.1Q, 802.1ad QinQ, MPLS, PPPoE, PBB, VN-Tag, ARP frames via an AF_PACKET socket on IFACE
  tunnels DST4 DST6  GRE (plain, keyed, sequenced, TEB, ERSPAN I/II/III), IPIP, 6in4, 4in6, 6in6 via raw IP sockets,
                     Geneve, GTP-U, Teredo, AYIYA via UDP sockets; inner packets are built here
  icmp DST [SIZE]    one ICMP echo request (raw socket; no ping binary here); SIZE > MTU gives fragments
  icmp6 DST [SIZE]   one ICMPv6 echo request
  udp DST PORT SIZE  one UDP datagram (v4 or v6 by address)
  ext6 DST           UDP over IPv6 with hop-by-hop and destination options headers (setsockopt)
  tun NAME           opens tun device NAME (so it has carrier), configures 10.79.0.1/24 and fd79::1/64, sends UDP and ICMP
                     into it and reads them back
"""
import socket, struct, sys, time

def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF

def ip4(src, dst, proto, payload, ident=0x1234):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0, 64, proto, 0,
                    socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload

def ip6(src, dst, nxt, payload):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nxt, 64,
                       socket.inet_pton(socket.AF_INET6, src), socket.inet_pton(socket.AF_INET6, dst)) + payload

def udp(sport, dport, data):
    return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data

def tcp_syn(sport, dport):
    opts = struct.pack("!BBH", 2, 4, 1460) + b"\x04\x02" + struct.pack("!BBII", 8, 10, 1000, 0) + b"\x01\x03\x03\x07"
    return struct.pack("!HHIIBBHHH", sport, dport, 1, 0, (20 + len(opts)) // 4 << 4, 0x02, 64240, 0, 0) + opts

def icmp_echo(seq, size=8, v6=False):
    data = bytes(range(256)) * (size // 256 + 1)
    body = struct.pack("!BBHHH", 128 if v6 else 8, 0, 0, 0x4242, seq) + data[:size]
    return body if v6 else body[:2] + struct.pack("!H", csum(body)) + body[4:]

def eth(dst, src, etype, payload):
    return bytes.fromhex(dst.replace(":", "")) + bytes.fromhex(src.replace(":", "")) + struct.pack("!H", etype) + payload

M1, M2 = "02:00:00:00:77:01", "02:00:00:00:77:02"
INNER4 = lambda n: ip4("192.168.50.%d" % n, "192.168.60.%d" % n, 17, udp(40000 + n, 53, b"inner%d" % n))
INNER6 = lambda n: ip6("fd50::%x" % n, "fd60::%x" % n, 6, tcp_syn(41000 + n, 443))

def l2(iface):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    frames = [
        eth(M2, M1, 0x8100, struct.pack("!HH", 100, 0x0800) + INNER4(1)),
        eth(M2, M1, 0x88A8, struct.pack("!HH", 200, 0x8100) + struct.pack("!HH", 300, 0x86DD) + INNER6(2)),
        eth(M2, M1, 0x8100, struct.pack("!HH", 0x2000 | 10, 0x8100) + struct.pack("!HH", 20, 0x0800) + INNER4(3)),
        eth(M2, M1, 0x8847, struct.pack("!I", (1000 << 12) | (0 << 8) | 64) + struct.pack("!I", (2000 << 12) | 0x100 | 64) + INNER4(4)),
        eth(M2, M1, 0x8847, struct.pack("!I", (3000 << 12) | 0x100 | 64) + INNER6(5)),
        eth(M2, M1, 0x8847, struct.pack("!I", (4000 << 12) | 0x100 | 64) + b"\0\0\0\0" + eth(M1, M2, 0x0800, INNER4(6))),
        eth(M2, M1, 0x8864, struct.pack("!BBHH", 0x11, 0, 0x0001, 2 + len(INNER4(7))) + b"\x00\x21" + INNER4(7)),
        eth(M2, M1, 0x8864, struct.pack("!BBHH", 0x11, 0, 0x0001, 2 + len(INNER6(8))) + b"\x00\x57" + INNER6(8)),
        eth(M2, M1, 0x88E7, struct.pack("!I", 0x00012345) + eth("02:00:00:00:88:02", "02:00:00:00:88:01", 0x0800, INNER4(9))),
        eth(M2, M1, 0x8926, struct.pack("!I", 0x80010002) + struct.pack("!H", 0x0800) + INNER4(10)),
        eth("ff:ff:ff:ff:ff:ff", M1, 0x0806, struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1,
            bytes.fromhex("020000007701"), socket.inet_aton("10.77.9.1"), b"\0" * 6, socket.inet_aton("10.77.9.2"))),
    ]
    for f in frames:
        s.send(f)
        time.sleep(0.01)

def gre(flags_ver, proto, payload, key=None, seq=None):
    h = struct.pack("!HH", flags_ver, proto)
    if key is not None: h += struct.pack("!I", key)
    if seq is not None: h += struct.pack("!I", seq)
    return h + payload

def tunnels(dst4, dst6):
    r4 = lambda proto: socket.socket(socket.AF_INET, socket.SOCK_RAW, proto)
    r6 = lambda proto: socket.socket(socket.AF_INET6, socket.SOCK_RAW, proto)
    inner_eth = eth(M2, M1, 0x0800, INNER4(20))
    g = r4(47)
    g.sendto(gre(0x0000, 0x0800, INNER4(11)), (dst4, 0))
    g.sendto(gre(0x2000, 0x0800, INNER4(12), key=777), (dst4, 0))
    g.sendto(gre(0x3000, 0x86DD, INNER6(13), key=778, seq=5), (dst4, 0))
    g.sendto(gre(0x0000, 0x6558, inner_eth), (dst4, 0))
    g.sendto(gre(0x0000, 0x88BE, inner_eth), (dst4, 0))  # ERSPAN type I: no sequence, no header
    erspan2 = struct.pack("!HHI", 0x1000 | 0, 0x0800 | 55, 0)
    g.sendto(gre(0x1000, 0x88BE, erspan2 + inner_eth, seq=1), (dst4, 0))
    erspan3 = struct.pack("!HHIHH", 0x2000, 56, 0, 0, 0)
    g.sendto(gre(0x1000, 0x22EB, erspan3 + inner_eth, seq=2), (dst4, 0))
    r4(4).sendto(INNER4(14), (dst4, 0))
    r4(41).sendto(INNER6(15), (dst4, 0))
    r6(4).sendto(INNER4(16), (dst6, 0))
    r6(41).sendto(INNER6(17), (dst6, 0))
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.sendto(struct.pack("!BBHI", 0, 0, 0x6558, 99 << 8) + inner_eth, (dst4, 6081))
    u.sendto(struct.pack("!BBHI", 1, 0, 0x0800, 98 << 8) + b"\x01\x02\x03\x04" + INNER4(21), (dst4, 6081))
    p = INNER4(22)
    u.sendto(struct.pack("!BBHI", 0x30, 0xFF, len(p), 0xABCD) + p, (dst4, 2152))
    p = INNER6(23)
    ext = struct.pack("!BBBB", 1, 0x10, 0x20, 0)  # PDU session container (type 0x85), 4 bytes, then no more
    u.sendto(struct.pack("!BBHIHBB", 0x34, 0xFF, len(p) + 4 + len(ext), 0xABCE, 0, 0, 0x85) + ext + p, (dst4, 2152))
    u.sendto(ip6("2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:0:4136:e378:8000:63bf:3fff:fdd3", 58, icmp_echo(1, 8, True)), (dst4, 3544))
    origin = struct.pack("!HH4s", 0, 0xFFFF ^ 3544, bytes(b ^ 0xFF for b in socket.inet_aton("10.77.0.1")))
    u.sendto(origin + ip6("2001:0:4136:e378:8000:63bf:3fff:fdd2", "fe80::1", 59, b""), (dst4, 3544))
    auth = struct.pack("!BBBB", 0, 1, 0, 0) + b"\x11" * 8 + b"\x00"
    u.sendto(auth + ip6("fe80::8000:f227:bec4:2f6c", "ff02::2", 58, struct.pack("!BBHI", 133, 0, 0, 0)), (dst4, 3544))
    u.sendto(b"not teredo at all, only text", (dst4, 3544))
    ayiya = struct.pack("!BBBBI", 0x41, 0x52, 0x11, 41, int(time.time())) + b"\x20" * 16 + b"\x33" * 20
    u.sendto(ayiya + INNER6(24), (dst4, 5072))

def icmp(dst, size=8):
    if ":" in dst:
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
        s.sendto(icmp_echo(1, size, True), (dst, 0))
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        s.sendto(icmp_echo(1, size), (dst, 0))
    time.sleep(0.2)

def udp_send(dst, port, size):
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    socket.socket(fam, socket.SOCK_DGRAM).sendto(b"u" * size, (dst, port))

def ext6(dst):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_HOPOPTS, bytes([0, 0, 1, 4, 0, 0, 0, 0]))
    s.sendto(b"hop-by-hop", (dst, 5353))
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_DSTOPTS, bytes([0, 0, 1, 4, 0, 0, 0, 0]))
    s.sendto(b"destination options", (dst, 5353))

def tun(name):
    import fcntl, os, subprocess
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, 0x400454CA, struct.pack("16sH", name.encode(), 0x0001 | 0x1000))  # TUNSETIFF, IFF_TUN | IFF_NO_PI
    for cmd in (["ip", "addr", "add", "10.79.0.1/24", "dev", name], ["ip", "addr", "add", "fd79::1/64", "dev", name, "nodad"],
                ["ip", "link", "set", name, "up"]):
        subprocess.run(cmd, check=True)
    time.sleep(1.5)
    udp_send("10.79.0.2", 5000, 10)
    udp_send("fd79::2", 5000, 10)
    icmp("10.79.0.2")
    os.set_blocking(fd, False)
    for _ in range(20):
        try: os.read(fd, 2048)
        except BlockingIOError: break
    time.sleep(0.5)

if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "l2": l2(args[0])
    elif cmd == "tunnels": tunnels(args[0], args[1])
    elif cmd == "icmp": icmp(args[0], int(args[1]) if len(args) > 1 else 8)
    elif cmd == "udp": udp_send(args[0], int(args[1]), int(args[2]))
    elif cmd == "ext6": ext6(args[0])
    elif cmd == "tun": tun(args[0])
    else: sys.exit(__doc__)
