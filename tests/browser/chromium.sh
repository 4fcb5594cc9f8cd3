#!/usr/bin/env bash
# Headless Chromium with the network disabled, for tests that open local HTML files.
# usage: chromium.sh dump-dom FILE [BUDGET_MS]            -> serialized DOM on stdout, browser log on stderr
#        chromium.sh screenshot FILE PNG [WIDTH,HEIGHT]   -> PNG written, browser log on stderr
set -euo pipefail
mode=$1; file=$(realpath "$2")
browser=${CHROMIUM:-/usr/bin/chromium}
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --no-default-browser-check
       --disable-background-networking --disable-component-update --disable-sync --disable-extensions
       --disable-dev-shm-usage --user-data-dir="$profile"
       # Every host fails to resolve and every proxied request goes to a closed port: a report must not need the network.
       "--host-resolver-rules=MAP * ~NOTFOUND" --proxy-server=127.0.0.1:9
       --enable-logging=stderr --v=0 --hide-scrollbars)
case $mode in
  dump-dom)   exec "$browser" "${flags[@]}" --virtual-time-budget="${3:-10000}" --dump-dom "file://$file" ;;
  screenshot) exec "$browser" "${flags[@]}" --virtual-time-budget=10000 --window-size="${4:-1280,2000}" --screenshot="$3" "file://$file" ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
