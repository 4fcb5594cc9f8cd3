#!/usr/bin/env bash
# Writes plotly.js's own attribute schema (Plotly.PlotSchema.get()) as JSON, read from the bundle in headless Chromium.
# usage: plotly-schema.sh PLOTLY_MIN_JS OUT_JSON
set -euo pipefail
here=$(dirname "$(realpath "$0")")
plotly=$(realpath "$1"); out=$2
page=$(mktemp -d)
trap 'rm -rf "$page"' EXIT
cp "$plotly" "$page/plotly.min.js"
# Base64 keeps the JSON intact through --dump-dom's HTML serialization.
cat > "$page/schema.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"><script src="plotly.min.js"></script></head><body><script>
const json = JSON.stringify(Plotly.PlotSchema.get());
const bytes = new TextEncoder().encode(json);
let bin = ''; for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
document.body.textContent = 'SCHEMA:' + btoa(bin) + ':END';
</script></body></html>
HTML
dom=$("$here/chromium.sh" dump-dom "$page/schema.html" 2>"$page/log")
b64=$(grep -o 'SCHEMA:[A-Za-z0-9+/=]*:END' <<<"$dom" | sed 's/^SCHEMA://; s/:END$//') || true
if [[ -z "$b64" ]]; then echo "plotly schema not produced; browser log:" >&2; tail -20 "$page/log" >&2; exit 1; fi
base64 -d <<<"$b64" > "$out.tmp" && mv "$out.tmp" "$out"
