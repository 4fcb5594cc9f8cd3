#!/usr/bin/env python3
"""UDP endpoints for the flood captures.
  udp.py sink ADDR PORT               receive and drop (a syslog-like collector that never answers)
  udp.py echo ADDR PORT               answer every datagram with its own bytes (a chatty request/response service)
  udp.py client SRC DST PORT N GAP    send N small requests from SRC to DST:PORT, GAP seconds apart, reading answers"""
import socket, sys, time

mode = sys.argv[1]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
if mode in ("sink", "echo"):
    s.bind((sys.argv[2], int(sys.argv[3])))
    while True:
        data, peer = s.recvfrom(65535)
        if mode == "echo":
            s.sendto(data, peer)
elif mode == "client":
    src, dst, port, n, gap = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
    s.bind((src, 0))
    s.settimeout(1.0)
    for i in range(n):
        s.sendto(f"status {i}\n".encode(), (dst, port))
        try:
            s.recvfrom(65535)
        except socket.timeout:
            pass
        time.sleep(gap)
else:
    sys.exit("usage: udp.py sink|echo|client ...")
