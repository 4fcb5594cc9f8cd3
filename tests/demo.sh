#!/usr/bin/env bash
# The demo: run the triage notebook headless on the sample captures and write the offline report.
#   tests/demo.sh [CAPTURES]     CAPTURES: a path or glob, relative to the repository root
# Without an argument it loads datasets/**/*.pcap (the labeled sample captures); when that matches nothing (a clone
# without datasets/), it loads tests/data/records/*.pcap, the real loopback captures the record tests use.
# Outputs: artifacts/demo/report.html (one self-contained file, no network) and artifacts/demo/01-triage.executed.ipynb.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cli=$root/artifacts/pcaplab/pcaplab
out=$root/artifacts/demo
[ -x "$cli" ] || { echo "demo: $cli is missing; run ./build.sh first" >&2; exit 1; }
mkdir -p "$out"

pcaps=${1:-}
if [ -z "$pcaps" ]; then
    shopt -s nullglob globstar
    samples=("$root"/datasets/**/*.pcap)
    if [ ${#samples[@]} -gt 0 ]; then pcaps='datasets/**/*.pcap'; else pcaps='tests/data/records/*.pcap'; fi
fi
echo "demo: loading $pcaps" >&2

cd "$root"
artifacts/pcaplab/pcaplab run notebooks/01-triage.ipynb -p "pcaps=$pcaps" \
    --html artifacts/demo/report.html --output artifacts/demo/01-triage.executed.ipynb
echo "demo: open $out/report.html in a browser (it works offline)" >&2
