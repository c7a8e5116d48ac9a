#!/usr/bin/env bash
# pullimap benchmark on the rig: ours against the reference pullimap 0.5.7 (Debian), same servers.
#   1. throughput: N messages pulled from the local server over IMAP (STARTTLS) and delivered
#      into the remote server over its LMTP; messages per second, whole run (JVM start included);
#   2. --idle latency: a message APPENDed while the tool idles, time until it is in the
#      recipient's mailbox (median of ROUNDS).
# Usage: bench/pullimap-bench.sh [N] [ROUNDS]   (needs the rig: bin/rig start; python3)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${1:-1000}
ROUNDS=${2:-5}
JAR=$ROOT/target/camel-interimap-cli.jar
"$ROOT/bin/rig" start >/dev/null
eval "$("$ROOT/bin/rig" env | sed 's/^/export /')"
command -v pullimap >/dev/null || "$ROOT/bin/rig" reference >/dev/null
[ -f "$JAR" ] || (cd "$ROOT" && mvn -q -B package -DskipTests)
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait; rm -rf "$WORK"' EXIT

# bin/pullimap execs java (same PID, so it can be stopped like the reference)
OURS=("$ROOT/bin/pullimap")
REF=(pullimap)

# imap.py PORT USER put N TAG | count | wait TAG: a tiny IMAP client (python3 imaplib)
cat >"$WORK/imap.py" <<'PY'
import imaplib, sys, time
port, user, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3]
m = imaplib.IMAP4('127.0.0.1', port); m.login(user, 'secret')
body = ('x' * 72 + '\r\n') * 40
if cmd == 'put':
    for i in range(int(sys.argv[4])):
        m.append('INBOX', None, None, ('From: bench@example.org\r\nTo: you@example.org\r\nSubject: %s %d\r\n'
                 'Message-ID: <%s.%d@bench>\r\n\r\n%s' % (sys.argv[5], i, sys.argv[5], i, body)).encode())
elif cmd == 'count':
    m.select('INBOX', readonly=True); print(len(m.uid('SEARCH', None, 'ALL')[1][0].split()))
elif cmd == 'wait':  # prints the seconds until a message with the given subject is there
    start = float(sys.argv[5]); m.select('INBOX', readonly=True)
    while not m.uid('SEARCH', None, 'SUBJECT', '"%s"' % sys.argv[4])[1][0]:
        time.sleep(0.005); m.noop()
    print('%.3f' % (time.time() - start))
PY
imap() { python3 "$WORK/imap.py" "$@"; }

config() { # config TOOL -> a config file for a fresh source user and recipient
  local tag=$1-$$-$RANDOM
  cat >"$WORK/$1.conf" <<CONF
[bench]
type = imap
host = 127.0.0.1
port = $RIG_LOCAL_IMAP_PORT
STARTTLS = YES
SSL_CAfile = $RIG_CA_FILE
username = src-$tag
password = secret
deliver-method = lmtp:[127.0.0.1]:$RIG_REMOTE_LMTP_PORT
deliver-rcpt = dst-$tag
statefile = $WORK/$1.state
CONF
  echo "src-$tag dst-$tag"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# warm-up: the first real runs after a build make bin/pullimap's class-data archive
. "$ROOT/bench/warm-up.sh"
read -r src dst < <(config warmup)
warm_up "${OURS[@]}" --config="$WORK/warmup.conf" -q bench

echo "pullimap benchmark: $N messages of $(( (72 + 2) * 40 / 1024 + 1 )) KiB over IMAP+STARTTLS -> LMTP, idle latency median of $ROUNDS"
for tool in ref ours; do
  if [ $tool = ref ]; then cmd=("${REF[@]}"); else cmd=("${OURS[@]}"); fi
  read -r src dst < <(config $tool)
  imap "$RIG_LOCAL_IMAP_PORT" "$src" put "$N" "bulk"
  start=$(date +%s.%N)
  "${cmd[@]}" --config="$WORK/$tool.conf" -q bench
  end=$(date +%s.%N)
  got=$(imap "$RIG_REMOTE_IMAP_PORT" "$dst" count)
  [ "$got" = "$N" ] || { echo "$tool delivered $got of $N" >&2; exit 1; }
  printf '%-5s throughput: %6.1f messages/s (%.2f s for %d)\n' "$tool" \
    "$(echo "$N / ($end - $start)" | bc -l)" "$(echo "$end - $start" | bc -l)" "$N"

  "${cmd[@]}" --config="$WORK/$tool.conf" -q --idle bench & pid=$!
  sleep 3
  lat=()
  for r in $(seq 1 "$ROUNDS"); do
    t=$(date +%s.%N)   # latency counts from just before the APPEND
    imap "$RIG_LOCAL_IMAP_PORT" "$src" put 1 "idle$r"
    lat+=("$(imap "$RIG_REMOTE_IMAP_PORT" "$dst" wait "idle$r 0" "$t")")
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  printf '%-5s idle latency: median %s s (%s)\n' "$tool" "$(printf '%s\n' "${lat[@]}" | median)" "${lat[*]}"
done
