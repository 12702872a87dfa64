#!/usr/bin/env bash
# The resolver's idle CPU, per thread. Serves a snapshot of N Services (bench/service-zone.sh, the
# zone footprint.sh serves) with the stand-in controller bench/StreamServer.java, then, one after another and
# ROUNDS times over, runs `./minilb resolver` of each CHECKOUT (default: this one) against it. Once
# the resolver has synced and settled it samples the CPU ticks of every thread
# (/proc/PID/task/*/stat) over SECONDS and prints the total as % of a core and the threads that
# used any, by name. Two checkouts give a before/after in one run, e.g.
#   bench/resolver-idle.sh --rounds 2 ../base .
# (each CHECKOUT is built with `mvn package` first, as ./minilb would on first use).
#   bench/resolver-idle.sh [--services N] [--rounds R] [--seconds S] [--threads T] [CHECKOUT...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
services=10000
rounds=1
seconds=60
threads=()
checkouts=()
while (($#)); do
  case $1 in
    --services) services=$2 && shift ;;
    --rounds) rounds=$2 && shift ;;
    --seconds) seconds=$2 && shift ;;
    --threads) threads=(--threads "$2") && shift ;;
    -*) echo "usage: bench/resolver-idle.sh [--services N] [--rounds R] [--seconds S] [--threads T] [CHECKOUT...]" >&2 && exit 2 ;;
    *) checkouts+=("$(cd "$1" && pwd)") ;;
  esac
  shift
done
((${#checkouts[@]})) || checkouts=("$PWD")
work="$PWD/target/bench/resolver-idle"
rm -rf "$work" && mkdir -p "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# thread_ticks PID: "tid ticks runs name" for every thread; runs (the third field of schedstat) is
# how many times the thread was put on a CPU: for a thread that sleeps, its wake-ups.
thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    echo "$(basename "$t") $(awk '{print $14 + $15}' "$t/stat" 2>/dev/null || echo 0) $(awk '{print $3}' "$t/schedstat" 2>/dev/null || echo 0) $(cat "$t/comm" 2>/dev/null)"
  done
}
# Waits until PID has used under 1 % of a core for 4 s (sync and start-up compiles done), at most
# 10 minutes.
settle() {
  local t0 t1
  for _ in $(seq 1 150); do
    t0=$(ticks "$1"); sleep 4; t1=$(ticks "$1")
    (((t1 - t0) * 100 * 100 / (4 * hz) < 100)) && return 0
  done
}

# Build every checkout now (./minilb would build on first use, inside the sample otherwise) and
# leave the sources alone until the run ends.
for c in "$PWD" "${checkouts[@]}"; do
  (cd "$c" && mvn -B -q -DskipTests -Dspotless.check.skip=true package >"$work/build.log" 2>&1) || {
    tail -40 "$work/build.log"
    exit 1
  }
done
cp_resolver="resolver/target/minilb-resolver.jar:resolver/target/lib/*"
zone="$work/zone"
bench/service-zone.sh "$services" >"$zone"
java -cp "$cp_resolver" bench/ZoneToSnapshot.java "$zone" "$work/snapshot.pb" >/dev/null
java -Xmx1g -cp "$cp_resolver" bench/StreamServer.java "$work/snapshot.pb" "$work/stream.port" \
  >"$work/stream.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do [[ -f "$work/stream.port" ]] && break; sleep 0.1; done
[[ -f "$work/stream.port" ]] || { echo "stream server did not start" >&2 && cat "$work/stream.log" >&2 && exit 1; }
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"

i=0
for round in $(seq 1 "$rounds"); do
  for c in "${checkouts[@]}"; do
    i=$((i + 1))
    log="$work/resolver-$i.log"
    synced=$(grep -c '^synced' "$work/stream.log" || true)
    "$c/minilb" resolver --controller "127.0.0.1:$(cat "$work/stream.port")" --listen 127.0.0.1:0 \
      --http-listen 127.0.0.1:0 --node-name "idle-$i" "${threads[@]}" >"$log" 2>&1 &
    pid=$!
    pids+=("$pid")
    for _ in $(seq 1 1200); do (($(grep -c '^synced' "$work/stream.log" || true) > synced)) && break; sleep 0.05; done
    (($(grep -c '^synced' "$work/stream.log" || true) > synced)) || { echo "resolver $i did not sync" >&2 && tail -20 "$log" >&2 && exit 1; }
    settle "$pid"
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    thread_ticks "$pid" >"$work/threads-$i-a.txt"
    t0=$(ticks "$pid")
    sleep "$seconds"
    t1=$(ticks "$pid")
    thread_ticks "$pid" >"$work/threads-$i-b.txt"
    # Per thread name: ticks and wake-ups, for every thread that woke at all.
    top=$(awk 'NR == FNR {a[$1] = $2; r[$1] = $3; next}
      ($1 in a) {d = $2 - a[$1]; w = $3 - r[$1]; if (w > 0 || d > 0) {n = $4; for (k = 5; k <= NF; k++) n = n " " $k; by[n] += d; wk[n] += w}}
      END {for (n in by) print by[n], wk[n], n}' "$work/threads-$i-a.txt" "$work/threads-$i-b.txt" |
      sort -k1,1rn -k2,2rn | awk '{c = $1; w = $2; $1 = ""; $2 = ""; sub(/^  /, ""); printf "%s%s %d (%d wakes)", (NR > 1 ? ", " : ""), $0, c, w}')
    # Threads that exited within the sample are in the process's ticks but in no task's.
    alive=$(awk 'NR == FNR {a[$1] = $2; next} ($1 in a) {d = $2 - a[$1]; if (d > 0) t += d} END {print t + 0}' \
      "$work/threads-$i-a.txt" "$work/threads-$i-b.txt")
    printf 'round %d, %s: %d ticks of %d/s over %d s = %s%% of a core (load %s); by thread, ticks (wake-ups): %s; threads gone or new %d ticks\n' \
      "$round" "$c" $((t1 - t0)) "$hz" "$seconds" \
      "$(awk -v d=$((t1 - t0)) -v hz="$hz" -v s="$seconds" 'BEGIN {printf "%.2f", 100 * d / hz / s}')" \
      "$load" "${top:-none}" $((t1 - t0 - alive))
    kill "$pid"
    wait "$pid" 2>/dev/null || true
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
