#!/usr/bin/env bash
# The B2BUA load benchmark of issue 4 (a benchmark, not a test). Loopback only.
#
#   bench/b2bua-load.sh [RATE ...]          default rates: 250 500 1000 1500 2000 2500 3000 calls/s
#
# 1. builds b2bua-core/target/edgesbc.jar (when missing or older than the sources) and the test
#    classes (for the topology checker);
# 2. starts EdgeSBC (`java -jar edgesbc.jar run --config bench/b2bua-bench.yaml`): SIPp UAC ->
#    127.0.0.1:25060 (realm outside) -> EdgeSBC -> 127.0.0.1:25090 (SIPp UAS, realm inside);
# 3. topology check: a short traced run (SIPp -trace_msg on both sides) checked with
#    io.edgesbc.server.scenarios.TopologyCheck; a speed figure counts only when it passes;
# 4. through EdgeSBC, for each rate upwards: SIPp UAC at that rate for BENCH_SECONDS (15 s) with
#    calls of length 0; a rate passes with < 0.1% failed calls and p99 of
#    INVITE -> 200 >= 50 ms, or SIPp could not create the calls at that rate); every rate is tried
#    unless one loses more than 5% of its calls;
# 5. through EdgeSBC: calls of BENCH_LONG_CALL_MS (30 s) at the highest passing rate (concurrent
#    calls = rate x 30 s, each with two relay port pairs: the bench config gives each realm
#    11,000 pairs, on 127.0.0.1 and 127.0.0.2; the rate is lowered so that at most 10,000 calls
#    are up);
# 6. a JFR recording of EdgeSBC (jcmd JFR.start, settings=default: 20 ms execution samples; the
#    "profile" settings cost too much on 2 shared cores) during a run at the highest
#    passing rate (the first rate when none passed), summarised as the top sampled frames;
# 7. the same search and the long calls with SIPp UAC -> SIPp UAS directly: the harness ceiling
#    (BENCH_DIRECT=0 skips it, e.g. when comparing builds or JVM options).
#
# Figures per run: calls, successful, failed, the rate SIPp achieved, p50/p99 of INVITE -> 200
# (SIPp response time 1, -trace_rtt), EdgeSBC's CPU ms per call (utime+stime from /proc/PID/stat)
# and RSS (VmRSS, VmHWM). Everything lands in BENCH_OUT (default target/bench-b2bua-DATE), with a
# summary.md. Every SIPp run is bounded by -m, -timeout and `timeout`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
jar="$root/b2bua-core/target/edgesbc.jar"
classes="$root/b2bua-core/target/test-classes"
out="${BENCH_OUT:-$root/target/bench-b2bua-$(date -u +%Y%m%dT%H%M%SZ)}"
seconds="${BENCH_SECONDS:-15}"
long_call_ms="${BENCH_LONG_CALL_MS:-30000}"
direct="${BENCH_DIRECT:-1}"
warmup_calls="${BENCH_WARMUP_CALLS:-40000}"
warmup_rate="${BENCH_WARMUP_RATE:-1000}"
# Every relayed call holds four sockets (RTP + RTCP on each realm): raise the descriptor limit.
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# ZGC as `./edgesbc run` uses it (G1's young pauses exceed T1 under this load: docs/BENCHMARKS.md).
java_opts="${EDGESBC_JAVA_OPTS:--XX:+UseZGC -Xms4g -Xmx4g}"
if [ $# -gt 0 ]; then rates=("$@"); else rates=(250 500 1000 1500 2000 2500 3000); fi

# SIPp's sockets get 4 MiB buffers as EdgeSBC's do (transport.udp_receive_buffer): with its
# default of 64 kB, SIPp's own sockets dropped thousands of datagrams per run when the two cores
# were busy (per-socket drops in /proc/net/udp: EdgeSBC's 0, SIPp's UAS 4,786 in one 2,000/s run),
# and each drop came back as a retransmission: harness loss, not EdgeSBC's. Direct runs use it too.
sipp_buffers="-buff_size ${BENCH_SIPP_BUFFER:-4194304}"
sbc_port=25060
sbc_inside_port=25070
uas_port=25090
uac_port=25100
admin=http://127.0.0.1:25080
tick="$(getconf CLK_TCK)"
mkdir -p "$out"
summary="$out/summary.md"
: >"$summary"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$out/bench.log" >&2; }

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# ---------------------------------------------------------------------------- build
stale() { [ ! -f "$1" ] || [ -n "$(find "$root/pom.xml" "$root"/*/pom.xml "$root"/*/src/$2 -newer "$1" -type f -print -quit 2>/dev/null)" ]; }
if stale "$jar" main; then
  log "building $jar"
  (cd "$root" && mvn -q -B -o -DskipTests -pl b2bua-core -am package) >"$out/build.log" 2>&1
fi
checker="$classes/io/edgesbc/server/scenarios/TopologyCheck.class"
if stale "$checker" test; then
  log "compiling the test classes (topology checker)"
  (cd "$root" && mvn -q -B -o -pl b2bua-core -am test-compile) >"$out/build-tests.log" 2>&1
fi

# ---------------------------------------------------------------------------- processes
sbc_pid=""
start_sbc() {
  log "starting EdgeSBC: java $java_opts -jar $jar run --config $bench/b2bua-bench.yaml"
  # shellcheck disable=SC2086
  java $java_opts "-Xlog:gc:file=$out/gc.log" -jar "$jar" run --config "$bench/b2bua-bench.yaml" >"$out/edgesbc.log" 2>&1 &
  sbc_pid=$!
  pids+=("$sbc_pid")
  for _ in $(seq 1 100); do
    curl -sf "$admin/ready" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  log "EdgeSBC did not become ready"; tail -20 "$out/edgesbc.log" >&2; exit 1
}
stop_sbc() {
  kill -TERM "$sbc_pid" 2>/dev/null || true
  timeout 20 tail --pid="$sbc_pid" -f /dev/null || kill -KILL "$sbc_pid" 2>/dev/null || true
  sbc_pid=""
}

uas_pid=""
start_uas() { # $1: work dir, $2...: extra SIPp options
  local dir="$1"; shift
  mkdir -p "$dir"
  (cd "$dir" && exec sipp -sf "$bench/sipp/uas.xml" -i 127.0.0.1 -p "$uas_port" -t u1 $sipp_buffers -nostdin -trace_err \
      -timeout 900s "$@" >"$dir/uas.out" 2>&1) &
  uas_pid=$!
  pids+=("$uas_pid")
  sleep 0.5
}
stop_uas() {
  kill -INT "$uas_pid" 2>/dev/null || true
  timeout 10 tail --pid="$uas_pid" -f /dev/null || kill -KILL "$uas_pid" 2>/dev/null || true
  uas_pid=""
}

cpu_ticks() { [ -n "$sbc_pid" ] && awk '{print $14 + $15}' "/proc/$sbc_pid/stat" || echo 0; }
rss_kb() { [ -n "$sbc_pid" ] && awk -v k="$1" '$1 == k":" {print $2}' "/proc/$sbc_pid/status" || echo 0; }
# UDP datagrams the kernel dropped because a socket's receive buffer was full (all sockets:
# EdgeSBC's and SIPp's); a dropped INVITE or 200 comes back as a retransmission after T1.
udp_rcvbuf_drops() { awk '$1 == "Udp:" && $6 ~ /^[0-9]+$/ {print $6}' /proc/net/snmp; }
# The same per socket, for the sockets bound to local port $1 (the last column of /proc/net/udp):
# tells EdgeSBC's SIP sockets from SIPp's.
port_drops() {
  awk -v port="$(printf '%04X' "$1")" 'NR > 1 { split($2, a, ":"); if (a[2] == port) d += $NF } END { print d + 0 }' \
      /proc/net/udp
}

# ---------------------------------------------------------------------------- one run
# run NAME TARGET_PORT RATE CALL_MS -> writes NAME/result (key=value lines), returns 0 if it passed
run() {
  local name="$1" port="$2" rate="$3" call_ms="$4"
  local dir="$out/$name" calls=$((rate * seconds))
  local limit=$((rate * (call_ms / 1000 + 10) + 1000))
  local bound=$((seconds * 3 + call_ms / 1000 + 40))
  mkdir -p "$dir"
  local cpu0 cpu1 t0 t1 drops0 drops1 sbc0 sbc1 uas0 uas1
  cpu0=$(cpu_ticks); t0=$(date +%s.%N); drops0=$(udp_rcvbuf_drops)
  sbc0=$(( $(port_drops "$sbc_port") + $(port_drops "$sbc_inside_port") )); uas0=$(port_drops "$uas_port")
  (cd "$dir" && timeout $((bound + 15)) sipp -sf "$bench/sipp/uac.xml" -i 127.0.0.1 -p "$uac_port" -t u1 $sipp_buffers \
      -r "$rate" -m "$calls" -d "$call_ms" -l "$limit" -nostdin -timeout "${bound}s" -recv_timeout 20000 \
      -trace_err -trace_stat -stf stat.csv -fd 1 -trace_rtt -rtt_freq 100 \
      "127.0.0.1:$port" >"$dir/uac.out" 2>&1) || true
  t1=$(date +%s.%N); cpu1=$(cpu_ticks); drops1=$(udp_rcvbuf_drops)
  sbc1=$(( $(port_drops "$sbc_port") + $(port_drops "$sbc_inside_port") )); uas1=$(port_drops "$uas_port")
  python3 - "$dir" "$rate" "$calls" "$seconds" "$((cpu1 - cpu0))" "$tick" "$(rss_kb VmRSS)" "$(rss_kb VmHWM)" \
      "$t0" "$t1" "$((drops1 - drops0))" "$((sbc1 - sbc0))" "$((uas1 - uas0))" <<'PY'
import csv, glob, math, sys
d, rate, calls, secs, ticks, tick, rss, hwm, t0, t1, drops, sbc_drops, uas_drops = sys.argv[1:]
rate, calls, secs, ticks, tick = int(rate), int(calls), int(secs), int(ticks), int(tick)
rows = list(csv.reader(open(d + "/stat.csv"), delimiter=";")) if glob.glob(d + "/stat.csv") else []
ok = failed = created_at = None
def seconds(hms):
    p = hms.split(":")
    return int(p[0]) * 3600 + int(p[1]) * 60 + float(p[2]) + (float(p[3]) / 1e6 if len(p) > 3 else 0)
if len(rows) > 1:
    h = rows[0]
    col = {n: i for i, n in enumerate(h)}
    last = rows[-1]
    ok, failed = int(last[col["SuccessfulCall(C)"]]), int(last[col["FailedCall(C)"]])
    prev_t, prev_n = 0.0, 0
    for r in rows[1:]:
        t, n = seconds(r[col["ElapsedTime(C)"]]), int(r[col["OutgoingCall(C)"]])
        if n >= calls:
            # the stats come once a second: interpolate within the second the last call was made
            created_at = prev_t + (calls - prev_n) / max(n - prev_n, 1) * (t - prev_t)
            break
        prev_t, prev_n = t, n
rtts = []
for f in glob.glob(d + "/*_rtt.csv"):
    for line in open(f):
        p = line.strip().split(";")
        if len(p) >= 3 and p[2] == "1":
            try:
                rtts.append(float(p[1]))
            except ValueError:
                pass
rtts.sort()
pct = lambda q: rtts[min(len(rtts) - 1, max(0, math.ceil(q * len(rtts)) - 1))] if rtts else float("nan")
ok = ok or 0
not_ok = calls - ok
achieved = calls / created_at if created_at else calls / max(secs, float(t1) - float(t0))
cpu_ms = ticks * 1000.0 / tick
res = dict(rate=rate, calls=calls, successful=ok, failed=not_ok, failed_pct=100.0 * not_ok / calls,
           achieved_rate=round(achieved), p50_ms=pct(0.50), p99_ms=pct(0.99), rtt_samples=len(rtts),
           sbc_cpu_ms=round(cpu_ms), sbc_cpu_us_per_call=round(1000 * cpu_ms / max(ok, 1), 1),
           sbc_rss_mb=round(int(rss or 0) / 1024), sbc_hwm_mb=round(int(hwm or 0) / 1024),
           wall_s=round(float(t1) - float(t0), 1), udp_rcvbuf_drops=int(drops),
           sbc_sip_socket_drops=int(sbc_drops), uas_socket_drops=int(uas_drops))
# Passed: < 0.1% failed calls, p99 < 50 ms, and SIPp created the calls at (95% of) the rate.
res["passed"] = bool(not_ok < 0.001 * calls and rtts and pct(0.99) < 50 and achieved >= 0.95 * rate)
with open(d + "/result", "w") as f:
    for k, v in res.items():
        f.write(f"{k}={v}\n")
print(" ".join(f"{k}={v}" for k, v in res.items()))
sys.exit(0 if res["passed"] else 1)
PY
}

row() { # NAME LABEL -> a Markdown table row from NAME/result
  local f="$out/$1/result"
  [ -f "$f" ] || return 0
  # shellcheck disable=SC1090
  ( . <(sed 's/^/r_/' "$f")
    echo "| $2 | $r_rate | $r_calls | $r_successful | $r_failed ($r_failed_pct %) | $r_achieved_rate | $r_p50_ms | $r_p99_ms | $r_sbc_cpu_us_per_call | $r_sbc_rss_mb / $r_sbc_hwm_mb | $r_passed |" ) >>"$summary"
}

search() { # PREFIX PORT -> prints the highest passing rate (0 if none)
  # Every rate is tried (on a shared machine one noisy step says little), unless a step lost more
  # than 5% of its calls: then the server (or SIPp) is drowning and higher rates are pointless.
  local best=0
  for rate in "${rates[@]}"; do
    log "$1: $rate calls/s for $seconds s, calls of 0 s"
    if run "$1-$rate" "$2" "$rate" 0 >>"$out/bench.log"; then
      best=$rate
    else
      [ -f "$out/$1.first-failing" ] || echo "$rate" >"$out/$1.first-failing"
    fi
    tail -1 "$out/bench.log" >&2
    if awk -F= '$1 == "failed_pct" && $2 > 5 {bad = 1} END {exit !bad}' "$out/$1-$rate/result"; then
      log "$1: more than 5% failed at $rate calls/s: stopping"
      break
    fi
    sleep 3
  done
  echo "$best"
}

# ---------------------------------------------------------------------------- 1. topology
{
  echo "# B2BUA load benchmark $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- command: \`bench/b2bua-load.sh ${*:-}\` (rates ${rates[*]}, $seconds s per rate, long calls $((long_call_ms / 1000)) s)"
  echo "- build: $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$root" && git diff --quiet 2>/dev/null || echo ' (uncommitted changes)')"
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- EdgeSBC JVM: java $java_opts ($(java -version 2>&1 | sed -n "1,1p"))"
  echo
} >>"$summary"

start_sbc
# Warm-up (JIT): a cold JVM on a busy machine answers its first calls late enough for Timer A
# to retransmit INVITEs, which SIPp's UAS then takes for unexpected messages.
# Warm-up long enough for C2 to compile the whole call path: with 3,000 calls at 300/s the first
# measured rates still saw compilation stalls. It lasts longer than 64*T1 (32 s), so that the
# transactions' last timers (J, L, M: RFC 3261 §17.2.2, RFC 6026) fire during the warm-up: with
# a 20 s warm-up, the first measured rate stalled in every series 32 s after the warm-up began,
# when the warm-up's calls started to expire (not yet compiled code is the likely cause; a 40 s
# warm-up removed the stall: docs/BENCHMARKS.md, 2026-12-07).
log "warm-up: $warmup_calls calls at $warmup_rate calls/s"
start_uas "$out/warm-up"
(cd "$out/warm-up" && timeout $((warmup_calls / warmup_rate + 60)) sipp -sf "$bench/sipp/uac.xml" -i 127.0.0.1 -p "$uac_port" -t u1 $sipp_buffers -r "$warmup_rate" -m "$warmup_calls" \
    -nostdin -timeout "$((warmup_calls / warmup_rate + 20))s" "127.0.0.1:$sbc_port" >"$out/warm-up/uac.out" 2>&1) || true
stop_uas
sleep 2
log "topology check: 200 calls at 100 calls/s, traced on both sides"
start_uas "$out/topology" -trace_msg -message_file "$out/topology/uas-messages.log"
(cd "$out/topology" && timeout 60 sipp -sf "$bench/sipp/uac.xml" -i 127.0.0.1 -p "$uac_port" -t u1 $sipp_buffers -r 100 -m 200 \
    -nostdin -timeout 30s -trace_err -trace_msg -message_file "$out/topology/uac-messages.log" \
    "127.0.0.1:$sbc_port" >"$out/topology/uac.out" 2>&1) || true
stop_uas
if java -cp "$classes" io.edgesbc.server.scenarios.TopologyCheck "$out/topology/uac-messages.log" "$uac_port" \
    "$out/topology/uas-messages.log" "$uas_port" >"$out/topology/check.txt" 2>&1; then
  topology="passed"
else
  topology="FAILED"
fi
log "topology check $topology: $(sed -n 1p "$out/topology/check.txt")"
echo "- topology check on this build (200 traced calls): **$topology**: $(sed -n 1p "$out/topology/check.txt")" >>"$summary"
echo >>"$summary"

# ---------------------------------------------------------------------------- 2.-4. through EdgeSBC
start_uas "$out/uas-sbc"
best_sbc=$(search sbc "$sbc_port")
log "through EdgeSBC: highest passing rate $best_sbc calls/s"
best_or_first=$best_sbc
[ "$best_or_first" -gt 0 ] || best_or_first=${rates[0]}
# Calls of BENCH_LONG_CALL_MS (30 s, as issue 4 asks) at the highest passing rate, unless more
# calls would be up at once than the relay has port pairs (11,000 per realm in the bench config;
# each call holds one pair per realm and four descriptors): then at the rate that fills them.
max_calls=$(( ($(ulimit -n) - 2000) / 4 ))
[ "$max_calls" -le 10000 ] || max_calls=10000
long_rate=$best_or_first
max_long_rate=$((max_calls * 1000 / long_call_ms))
[ "$long_rate" -le "$max_long_rate" ] || long_rate=$max_long_rate
sleep 3
log "through EdgeSBC: $long_rate calls/s with calls of $((long_call_ms / 1000)) s"
run "sbc-long-$long_rate" "$sbc_port" "$long_rate" "$long_call_ms" >>"$out/bench.log" || true
tail -1 "$out/bench.log" >&2
sleep 3

# The profile runs at the highest passing rate (the first rate when none passed): at a rate the
# server cannot take, the profile would mostly show the backlog (2xx retransmissions, timers).
profile_rate=$best_or_first
log "JFR profile of EdgeSBC at $profile_rate calls/s"
jcmd "$sbc_pid" JFR.start name=bench settings=default filename="$out/edgesbc.jfr" >/dev/null 2>&1 || true
run "sbc-profile-$profile_rate" "$sbc_port" "$profile_rate" 0 >>"$out/bench.log" || true
jcmd "$sbc_pid" JFR.stop name=bench >/dev/null 2>&1 || true
stop_uas
stop_sbc
if [ -f "$out/edgesbc.jfr" ]; then
  jfr print --events jdk.ExecutionSample "$out/edgesbc.jfr" >"$out/samples.txt" 2>/dev/null || true
  # The top frame of every sample, and the first io.edgesbc frame of every sample.
  awk '/stackTrace = \[/ {top = 1; own = 1; next}
       top && NF { sub(/^[ \t]+/, ""); sub(/[ \t]+line:.*/, ""); t[$0]++; top = 0 }
       own && /io\.edgesbc\./ { s = $0; sub(/^[ \t]+/, "", s); sub(/[ \t]+line:.*/, "", s); o[s]++; own = 0 }
       /^\]/ {top = 0; own = 0}
       END { for (k in t) print "top", t[k], k; for (k in o) print "own", o[k], k }' "$out/samples.txt" \
    | sort -k1,1 -k2,2nr >"$out/hotspots.txt"
  total=$(grep -c 'jdk.ExecutionSample' "$out/samples.txt" || echo 0)
  # GC pauses during the recording: count, total and longest (ms).
  gc=$(jfr print --events jdk.GarbageCollection "$out/edgesbc.jfr" 2>/dev/null \
    | awk '/sumOfPauses/ {v = $3; u = $4; if (u ~ /^s/) v *= 1000; else if (u ~ /^us/) v /= 1000; n++; t += v; if (v > m) m = v}
           END {printf "%d GC pauses, %.0f ms in total, longest %.1f ms", n, t, m}')
  {
    echo "JFR execution samples of EdgeSBC at $profile_rate calls/s: $total; $gc"
    echo "top frames:"; grep '^top' "$out/hotspots.txt" | sed -n "1,15p"
    echo "first io.edgesbc frame:"; grep '^own' "$out/hotspots.txt" | sed -n "1,15p"
  } >"$out/hotspots-summary.txt"
fi

# ---------------------------------------------------------------------------- 5. direct
sbc_pid=""
best_direct=0
if [ "$direct" = 1 ]; then
start_uas "$out/uas-direct"
best_direct=$(search direct "$uas_port")
log "directly: highest passing rate $best_direct calls/s"
sleep 3
log "directly: $long_rate calls/s with calls of $((long_call_ms / 1000)) s"
run "direct-long-$long_rate" "$uas_port" "$long_rate" "$long_call_ms" >>"$out/bench.log" || true
tail -1 "$out/bench.log" >&2
stop_uas
fi

# ---------------------------------------------------------------------------- summary
{
  echo "| run | rate (calls/s) | calls | successful | failed | achieved rate | p50 INVITE→200 (ms) | p99 (ms) | EdgeSBC CPU (µs/call) | EdgeSBC RSS / peak (MB) | passed |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
} >>"$summary"
for d in $(cd "$out" && ls -dtr sbc-* direct-* 2>/dev/null); do
  [ -f "$out/$d/result" ] && row "$d" "$d"
done
{
  echo
  echo "- highest rate through EdgeSBC with < 0.1% failed and p99 < 50 ms: **$best_sbc calls/s**"
  [ "$direct" = 1 ] && echo "- highest rate SIPp UAC -> UAS directly (the harness ceiling): **$best_direct calls/s**"
  [ "$best_direct" -gt 0 ] && echo "- ratio: $(python3 -c "print(f'{100 * $best_sbc / $best_direct:.0f} %')")"
  echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  [ -f "$out/hotspots-summary.txt" ] && { echo '```'; cat "$out/hotspots-summary.txt"; echo '```'; }
} >>"$summary"
log "done: $summary"
cat "$summary"
