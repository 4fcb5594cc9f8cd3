#!/usr/bin/env bash
# Builds the benchmark capture reproducibly from real traffic: every Ethernet classic-pcap file of the nDPI corpus
# (../shared/corpus/ndpi/pcap), merged in time order, then time-shifted copies appended until it holds >= 1,000,000
# packets. Same corpus in, same bytes out (sha256 printed). Usage: make-bench-capture.sh OUT.pcap [MIN_PACKETS]
set -euo pipefail
out=${1:?usage: make-bench-capture.sh OUT.pcap [MIN_PACKETS]}
min=${2:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
corpus=${PCAPLAB_SHARED:-$here/../../../shared}/corpus/ndpi/pcap
[ -d "$corpus" ] || { echo "corpus not found at $corpus (set PCAPLAB_SHARED)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# Ethernet, classic pcap (microsecond) only: one link type keeps the file a plain pcap every tool reads.
mapfile -t files < <(cd "$corpus" && capinfos -T -r -t -E *.pcap 2>/dev/null | awk -F'\t' '$2=="pcap" && $3=="ether" {print $1}' | LC_ALL=C sort)
(cd "$corpus" && mergecap -F pcap -w "$tmp/base.pcap" "${files[@]}")
base_packets=$(capinfos -T -r -c "$tmp/base.pcap" | awk -F'\t' '{print $2}')
copies=$(( (min + base_packets - 1) / base_packets ))
# Each copy starts 30 days after the previous one, so no flow spans two copies.
parts=()
for ((i = 0; i < copies; i++)); do
    editcap -F pcap -t $(( i * 30 * 86400 )) "$tmp/base.pcap" "$tmp/part$i.pcap"
    parts+=("$tmp/part$i.pcap")
done
mergecap -a -F pcap -w "$out" "${parts[@]}"
echo "$out: $(capinfos -T -r -c "$out" | awk -F'\t' '{print $2}') packets from ${#files[@]} corpus files x $copies copies, sha256 $(sha256sum "$out" | cut -d' ' -f1)"
