#!/usr/bin/env bash
# Re-records the captures in this folder with real clients and servers on loopback (and, for fragments, inside a
# network namespace created here). Needs root, tcpdump, python3, curl, dnsmasq, dig, openssl, sshd/ssh, iproute2.
# Every traffic loop is bounded; nothing leaves 127.0.0.0/8, ::1 or the namespace.
set -euo pipefail
cd "$(dirname "$0")"
T=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$T"' EXIT
cap() { tcpdump -U -i "$1" -s 0 -w "$2" "$3" 2>/dev/null & CAP=$!; sleep 1; }
stop() { sleep 1; kill $CAP 2>/dev/null || true; wait $CAP 2>/dev/null || true; kill $SRV 2>/dev/null || true; wait $SRV 2>/dev/null || true; }

# http.pcap: curl GET, HEAD and POST (501 with body) against python3 http.server; two pipelined requests on one socket.
mkdir -p "$T/www"; echo "hello pcaplab" > "$T/www/index.html"; echo xx > "$T/www/x"
(cd "$T/www" && timeout 20 python3 -m http.server 18080 --bind 127.0.0.1 --protocol HTTP/1.1 >/dev/null 2>&1) & SRV=$!; sleep 1
cap lo http.pcap "tcp port 18080"
curl -s -A "pcaplab-test/1.0" -e "http://ref.test/" http://127.0.0.1:18080/ >/dev/null
curl -s -I http://127.0.0.1:18080/x >/dev/null
curl -s -X POST -H "Content-Type: application/json" -d '{"a":1}' http://127.0.0.1:18080/post >/dev/null || true
python3 - <<'PY'
import socket
s = socket.create_connection(("127.0.0.1", 18080), timeout=5)
s.sendall(b"GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
while s.recv(65536): pass
s.close()
PY
stop

# dns.pcap: dig against dnsmasq on 127.0.0.2:5354 (not 5353, which tshark decodes as mDNS) over UDP and TCP (A, AAAA, MX, TXT, CNAME, PTR, NXDOMAIN).
timeout 20 dnsmasq --no-daemon --conf-file=/dev/null --no-resolv --no-hosts --bind-interfaces \
  --listen-address=127.0.0.2 --port=5354 --pid-file="$T/dnsmasq.pid" \
  --host-record=www.pcaplab.test,10.1.2.3,fd00::3 --mx-host=pcaplab.test,mail.pcaplab.test,10 \
  --txt-record=pcaplab.test,"v=spf1 -all" --cname=alias.pcaplab.test,www.pcaplab.test \
  --ptr-record=3.2.1.10.in-addr.arpa,www.pcaplab.test >/dev/null 2>&1 & SRV=$!; sleep 1
cap lo dns.pcap "port 5354"
for q in "www.pcaplab.test A" "www.pcaplab.test AAAA" "pcaplab.test MX" "pcaplab.test TXT" "alias.pcaplab.test A" \
         "3.2.1.10.in-addr.arpa PTR" "nothere.pcaplab.test A"; do
  dig @127.0.0.2 -p 5354 +tries=1 +time=2 $q >/dev/null || true
done
dig @127.0.0.2 -p 5354 +tcp +tries=1 +time=2 www.pcaplab.test A >/dev/null || true
dig @127.0.0.2 -p 5354 +tcp +tries=1 +time=2 pcaplab.test MX >/dev/null || true
stop

# tls.pcap: openssl s_client with SNI and ALPN against openssl s_server, TLS 1.2 and 1.3, plus curl.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/k.pem" -out "$T/c.pem" -days 2 -subj /CN=tls.pcaplab.test 2>/dev/null
timeout 25 openssl s_server -accept 127.0.0.1:14433 -cert "$T/c.pem" -key "$T/k.pem" -www -alpn h2,http/1.1 >/dev/null 2>&1 & SRV=$!; sleep 1
cap lo tls.pcap "tcp port 14433"
echo | timeout 5 openssl s_client -connect 127.0.0.1:14433 -servername tls13.pcaplab.test -alpn h2,http/1.1 -tls1_3 >/dev/null 2>&1 || true
echo | timeout 5 openssl s_client -connect 127.0.0.1:14433 -servername tls12.pcaplab.test -alpn http/1.1 -tls1_2 >/dev/null 2>&1 || true
timeout 5 curl -sk https://localhost:14433/ >/dev/null || true
stop

# ssh.pcap: a real sshd (throwaway config and host key) on 127.0.0.1:12222; ssh with BatchMode fails auth after the banners and key exchange.
mkdir -p /run/sshd; ssh-keygen -q -t ed25519 -N "" -f "$T/hk"
timeout 20 /usr/sbin/sshd -D -e -f /dev/null -o Port=12222 -o ListenAddress=127.0.0.1 -o HostKey="$T/hk" \
  -o PidFile="$T/sshd.pid" -o UsePAM=no >/dev/null 2>&1 & SRV=$!; sleep 1
cap lo ssh.pcap "tcp port 12222"
timeout 5 ssh -p 12222 -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null nobody@127.0.0.1 true >/dev/null 2>&1 || true
stop

# frag.pcap: a DNS TXT answer of ~3 KB over a veth pair with MTU 1280 between two namespaces, IPv4 and IPv6 (dig +bufsize=4096).
ip netns del plrec-a 2>/dev/null || true; ip netns del plrec-b 2>/dev/null || true
ip netns add plrec-a; ip netns add plrec-b
ip link add plrec0 netns plrec-a type veth peer name plrec1 netns plrec-b
ip -n plrec-a addr add 10.77.0.1/24 dev plrec0; ip -n plrec-b addr add 10.77.0.2/24 dev plrec1
ip -n plrec-a addr add fd77::1/64 dev plrec0 nodad; ip -n plrec-b addr add fd77::2/64 dev plrec1 nodad
for n in a b; do ip -n plrec-$n link set lo up; done
ip -n plrec-a link set plrec0 mtu 1280 up; ip -n plrec-b link set plrec1 mtu 1280 up
BIG=$(python3 -c 'print(",".join([chr(97+i%26)*250 for i in range(12)]))')
timeout 20 ip netns exec plrec-b dnsmasq --no-daemon --conf-file=/dev/null --no-resolv --no-hosts --bind-interfaces \
  --listen-address=10.77.0.2 --listen-address=fd77::2 --port=53 --edns-packet-max=4096 --pid-file="$T/dnsmasq2.pid" \
  --txt-record="big.pcaplab.test,$BIG" >/dev/null 2>&1 & SRV=$!; sleep 1
ip netns exec plrec-a tcpdump -U -i plrec0 -s 0 -w frag.pcap udp or ip[6:2] '&' 0x3fff != 0 or ip6 2>/dev/null & CAP=$!; sleep 1
ip netns exec plrec-a dig @10.77.0.2 +bufsize=4096 +ignore +tries=1 +time=2 big.pcaplab.test TXT >/dev/null || true
ip netns exec plrec-a dig @fd77::2 +bufsize=4096 +ignore +tries=1 +time=2 big.pcaplab.test TXT >/dev/null || true
stop
ip netns del plrec-a; ip netns del plrec-b
ls -l *.pcap
