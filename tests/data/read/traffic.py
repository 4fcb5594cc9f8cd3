#!/usr/bin/python3
"""Bounded test traffic for the read-stage captures; run inside the private namespace plread-a (see record.sh)."""
import socket, threading, time

def tcp_server(srv):
    conn, _ = srv.accept()
    with conn:
        data = conn.recv(4096)
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello" + data[:0])

srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 8080)); srv.listen(1)
t = threading.Thread(target=tcp_server, args=(srv,)); t.start()
with socket.create_connection(("127.0.0.1", 8080), timeout=2) as c:
    c.sendall(b"GET /pcaplab HTTP/1.0\r\nHost: localhost\r\n\r\n")
    c.recv(4096)
t.join(2); srv.close()

u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(3):
    u.sendto(b"pcaplab read test %d" % i, ("127.0.0.1", 9))      # port unreachable: ICMP back on lo
    u.sendto(b"pcaplab veth test %d" % i, ("10.213.7.2", 9))     # crosses the veth into plread-b
    time.sleep(0.05)
u.sendto(b"x" * 3000, ("127.0.0.1", 9))                           # one large datagram (longer than a 200-byte snap length)
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
u6.sendto(b"pcaplab ipv6", ("::1", 9))
time.sleep(0.2)
