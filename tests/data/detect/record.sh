#!/usr/bin/env bash
# Records the real attack captures for the detection rules that datasets/ does not cover (udp_flood, icmp_flood,
# ftp_brute_force, http_auth_brute_force, high_volume, beaconing), each with benign traffic beside it that must not fire.
# Real tools (hping3, vsftpd + curl, python http.server + curl, iperf3) inside a private network namespace with only lo,
# so no packet can leave the box; tcpdump on that lo. Servers 127.10.0.x, attackers 127.66.2.x, benign clients 127.20.2.x.
# Every traffic command is bounded in count and time (timeout 120 around each).
#
# Usage: sudo tests/data/detect/record.sh   (needs root; writes the *.pcap files next to this script)
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export TZ=UTC LC_ALL=C
NS=pcaplab-rc
PY=/usr/bin/python3

die() { echo "record: $*" >&2; exit 1; }
say() { echo "== $*" >&2; }
[[ $(id -u) -eq 0 ]] || die "needs root (network namespace, raw sockets for hping3, vsftpd)"
missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need tcpdump tcpdump; need hping3 hping3; need /usr/sbin/vsftpd vsftpd; need iperf3 iperf3; need curl curl
need ip iproute2; need "$PY" python3; need capinfos wireshark-common; need timeout coreutils
((${#missing[@]})) && die "missing tools; run: apt-get install -y $(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')"

WORK=$(mktemp -d /tmp/pcaplab-rc.XXXXXX)
chmod 755 "$WORK"
PIDS=()
kill_ns_pids() {
  local p
  if ip netns list 2>/dev/null | grep -qw "^$NS"; then
    # Only processes this script started live in the namespace it created, so ending them by id is safe.
    for p in $(ip netns pids "$NS" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
    sleep 0.5
    for p in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  fi
}
cleanup() {
  local rc=$?
  set +e
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  kill_ns_pids
  ip netns del "$NS" 2>/dev/null
  rm -rf "$WORK"
  ((rc)) && echo "record: failed (exit $rc); namespace and temp files cleaned up" >&2
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

nsx() { ip netns exec "$NS" timeout 120 "$@"; }
# Background servers: a bare `ip netns exec` so $! is the server itself (ip execs into it).
bg() { ip netns exec "$NS" "$@" & PIDS+=($!); }
stop() { local p; for p in "$@"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }

# capture NAME SNAPLEN FILTER: starts tcpdump on the namespace's lo; `finish` stops it and reports the file.
capture() {
  CAP_FILE=$WORK/$1.pcap
  ip netns exec "$NS" tcpdump -i lo -U -n -s "$2" -w "$CAP_FILE" "$3" 2>"$WORK/$1.tcpdump.log" &
  CAP_PID=$!
  sleep 1.5
}
finish() {
  sleep 1
  kill -INT "$CAP_PID"; wait "$CAP_PID" 2>/dev/null || true
  mv "$CAP_FILE" "$HERE/"
  say "$(basename "$CAP_FILE"): $(capinfos -c -M "$HERE/$(basename "$CAP_FILE")" | awk -F': *' '/Number of packets/ {print $2}') packets, $(stat -c %s "$HERE/$(basename "$CAP_FILE")") bytes"
}

ip netns del "$NS" 2>/dev/null || true
ip netns add "$NS"
ip netns exec "$NS" ip link set lo up

# ---------------------------------------------------------------------------------------------- udp-flood.pcap
# hping3 UDP flood (3000 packets, 300 us apart) from 127.66.2.1 at a collector on 127.10.0.1:9999 that never answers;
# meanwhile benign 127.20.2.1 sends 20 requests, 0.1 s apart, to an echo service on 127.10.0.2:9998 that answers each.
say "udp-flood"
bg "$PY" "$HERE/udp.py" sink 127.10.0.1 9999; SINK=$!
bg "$PY" "$HERE/udp.py" echo 127.10.0.2 9998; ECHO=$!
sleep 0.5
capture udp-flood 96 "udp or icmp"
nsx "$PY" "$HERE/udp.py" client 127.20.2.1 127.10.0.2 9998 20 0.1 &
BENIGN=$!
nsx hping3 --udp -I lo -a 127.66.2.1 -p 9999 -c 3000 -i u300 -q 127.10.0.1 >/dev/null 2>&1 || true   # hping3 exits 1 when nothing answers
wait "$BENIGN"
finish
stop "$SINK" "$ECHO"

# ---------------------------------------------------------------------------------------------- icmp-flood.pcap
# hping3 ICMP echo flood (2000 requests, 300 us apart) from 127.66.2.2 at 127.10.0.3 (the kernel answers each);
# benign 127.20.2.2 pings 127.10.0.4 five times, 0.2 s apart (hping3 -1 too: the image has no iputils ping).
say "icmp-flood"
capture icmp-flood 96 "icmp"
nsx hping3 -1 -I lo -a 127.20.2.2 -c 5 -i u200000 -q 127.10.0.4 >/dev/null 2>&1 &
BENIGN=$!
nsx hping3 -1 -I lo -a 127.66.2.2 -c 2000 -i u300 -q 127.10.0.3 >/dev/null 2>&1 || true
wait "$BENIGN"
finish

# ---------------------------------------------------------------------------------------------- ftp-brute.pcap
# vsftpd (throwaway config, anonymous read-only + local users through PAM, default 1 s delay after a failed login)
# on 127.10.0.5:21. 127.66.2.3 tries 20 passwords for "admin", one curl connection each (USER/PASS, 530, close);
# benign 127.20.2.3 lists the anonymous area twice.
say "ftp-brute"
mkdir -p "$WORK/ftp/pub"; echo "readme" >"$WORK/ftp/pub/README.txt"; chmod -R go-w "$WORK/ftp"
cat >"$WORK/vsftpd.conf" <<EOF
listen=YES
listen_ipv6=NO
listen_address=127.10.0.5
listen_port=21
background=NO
anonymous_enable=YES
anon_root=$WORK/ftp
no_anon_password=YES
local_enable=YES
write_enable=NO
pam_service_name=vsftpd
secure_chroot_dir=/var/run/vsftpd/empty
pasv_address=127.10.0.5
pasv_min_port=40000
pasv_max_port=40100
xferlog_enable=NO
seccomp_sandbox=NO
EOF
mkdir -p /var/run/vsftpd/empty
bg /usr/sbin/vsftpd "$WORK/vsftpd.conf"; FTPD=$!
sleep 0.5
capture ftp-brute 0 "tcp"
for i in $(seq 1 20); do
  nsx curl -s --interface 127.66.2.3 --max-time 10 "ftp://admin:Winter20$i@127.10.0.5/" >/dev/null || true  # 67: login denied
done
for i in 1 2; do
  nsx curl -s --interface 127.20.2.3 --max-time 10 "ftp://127.10.0.5/pub/" >/dev/null
  sleep 2
done
finish
stop "$FTPD"

# ---------------------------------------------------------------------------------------------- http-auth-brute.pcap
# authd.py (Basic auth, 401 on wrong credentials) on 127.10.0.6:8081. 127.66.2.5 guesses 40 passwords for "admin"
# with curl, then the right one; benign 127.20.2.5 mistypes twice, then logs in.
say "http-auth-brute"
bg "$PY" "$HERE/authd.py" 127.10.0.6 8081 admin 'correct-horse'; AUTHD=$!
sleep 0.5
capture http-auth-brute 0 "tcp port 8081"
nsx curl -s -o /dev/null --interface 127.20.2.5 -u admin:corect-horse http://127.10.0.6:8081/admin/
for i in $(seq 1 40); do
  nsx curl -s -o /dev/null --interface 127.66.2.5 -u "admin:password$i" http://127.10.0.6:8081/admin/
  [[ $i == 20 ]] && nsx curl -s -o /dev/null --interface 127.20.2.5 -u admin:correct-hrose http://127.10.0.6:8081/admin/
done
nsx curl -s -o /dev/null --interface 127.66.2.5 -u admin:correct-horse http://127.10.0.6:8081/admin/
nsx curl -s -o /dev/null --interface 127.20.2.5 -u admin:correct-horse http://127.10.0.6:8081/admin/
finish
stop "$AUTHD"

# ---------------------------------------------------------------------------------------------- high-volume.pcap
# iperf3 server on 127.10.0.7:5201. 127.66.2.4 uploads 60 MiB; six benign clients 127.20.2.11-16 upload 100 KiB each.
# Headers only (-s 96): volume is counted from the IP total length, not from the captured bytes.
say "high-volume"
bg iperf3 -s -B 127.10.0.7 -p 5201; IPERF=$!
sleep 0.5
capture high-volume 96 "tcp port 5201"
for i in 11 12 13; do nsx iperf3 -c 127.10.0.7 -p 5201 -B 127.20.2.$i -n 100K >/dev/null; done
nsx iperf3 -c 127.10.0.7 -p 5201 -B 127.66.2.4 -n 60M >/dev/null
for i in 14 15 16; do nsx iperf3 -c 127.10.0.7 -p 5201 -B 127.20.2.$i -n 100K >/dev/null; done
finish
stop "$IPERF"

# ---------------------------------------------------------------------------------------------- beaconing.pcap
# python http.server on 127.10.0.8:8080. 127.66.2.6 fetches the same URL every 2 s, 26 times (a timer-driven implant);
# at the same time benign 127.20.2.6 browses 25 pages with the irregular pauses of someone reading.
say "beaconing"
mkdir -p "$WORK/www"
for p in index about contact blog products news help; do
  "$PY" -c "import sys; print('<html><body>' + ' '.join(['$p'] * int(sys.argv[1])) + '</body></html>')" $((RANDOM % 400 + 20)) >"$WORK/www/$p.html"
done
echo '{"task":"none"}' >"$WORK/www/task.json"
(cd "$WORK/www" && exec ip netns exec "$NS" "$PY" -m http.server 8080 --bind 127.10.0.8 >/dev/null 2>&1) & PIDS+=($!); WEB=$!
sleep 0.5
capture beaconing 96 "tcp port 8080"
(
  for i in $(seq 1 26); do
    nsx curl -s -o /dev/null --interface 127.66.2.6 -A "Mozilla/4.0 (compatible; MSIE 7.0)" http://127.10.0.8:8080/task.json
    sleep 2
  done
) &
BEACON=$!
pages=(index about blog products news help contact blog index news about products help blog contact index news products about help blog index contact news products)
pauses=(1.2 4.5 0.4 2.1 7.8 1.0 0.6 3.3 1.6 9.5 0.5 2.4 1.1 5.9 0.3 1.9 3.0 0.8 6.6 1.4 2.7 0.5 4.1 1.3 0)
for i in $(seq 0 24); do
  nsx curl -s -o /dev/null --interface 127.20.2.6 "http://127.10.0.8:8080/${pages[$i]}.html"
  sleep "${pauses[$i]}"
done
wait "$BEACON"
finish
stop "$WEB"

say "done"
