#!/usr/bin/env bash
# The demo: load the sample captures in datasets/ and show what an analyst sees first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cli=$root/artifacts/pcaplab/pcaplab
out=$root/artifacts/demo; mkdir -p "$out"
rm -f "$out/demo.duckdb" "$out/demo.duckdb.wal"
shopt -s nullglob globstar
caps=("$root"/datasets/**/*.pcap "$root"/datasets/**/*.pcapng "$root"/datasets/**/*.pcap.gz)
[ ${#caps[@]} -gt 0 ] || { echo "no sample captures in datasets/" >&2; exit 1; }
"$cli" ingest "${caps[@]}" --db "$out/demo.duckdb"
"$cli" sql --db "$out/demo.duckdb" "select capture_id, regexp_extract(path, '[^/]+$') as file, format, packets, status from captures order by 1"
"$cli" sql --db "$out/demo.duckdb" "select coalesce(src_ip, '(no ip)') as src_ip, count(*) as packets, sum(len) as bytes from packets group by 1 order by 3 desc limit 10"
