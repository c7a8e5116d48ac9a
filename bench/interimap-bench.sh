#!/usr/bin/env bash
# Side-by-side benchmark of camel-interimap's interimap and the reference interimap 0.5.7
# (Debian's package) on the rig: the same configuration file, the same mail, fresh users.
#   bench/interimap-bench.sh [MESSAGES] [MAILBOXES]     (default 5000 in 10 mailboxes)
# Measures: initial sync (all mail on local, remote empty), a run with no change, and an
# incremental run (new mail, flag changes and expunges on both sides). Prints seconds and the
# ratio reference/ours (above 1: ours is faster), median of REPS (default 3) alternating runs,
# then the CPU time of the tool and of the two Dovecot servers for each run (on a small machine
# the tool and the servers share the cores, so both count).
# Needs root (installs Dovecot and the reference).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MESSAGES=${1:-5000}
MAILBOXES=${2:-10}
"$ROOT/bin/rig" start
"$ROOT/bin/rig" reference
eval "$("$ROOT/bin/rig" env)"
[ -f "$ROOT/target/camel-interimap-cli.jar" ] || (cd "$ROOT" && mvn -q -B package -DskipTests)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# populate.py USER PORT MESSAGES MAILBOXES: deterministic corpus of mixed sizes and flags
cat > "$WORK/populate.py" <<'PY'
import imaplib, random, sys
user, port, n, boxes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rnd = random.Random(42)
c = imaplib.IMAP4('127.0.0.1', port); c.login(user, 'secret')
names = ['INBOX'] + ['"Folder %d"' % i for i in range(1, boxes)]
for b in names[1:]:
    c.create(b); c.subscribe(b)
for i in range(n):
    size = rnd.choice([800, 2000, 4000, 8000, 30000])
    body = ('x' * 76 + '\r\n') * (size // 78)
    msg = ('From: bench@example.org\r\nTo: user@example.org\r\nSubject: bench %d\r\n'
           'Message-ID: <bench.%d@example.org>\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\n\r\n%s' % (i, i, body))
    flags = rnd.choice(['', r'(\Seen)', r'(\Seen \Flagged)', r'($Label1)'])
    c.append(names[i % boxes], flags or None, imaplib.Time2Internaldate(1700000000 + i), msg.encode())
c.logout()
PY
# change.py USER PORT: new mail, flag changes and expunges in three mailboxes
cat > "$WORK/change.py" <<'PY'
import imaplib, sys
user, port, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
c = imaplib.IMAP4('127.0.0.1', port); c.login(user, 'secret')
for box in ['INBOX', '"Folder 1"', '"Folder 2"']:
    c.select(box)
    c.uid('STORE', '1:40', '+FLAGS', r'(\Answered)')
    c.uid('STORE', '41:50', '+FLAGS', r'(\Deleted)'); c.expunge()
    for i in range(30):
        c.append(box, None, None, ('Subject: %s new %d\r\nMessage-ID: <%s.%d@x>\r\n\r\nnew\r\n' % (tag, i, tag, i)).encode())
c.logout()
PY

. "$ROOT/bench/rig-config.sh" # config USER DIR: the interimap configuration of the benchmarks
. "$ROOT/bench/warm-up.sh" # warm_up COMMAND...

# CPU seconds used so far by both rig servers: their masters, the live children, and the
# children already reaped (each IMAP connection is a process that ends with it)
servers_cpu() {
  local t=0 pid p f
  for pid in $(cat "$RIG_DIR/local/run/master.pid" "$RIG_DIR/remote/run/master.pid"); do
    for p in $pid $(pgrep -P "$pid"); do
      f=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null) || continue
      set -- $f
      t=$((t + ${12} + ${13} + ${14} + ${15}))
    done
  done
  echo "scale=2; $t / $(getconf CLK_TCK)" | bc
}

timed() { # timed CMD...: prints elapsed seconds; leaves the tool's and the servers' CPU in $WORK/last.cpu
  local start end s0 s1 TIMEFORMAT='%U %S'
  s0=$(servers_cpu)
  start=$(date +%s.%N)
  { time "$@" >/dev/null 2>"$WORK/last.err" || { cat "$WORK/last.err" >&2; echo "failed: $*" >&2; exit 1; }; } 2>"$WORK/last.time"
  end=$(date +%s.%N)
  sleep 0.3 # let the servers reap the connection processes
  s1=$(servers_cpu)
  read -r u s < "$WORK/last.time"
  echo "$(echo "$u + $s" | bc) $(echo "$s1 - $s0" | bc)" > "$WORK/last.cpu"
  echo "$end - $start" | bc
}

# warm-up: the first runs after a build make the class-data archive (bin/interimap); done on an
# empty account so that the measured runs are ordinary ones
mkdir -p "$WORK/warmup"; config "bench-warmup-$(date +%s%N)" "$WORK/warmup"
warm_up "$ROOT/bin/interimap" --config="$WORK/warmup/config"
interimap --config="$WORK/warmup/config" >/dev/null 2>&1 || true

REPS=${REPS:-3}
declare -A T C S
# each repetition runs both tools on fresh users, in alternating order (the rig's disks and
# caches favour neither); the table shows the median of the repetitions
for rep in $(seq 1 "$REPS"); do
  if [ $((rep % 2)) = 1 ]; then order="reference ours"; else order="ours reference"; fi
  for tool in $order; do
    user=bench-$tool-$(date +%s%N)
    dir=$WORK/$tool-$rep; mkdir -p "$dir"
    config "$user" "$dir"
    python3 "$WORK/populate.py" "$user" "$RIG_LOCAL_IMAP_PORT" "$MESSAGES" "$MAILBOXES"
    if [ $tool = reference ]; then cmd=(interimap --config="$dir/config"); else cmd=("$ROOT/bin/interimap" --config="$dir/config"); fi
    for run in initial nochange incremental; do
      if [ $run = incremental ]; then
        python3 "$WORK/change.py" "$user" "$RIG_LOCAL_IMAP_PORT" local
        python3 "$WORK/change.py" "$user" "$RIG_REMOTE_IMAP_PORT" remote
      fi
      T[$tool,$run]+="$(timed "${cmd[@]}") "
      read -r tool_cpu servers_cpu < "$WORK/last.cpu"
      C[$tool,$run]+="$tool_cpu "; S[$tool,$run]+="$servers_cpu "
    done
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores; median of $REPS"
printf '%-34s %10s %10s %8s\n' "interimap, $MESSAGES msgs / $MAILBOXES mailboxes" reference ours ratio
for run in initial nochange incremental; do
  r=$(echo "${T[reference,$run]}" | median); o=$(echo "${T[ours,$run]}" | median)
  printf '%-34s %9.2fs %9.2fs %7.2fx   (reference: %s; ours: %s)\n' "$run" "$r" "$o" "$(echo "$r / $o" | bc -l)" \
    "${T[reference,$run]% }" "${T[ours,$run]% }"
done
echo "CPU seconds, median (tool user+sys / both Dovecot servers):"
for run in initial nochange incremental; do
  printf '%-34s reference %5.2f / %5.2f   ours %5.2f / %5.2f\n' "$run" \
    "$(echo "${C[reference,$run]}" | median)" "$(echo "${S[reference,$run]}" | median)" \
    "$(echo "${C[ours,$run]}" | median)" "$(echo "${S[ours,$run]}" | median)"
done
