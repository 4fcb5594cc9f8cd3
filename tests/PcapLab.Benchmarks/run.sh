#!/usr/bin/env bash
# Times `pcaplab ingest` against tshark, ndpiReader, argus and tcpdump (the read floor) on the same >= 1M-packet
# capture, in one run, and prints a markdown table of packets/s, ratios and peak RSS (artifacts/bench/results.md).
# Usage: tests/PcapLab.Benchmarks/run.sh [CAPTURE]   (default: builds artifacts/bench/bench.pcap with make-bench-capture.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
out=$root/artifacts/bench; mkdir -p "$out"
cli=${PCAPLAB_CLI:-$root/artifacts/pcaplab/pcaplab}
cap=${1:-$out/bench.pcap}
[ -f "$cap" ] || "$here/make-bench-capture.sh" "$cap"
packets=$(capinfos -T -r -c "$cap" | awk -F'\t' '{print $2}')
results=$out/results.tsv; : > "$results"

# run NAME CMD...: wall seconds and peak RSS (KB) via /usr/bin/time; output discarded.
run() {
    local name=$1; shift
    sync; cat "$cap" > /dev/null   # same warm page cache for every tool
    /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > "$out/$name.out" 2> "$out/$name.err" || { echo "$name failed, see $out/$name.err" >&2; return 1; }
    read -r secs rss < "$out/time.txt"
    printf '%s\t%s\t%s\n' "$name" "$secs" "$rss" >> "$results"
    echo "$name: ${secs}s, peak RSS ${rss} KB" >&2
}

rm -f "$out/bench.duckdb" "$out/bench.duckdb.wal"
run pcaplab "$cli" ingest "$cap" --db "$out/bench.duckdb" --quiet
run pcaplab-packets-only "$cli" ingest "$cap" --db "$out/bench-packets.duckdb" --quiet --no-flows
rm -f "$out/bench-packets.duckdb"
run tcpdump tcpdump -n -r "$cap" -w /dev/null
run ndpiReader ndpiReader -i "$cap" -q
run argus argus -r "$cap" -w /dev/null
run tshark tshark -n -r "$cap" -T fields -e frame.number -e frame.time_epoch -e frame.len -e ip.src -e ip.dst -e ip.proto \
    -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport

pcaplab_secs=$(awk -F'\t' '$1=="pcaplab" {print $2}' "$results")
{
    echo "Capture: $(basename "$cap"), $packets packets, $(du -m "$cap" | cut -f1) MB; $(nproc) cores; $(date -u +%Y-%m-%d)"
    echo
    echo "| tool | seconds | packets/s | pcaplab speed-up (tool time / pcaplab time) | peak RSS (MB) |"
    echo "|---|---:|---:|---:|---:|"
    while IFS=$'\t' read -r name secs rss; do
        pps=$(awk -v p="$packets" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? p / s : 0) }')
        ratio=$(awk -v a="$secs" -v b="$pcaplab_secs" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
        printf '| %s | %s | %s | %s× | %.0f |\n' "$name" "$secs" "$pps" "$ratio" "$(awk -v r="$rss" 'BEGIN { print r / 1024 }')"
    done < "$results"
} | tee "$out/results.md"
