#!/usr/bin/env bash
# Where users feel the speed: ours against the reference interimap/pullimap 0.5.7 (Debian) on
# the rig, every row side by side, the two tools interleaved (alternating which goes first),
# median of REPS runs, printed as a markdown table with the ratio ours / reference (below 1:
# ours is faster).
#   bench/speed-bench.sh [ROWS...]      rows: loopback rtt mailboxes notify pullimap (default all)
# Environment: REPS (default 3), LOOPBACK_MESSAGES (5000), RTT_MESSAGES (2000), MAILBOXES (10),
#   MANY_MAILBOXES (1000), DELAY_MS (25: each direction through bench/delay-proxy.py, a 50 ms
#   round trip), LATENCY_ROUNDS (7), PULL_MESSAGES (1000).
# Every run uses fresh user names (bench-speed-...), so it never touches anyone else's mail.
# Needs the rig running (bin/rig start), the reference tools (bin/rig reference) and python3.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROWS=${*:-loopback rtt mailboxes notify pullimap}
REPS=${REPS:-3}
LOOPBACK_MESSAGES=${LOOPBACK_MESSAGES:-5000}
RTT_MESSAGES=${RTT_MESSAGES:-2000}
MAILBOXES=${MAILBOXES:-10}
MANY_MAILBOXES=${MANY_MAILBOXES:-1000}
DELAY_MS=${DELAY_MS:-25}
LATENCY_ROUNDS=${LATENCY_ROUNDS:-7}
PULL_MESSAGES=${PULL_MESSAGES:-1000}
"$ROOT/bin/rig" status >/dev/null 2>&1 || { echo "the rig is not running (bin/rig start)" >&2; exit 1; }
command -v interimap >/dev/null && command -v pullimap >/dev/null || { echo "reference tools missing (bin/rig reference)" >&2; exit 1; }
eval "$("$ROOT/bin/rig" env | sed 's/^/export /')"
[ -f "$ROOT/target/camel-interimap.jar" ] || (cd "$ROOT" && mvn -q -B package -DskipTests)
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
. "$ROOT/bench/rig-config.sh" # config USER DIR
. "$ROOT/bench/warm-up.sh" # warm_up COMMAND...
RUN=$(date +%s)-$$
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

cat > "$WORK/mail.py" <<'PY'
# mail.py PORT USER populate MESSAGES MAILBOXES | change TAG MAILBOXES | latency DST_PORT DST_USER ROUNDS TAG
import imaplib, random, sys, time
port, user, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3]
c = imaplib.IMAP4('127.0.0.1', port); c.login(user, 'secret')
def names(boxes):
    return ['INBOX'] + ['"Folder %d"' % i for i in range(1, boxes)]
if cmd == 'populate':  # deterministic corpus of mixed sizes and flags, round robin over the mailboxes
    n, boxes = int(sys.argv[4]), int(sys.argv[5])
    rnd = random.Random(42)
    for b in names(boxes)[1:]:
        c.create(b); c.subscribe(b)
    for i in range(n):
        size = rnd.choice([800, 2000, 4000, 8000, 30000])
        body = ('x' * 76 + '\r\n') * (size // 78)
        msg = ('From: bench@example.org\r\nTo: user@example.org\r\nSubject: bench %d\r\n'
               'Message-ID: <bench.%d@example.org>\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\n\r\n%s' % (i, i, body))
        flags = rnd.choice(['', r'(\Seen)', r'(\Seen \Flagged)', r'($Label1)'])
        c.append(names(boxes)[i % boxes], flags or None, imaplib.Time2Internaldate(1700000000 + i), msg.encode())
elif cmd == 'change':  # flag changes, expunges and new mail in (up to) three mailboxes
    tag, boxes = sys.argv[4], int(sys.argv[5])
    for box in names(boxes)[:3]:
        c.select(box)
        c.uid('STORE', '1:40', '+FLAGS', r'(\Answered)')
        c.uid('STORE', '41:50', '+FLAGS', r'(\Deleted)'); c.expunge()
        for i in range(34):
            c.append(box, None, None, ('Subject: %s new %d\r\nMessage-ID: <%s.%d@x>\r\n\r\nnew\r\n' % (tag, i, tag, i)).encode())
elif cmd == 'one':  # one new message in the last mailbox
    c.append(names(int(sys.argv[4]))[-1], None, None, b'Subject: one\r\nMessage-ID: <one@x>\r\n\r\none\r\n')
elif cmd == 'latency':  # APPEND here, then wait until the other account's INBOX has it; prints ms
    def dst():
        d = imaplib.IMAP4('127.0.0.1', int(sys.argv[4])); d.login(sys.argv[5], 'secret'); d.select('INBOX', readonly=True)
        return d
    d = dst()
    out = []
    for r in range(int(sys.argv[6])):
        subject = '%s-%d-%d' % (sys.argv[7], r, random.randrange(10**9))
        time.sleep(1.0)
        try:
            t = time.time()
            c.append('INBOX', None, None, ('Subject: %s\r\nMessage-ID: <%s@x>\r\n\r\nping\r\n' % (subject, subject)).encode())
            while not d.uid('SEARCH', None, 'SUBJECT', '"%s"' % subject)[1][0]:
                if time.time() - t > 60:
                    raise OSError('not there after 60 s')
                time.sleep(0.003); d.noop()
            out.append('%.0f' % ((time.time() - t) * 1000))
        except (imaplib.IMAP4.abort, OSError) as e:  # a server restarted by someone else: skip the round
            print('latency round skipped: %s' % e, file=sys.stderr)
            time.sleep(3)
            c = imaplib.IMAP4('127.0.0.1', port); c.login(user, 'secret'); d = dst()
    print(' '.join(out))
c.logout()
PY
mail() { python3 "$WORK/mail.py" "$@"; }

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

timed() { # timed CMD...: elapsed seconds; nothing when the tool failed (a shared rig restarted, say)
  local start end
  start=$(date +%s.%N)
  if ! "$@" >/dev/null 2>"$WORK/last.err"; then
    { cat "$WORK/last.err"; echo "failed (not counted): $*"; } >&2
    return 0
  fi
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

tool_cmd() { # tool_cmd TOOL CONFIG: sets CMD
  if [ "$1" = reference ]; then CMD=(interimap --config="$2"); else CMD=("$ROOT/bin/interimap" --config="$2"); fi
}

declare -A T       # T[row,tool] = "seconds seconds ..."
ORDER=()           # rows in the order they are printed
record() { # record ROW TOOL VALUE (an empty VALUE, a failed run, is left out)
  [[ " ${ORDER[*]-} " == *" $1 "* ]] || ORDER+=("$1")
  T[$1,$2]+="${3:+$3 }"
}

# proxies DELAY: local and remote through the delay proxy; prints nothing, sets PROXY_* ports
start_proxy() {
  PROXY_LOCAL=$((30000 + RANDOM % 10000)); PROXY_REMOTE=$((PROXY_LOCAL + 1))
  python3 "$ROOT/bench/delay-proxy.py" "$DELAY_MS" "$PROXY_LOCAL:$RIG_LOCAL_IMAP_PORT" \
    "$PROXY_REMOTE:$RIG_REMOTE_IMAPS_PORT" > "$WORK/proxy.out" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 50); do grep -q ready "$WORK/proxy.out" 2>/dev/null && return; sleep 0.1; done
  echo "delay proxy did not start" >&2; exit 1
}

# warm-up: the first runs after a build make bin/interimap's class-data archive
mkdir -p "$WORK/warmup"; config "bench-speed-warmup-$RUN" "$WORK/warmup"
warm_up "$ROOT/bin/interimap" --config="$WORK/warmup/config"
interimap --config="$WORK/warmup/config" >/dev/null 2>&1 || true

order_for() { if [ $(($1 % 2)) = 1 ]; then echo "reference ours"; else echo "ours reference"; fi; }

# sync_rows LABEL MESSAGES MAILBOXES CHANGE [proxy]: initial, no change and incremental runs
sync_rows() {
  local label=$1 messages=$2 boxes=$3 change=$4 via=${5:-} rep tool dir user key=$RANDOM
  for rep in $(seq 1 "$REPS"); do
    for tool in $(order_for "$rep"); do
      user=bench-speed-$tool-$RUN-$key-$rep
      dir=$WORK/$tool-$key-$rep; mkdir -p "$dir"
      config "$user" "$dir"
      if [ "$via" = proxy ]; then
        sed -i -e "0,/^port = .*/s//port = $PROXY_LOCAL/" -e "/^\[remote\]/,\$s/^port = .*/port = $PROXY_REMOTE/" "$dir/config"
      fi
      mail "$RIG_LOCAL_IMAP_PORT" "$user" populate "$messages" "$boxes"
      tool_cmd $tool "$dir/config"
      record "$label: initial" $tool "$(timed "${CMD[@]}")"
      record "$label: no change" $tool "$(timed "${CMD[@]}")"
      if [ "$change" = incremental ]; then
        mail "$RIG_LOCAL_IMAP_PORT" "$user" change local "$boxes"
        mail "$RIG_REMOTE_IMAP_PORT" "$user" change remote "$boxes"
        record "$label: incremental (flags, expunges, 200 new)" $tool "$(timed "${CMD[@]}")"
      else
        mail "$RIG_LOCAL_IMAP_PORT" "$user" one "$boxes"
        record "$label: one change" $tool "$(timed "${CMD[@]}")"
      fi
    done
  done
}

table() {
  echo
  echo "$(nproc) cores; load average before: $LOAD_BEFORE, now: $(cut -d' ' -f1-3 /proc/loadavg); median of $REPS interleaved runs (latencies: of every round)"
  echo
  echo "| run | reference | ours | ratio ours/reference |"
  echo "|---|---|---|---|"
  for row in "${ORDER[@]}"; do
    r=$(echo "${T[$row,reference]-}" | median); o=$(echo "${T[$row,ours]-}" | median)
    case $row in *"(ms)"*|*"msgs/s"*) f='%.0f' ;; *) f='%.2f s' ;; esac
    if [ "${r:-0}" = 0 ] || [ "${o:-0}" = 0 ]; then ratio=n/a; else ratio=$(printf '%.2f' "$(echo "$o / $r" | bc -l)"); fi
    printf "| %s | $f | $f | %s |\n" "$row" "${r:-0}" "${o:-0}" "$ratio"
  done
  echo
  echo "all runs:"
  for row in "${ORDER[@]}"; do echo "  $row: reference ${T[$row,reference]-}; ours ${T[$row,ours]-}"; done
}

for row in $ROWS; do
  case $row in
    loopback) sync_rows "loopback, $LOOPBACK_MESSAGES msgs / $MAILBOXES mailboxes" "$LOOPBACK_MESSAGES" "$MAILBOXES" incremental ;;
    rtt) start_proxy; sync_rows "$((2 * DELAY_MS)) ms RTT, $RTT_MESSAGES msgs / $MAILBOXES mailboxes" "$RTT_MESSAGES" "$MAILBOXES" incremental proxy ;;
    mailboxes) sync_rows "$MANY_MAILBOXES mailboxes x 1 msg" "$MANY_MAILBOXES" "$MANY_MAILBOXES" one ;;
    notify)
      # a synced pair, the tool under --notify; APPEND on local, time until remote has it
      for rep in 1 2; do
        for tool in $(order_for "$rep"); do
          user=bench-speed-$tool-$RUN-notify-$rep
          dir=$WORK/$tool-notify-$rep; mkdir -p "$dir"; config "$user" "$dir"
          tool_cmd $tool "$dir/config"
          mail "$RIG_LOCAL_IMAP_PORT" "$user" populate 3 1
          "${CMD[@]}" >/dev/null 2>&1
          "${CMD[@]}" --notify >/dev/null 2>&1 & pid=$!; PIDS+=($pid)
          sleep 5
          # a first round, not counted: the reference may take long to see the first change
          mail "$RIG_LOCAL_IMAP_PORT" "$user" latency "$RIG_REMOTE_IMAP_PORT" "$user" 1 w >/dev/null
          for ms in $(mail "$RIG_LOCAL_IMAP_PORT" "$user" latency "$RIG_REMOTE_IMAP_PORT" "$user" $(( (LATENCY_ROUNDS + 1) / 2 )) n); do
            record "--notify: APPEND on one side -> on the other (ms)" $tool "$ms"
          done
          kill "$pid"; wait "$pid" 2>/dev/null || true
        done
      done ;;
    pullimap)
      for rep in $(seq 1 "$REPS"); do
        for tool in $(order_for "$rep"); do
          tag=$tool-$RUN-$rep
          cat > "$WORK/pull-$tag.conf" <<CONF
[bench]
type = imap
host = 127.0.0.1
port = $RIG_LOCAL_IMAP_PORT
STARTTLS = YES
SSL_CAfile = $RIG_CA_FILE
username = bench-speed-src-$tag
password = secret
deliver-method = lmtp:[127.0.0.1]:$RIG_REMOTE_LMTP_PORT
deliver-rcpt = bench-speed-dst-$tag
statefile = $WORK/pull-$tag.state
CONF
          if [ $tool = reference ]; then CMD=(pullimap); else CMD=("$ROOT/bin/pullimap"); fi
          if [ "$rep" = 1 ]; then # the reference's first run; ours makes its class-data archive
            if [ $tool = reference ]; then "${CMD[@]}" --config="$WORK/pull-$tag.conf" -q bench >/dev/null 2>&1 || true
            else warm_up "${CMD[@]}" --config="$WORK/pull-$tag.conf" -q bench; fi
          fi
          mail "$RIG_LOCAL_IMAP_PORT" "bench-speed-src-$tag" populate "$PULL_MESSAGES" 1
          s=$(timed "${CMD[@]}" --config="$WORK/pull-$tag.conf" -q bench)
          [ -n "$s" ] && record "pullimap: $PULL_MESSAGES msgs into LMTP (msgs/s, higher is better)" $tool "$(echo "$PULL_MESSAGES / $s" | bc -l | xargs printf '%.0f')"
          if [ "$rep" -le 2 ]; then
            "${CMD[@]}" --config="$WORK/pull-$tag.conf" -q --idle bench >/dev/null 2>&1 & pid=$!; PIDS+=($pid)
            sleep 3
            for ms in $(mail "$RIG_LOCAL_IMAP_PORT" "bench-speed-src-$tag" latency "$RIG_REMOTE_IMAP_PORT" "bench-speed-dst-$tag" $(( (LATENCY_ROUNDS + 1) / 2 )) p); do
              record "pullimap --idle: APPEND -> delivered (ms)" $tool "$ms"
            done
            kill "$pid"; wait "$pid" 2>/dev/null || true
          fi
        done
      done ;;
    *) echo "unknown row $row" >&2; exit 2 ;;
  esac
  [ "$row" = "${ROWS##* }" ] || table >&2 # the table so far (on stderr), in case a later row fails
done

table
