#!/usr/bin/env bash
# Records the dissector's test captures in two throwaway network namespaces (run as root; removes them on exit).
# Traffic only flows inside those namespaces. See README.md for what each file holds.
set -euo pipefail
cd "$(dirname "$0")"
A=pcl-da B=pcl-db
inA() { ip netns exec $A "$@"; }
inB() { ip netns exec $B "$@"; }
cleanup() { [ -n "${S4:-}" ] && { kill $S4 $S6 2>/dev/null || true; }; ip netns del $A 2>/dev/null || true; ip netns del $B 2>/dev/null || true; }
trap cleanup EXIT
cleanup

# start_capture NS FILE ARGS...: tcpdump in NS, in the background, until stop_capture.
start_capture() { local ns=$1 file=$2; shift 2; ip netns exec "$ns" timeout 20 tcpdump -U -n -s 256 -w "$file" "$@" 2>/dev/null & CAP=$!; sleep 1; }
stop_capture() { sleep 1; kill -INT $CAP 2>/dev/null || true; wait $CAP 2>/dev/null || true; }

ip netns add $A; ip netns add $B
inA ip link set lo up; inB ip link set lo up
ip link add da0 netns $A type veth peer name db0 netns $B
inB ip link set db0 address 02:00:00:00:77:02
inA ip link set da0 address 02:00:00:00:77:01
inB ip addr add 10.77.0.2/24 dev db0; inB ip addr add fd77::2/64 dev db0 nodad
inB ip link set db0 up

# veth-basic: IPv6 bring-up (MLD with hop-by-hop, DAD), ARP, ICMP, ICMPv6 neighbour discovery and echo, UDP over both.
start_capture $B veth-basic.pcap -i db0 -c 40
inA ip addr add 10.77.0.1/24 dev da0; inA ip addr add fd77::1/64 dev da0 nodad
inA ip link set da0 up; sleep 2
inA python3 craft.py icmp 10.77.0.2
inA python3 craft.py icmp fd77::2
inA python3 craft.py udp 10.77.0.2 9999 20
inA python3 craft.py udp fd77::2 9999 20
stop_capture

# frag: a 3000-byte ICMP echo and UDP datagram over IPv4 and IPv6 across the 1500-byte veth.
start_capture $B frag.pcap -i db0 -c 24 ip or ip6
inA python3 craft.py icmp 10.77.0.2 3000
inA python3 craft.py icmp fd77::2 3000
inA python3 craft.py udp 10.77.0.2 9 3000
inA python3 craft.py udp fd77::2 9 3000
stop_capture

# ext6: UDP over IPv6 with a hop-by-hop header, then with a destination options header.
start_capture $B ext6.pcap -i db0 -c 6 ip6 and not icmp6
inA python3 craft.py ext6 fd77::2
stop_capture

# tcp-http-lo: curl against python's http.server on loopback, IPv4 and IPv6 (TCP options: MSS, SACK, timestamps, WS).
# Called directly, not through inA, so that $! is the server itself (ip netns exec execs it) and kill reaches it.
ip netns exec $A python3 -m http.server 8080 --bind 127.0.0.1 >/dev/null 2>&1 & S4=$!
ip netns exec $A python3 -m http.server 8081 --bind ::1 >/dev/null 2>&1 & S6=$!
sleep 1
start_capture $A tcp-http-lo.pcap -i lo -c 40 tcp
inA curl -s -o /dev/null --max-time 5 http://127.0.0.1:8080/
inA curl -s -o /dev/null --max-time 5 -g 'http://[::1]:8081/'
stop_capture

# sll / sll2: Linux cooked captures on "any" (v1 forced with -y LINUX_SLL; v2 is tcpdump's default).
start_capture $A sll.pcap -i any -y LINUX_SLL -c 20
inA python3 craft.py icmp 10.77.0.2
inA python3 craft.py icmp6 fd77::2 2>/dev/null || inA python3 craft.py icmp fd77::2
inA curl -s -o /dev/null --max-time 5 http://127.0.0.1:8080/
stop_capture
start_capture $A sll2.pcap -i any -c 20
inA python3 craft.py icmp 10.77.0.2
inA python3 craft.py icmp fd77::2
inA curl -s -o /dev/null --max-time 5 http://127.0.0.1:8080/
stop_capture
kill $S4 $S6 2>/dev/null || true

# l2: 802.1Q, 802.1ad QinQ, MPLS (IPv4, IPv6, pseudowire with control word), PPPoE, 802.1ah, VN-Tag, ARP frames.
start_capture $B l2.pcap -i db0 -c 11 not ip6
inA python3 craft.py l2 da0
stop_capture

# tunnels: GRE variants and ERSPAN I/II/III, IPIP, 6in4, 4in6, 6in6, Geneve, GTP-U, Teredo, AYIYA (and the ICMP errors
# the receiving namespace answers with, quoting the tunnel packets).
start_capture $B tunnels.pcap -i db0 -c 60 not arp and not icmp6[0] == 135 and not icmp6[0] == 136
inA python3 craft.py tunnels 10.77.0.2 fd77::2
stop_capture

# vxlan: the kernel's own VXLAN (VNI 42, port 4789) between the namespaces; ICMP and UDP inside.
inA ip link add vx0 type vxlan id 42 dstport 4789 remote 10.77.0.2 local 10.77.0.1 dev da0
inB ip link add vx0 type vxlan id 42 dstport 4789 remote 10.77.0.1 local 10.77.0.2 dev db0
inA ip addr add 10.78.0.1/24 dev vx0; inB ip addr add 10.78.0.2/24 dev vx0
inA ip link set vx0 up; inB ip link set vx0 up
start_capture $B vxlan.pcap -i db0 -c 12 udp port 4789
inA python3 craft.py icmp 10.78.0.2
inA python3 craft.py udp 10.78.0.2 7777 30
stop_capture

# rawip-tun: a tun device has no link header, so tcpdump writes LINKTYPE_RAW.
inA python3 craft.py tun tn0 & TUN=$!
sleep 1
start_capture $A rawip-tun.pcap -i tn0 -c 8 not icmp6
wait $TUN
stop_capture
ls -l *.pcap
