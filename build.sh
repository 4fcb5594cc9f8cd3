#!/usr/bin/env bash
# PcapLab build: set-up (Debian packages, pinned libduckdb), Release build, CLI publish, and the verbs below.
#   ./build.sh          set up and build; the CLI lands in artifacts/pcaplab/pcaplab
#   ./build.sh test     set up, build, run every test suite
#   ./build.sh demo     set up, build, run the demo
#   ./build.sh bench    set up, build, run the benchmarks (figures go to tests/PcapLab.Benchmarks/README.md)
#   ./build.sh setup    only the set-up
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD

# One pinned libduckdb: the npm package's version and its registry integrity (sha512, base64).
DUCKDB_NPM_PACKAGE=@duckdb/node-bindings-linux-x64
DUCKDB_NPM_VERSION=1.5.2-r.1
DUCKDB_NPM_INTEGRITY=sha512-pcQvZRHiIfJ9cq8parkSQczQHEml/IeGfnDCMAbEgD6+jaV9Y9Y5Ph1kP9aR+bm6him1S5ZIEr3kZbihjKnWbA==
PLOTLY_NPM_VERSION=3.3.0
PLOTLY_NPM_INTEGRITY=sha512-XENvNJRiMmoMsktlO2DA635vmLU8Be0eIy2Y58is9qudNQqpvGBu4y50cBj7rl1hS3htP+1XnCUrFmyvwbtP0w==

RUNTIME_PACKAGES=(libpcap0.8 libzmq5 libxgboost0)
TEST_PACKAGES=(tshark tcpdump python3-jupyter-kernel-test jupyter-nbconvert python3-nbformat jupyter-client
               jupyter-console python3-ipykernel libndpi-bin argus-client chromium gzip iproute2)

log() { printf '[build] %s\n' "$*" >&2; }
die() { printf '[build] error: %s\n' "$*" >&2; exit 1; }

need_cmd() { command -v "$1" >/dev/null 2>&1 || die "$1 is required: $2"; }

apt_install() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"
        else die "missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}"; fi
    fi
    log "installing Debian packages: ${missing[*]}"
    $sudo apt-get update -q >/dev/null || true
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install failed for: ${missing[*]}"
}

# fetch_npm PACKAGE VERSION INTEGRITY FILE-IN-PACKAGE DEST-DIR: one pinned npm tarball, integrity-checked, one file kept.
fetch_npm() {
    local package=$1 version=$2 integrity=$3 file=$4 dest=$5
    local stamp="$dest/$(basename "$file").version"
    if [ -f "$dest/$(basename "$file")" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then return 0; fi
    need_cmd npm "install Node.js and npm (Debian: apt-get install npm)"
    local tmp; tmp=$(mktemp -d)
    log "fetching $file from $package@$version"
    (cd "$tmp" && npm pack --silent "$package@$version" >/dev/null 2>&1) || die "npm could not fetch $package@$version"
    local tgz; tgz=$(ls "$tmp"/*.tgz)
    local got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
    [ "$got" = "$integrity" ] || die "integrity mismatch for $package@$version: expected $integrity, got $got"
    mkdir -p "$dest"
    tar -xzf "$tgz" -C "$tmp"
    # A new inode, not an overwrite: a running process may have the old library mapped.
    cp "$tmp/package/$file" "$dest/.$(basename "$file").new" && mv -f "$dest/.$(basename "$file").new" "$dest/$(basename "$file")"
    [ -f "$tmp/package/LICENSE" ] && cp "$tmp/package/LICENSE" "$dest/LICENSE.$(basename "$file")"
    echo "$version" > "$stamp"
    rm -rf "$tmp"
}

setup() {
    need_cmd dotnet "install the .NET 10 SDK"
    apt_install "${RUNTIME_PACKAGES[@]}"
    if [ "${1:-}" = test ] || [ "${1:-}" = bench ] || [ "${1:-}" = demo ]; then apt_install "${TEST_PACKAGES[@]}"; fi
    fetch_npm "$DUCKDB_NPM_PACKAGE" "$DUCKDB_NPM_VERSION" "$DUCKDB_NPM_INTEGRITY" libduckdb.so "$ROOT/.cache/native"
    fetch_npm plotly.js-dist-min "$PLOTLY_NPM_VERSION" "$PLOTLY_NPM_INTEGRITY" plotly.min.js "$ROOT/.cache/plotly"
}

build() {
    log "building (Release)"
    dotnet build "$ROOT/PcapLab.sln" -c Release -nologo -v quiet -clp:NoSummary
    log "publishing the CLI to artifacts/pcaplab/"
    # ReadyToRun: the CLI starts from precompiled code instead of JIT-compiling its hot paths while it ingests.
    dotnet publish "$ROOT/src/PcapLab.Cli/PcapLab.Cli.csproj" -c Release -nologo -v quiet -r linux-x64 --self-contained false \
        -p:PublishReadyToRun=true -o "$ROOT/artifacts/pcaplab" >/dev/null
    [ -x "$ROOT/artifacts/pcaplab/pcaplab" ] || die "publish did not produce artifacts/pcaplab/pcaplab"
}

run_tests() {
    export PCAPLAB_CLI="$ROOT/artifacts/pcaplab/pcaplab"
    local rc=0
    dotnet test "$ROOT/PcapLab.sln" -c Release --no-build -nologo --logger "console;verbosity=normal" \
        --results-directory "$ROOT/artifacts/test-results" 2>&1 | tee "$ROOT/artifacts/test.log" | grep -vE '^\s+Passed ' || true
    # dotnet test's exit status is lost in the pipe: read its totals instead.
    local passed failed skipped
    # grep finds nothing when a count is absent; that is 0, not a failure of the script.
    passed=$({ grep -Eo 'Passed: +[0-9]+' "$ROOT/artifacts/test.log" || true; } | awk '{s+=$2} END {print s+0}')
    failed=$({ grep -Eo 'Failed: +[0-9]+' "$ROOT/artifacts/test.log" || true; } | awk '{s+=$2} END {print s+0}')
    skipped=$({ grep -Eo 'Skipped: +[0-9]+' "$ROOT/artifacts/test.log" || true; } | awk '{s+=$2} END {print s+0}')
    if grep -qE 'error (CS|MSB|NU)|Test Run Aborted|The active test run was aborted' "$ROOT/artifacts/test.log"; then failed=$((failed + 1)); fi
    echo "$passed passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ] || rc=1
    return $rc
}

verb=${1:-build}
case "$verb" in
    setup) setup all ;;
    build) setup build; build ;;
    test) setup test; build; run_tests ;;
    demo) setup demo; build; "$ROOT/tests/demo.sh" ;;
    bench) setup bench; build; "$ROOT/tests/PcapLab.Benchmarks/run.sh" ;;
    *) die "unknown verb '$verb' (use: build, test, demo, bench, setup)" ;;
esac
