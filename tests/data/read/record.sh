#!/bin/bash
# Records the read-stage test captures in two private network namespaces (nothing reaches the host's networks).
# Run as root from tests/data/read. Needs tcpdump, dumpcap, editcap, gzip, python3, iproute2.
set -euo pipefail
A=plread-a; B=plread-b
cleanup() { ip netns del $A 2>/dev/null || true; ip netns del $B 2>/dev/null || true; }
trap cleanup EXIT
cleanup
ip netns add $A; ip netns add $B
ip link add plr-a type veth peer name plr-b
ip link set plr-a netns $A; ip link set plr-b netns $B
ip -n $A addr add 10.213.7.1/24 dev plr-a; ip -n $B addr add 10.213.7.2/24 dev plr-b
for ns in $A $B; do ip -n $ns link set lo up; done
ip -n $A link set plr-a up; ip -n $B link set plr-b up
sleep 1   # let IPv6 DAD/router noise settle before recording

# record NAME CAPTURE-COMMAND...: runs the capture in plread-a for 3 s while traffic.py runs once.
record() {
  local out=$1; shift
  ip netns exec $A timeout -s INT 4 "$@" &
  local pid=$!
  sleep 1.5
  ip netns exec $A python3 traffic.py
  wait $pid || true
  echo "$out: $(capinfos -c -M "$out" | awk -F: '/Number of packets/{print $2}') packets"
}
record lo-usec.pcap        tcpdump -i lo -n -U -w lo-usec.pcap
record lo-nsec.pcap        tcpdump -i lo -n -U --time-stamp-precision=nano -w lo-nsec.pcap
record lo-snap200.pcap     tcpdump -i lo -n -U -s 200 -w lo-snap200.pcap
record three-if.pcapng     dumpcap -q -i lo -i plr-a -i any -w three-if.pcapng
record veth.pcapng         dumpcap -q -i plr-a -w veth.pcapng
chmod 644 *.pcap *.pcapng

# Derived files (same packets, other containers):
cat three-if.pcapng veth.pcapng > two-sections.pcapng              # pcapng allows concatenated sections
editcap -F modpcap lo-usec.pcap lo-usec-modified.pcap              # Kuznetzov's modified pcap (a1b2cd34)
gzip -9 -n -c lo-usec.pcap > lo-usec-gzip.pcap                     # gzip detected by magic, not by name
gzip -9 -n -c three-if.pcapng > three-if.pcapng.gz
python3 make-bigendian.py lo-usec.pcap lo-usec-be.pcap
python3 make-bigendian.py lo-nsec.pcap lo-nsec-be.pcap
python3 make-bigendian.py two-sections.pcapng two-sections-be.pcapng
