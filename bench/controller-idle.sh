#!/usr/bin/env bash
# The controller's idle CPU, per thread. Starts the demo seeded with N Services (bench/cluster.sh),
# then, one after another and ROUNDS times over, `./minilb controller` of each CHECKOUT (default:
# this one) on its own Lease, so it leads, lists, builds and serves like the demo's own, with one
# `./minilb resolver` subscribed and synced. Once the controller has settled it samples the CPU
# ticks of every thread (/proc/PID/task/*/stat) over SECONDS and prints the total as % of a core
# and the busiest threads by name. Two checkouts give a before/after in one run, e.g.
#   bench/controller-idle.sh --services 10000 --rounds 2 ../base .
# (each CHECKOUT is built with `mvn package` if its jars are missing or stale, as ./minilb does).
#   bench/controller-idle.sh [--services N] [--rounds R] [--seconds S] [CHECKOUT...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
services=10000
rounds=1
seconds=60
checkouts=()
while (($#)); do
  case $1 in
    --services) services=$2 && shift ;;
    --rounds) rounds=$2 && shift ;;
    --seconds) seconds=$2 && shift ;;
    -*) echo "usage: bench/controller-idle.sh [--services N] [--rounds R] [--seconds S] [CHECKOUT...]" >&2 && exit 2 ;;
    *) checkouts+=("$(cd "$1" && pwd)") ;;
  esac
  shift
done
((${#checkouts[@]})) || checkouts=("$PWD")
source bench/cluster.sh
work="$PWD/target/bench/controller-idle"
rm -rf "$work" && mkdir -p "$work"
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# thread_ticks PID: "tid ticks name" for every thread.
thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    echo "$(basename "$t") $(awk '{print $14 + $15}' "$t/stat" 2>/dev/null || echo 0) $(cat "$t/comm" 2>/dev/null)"
  done
}
# Waits until PID has used under 1 % of a core for 4 s (list, build, sync and start-up compiles
# done), at most 10 minutes.
settle() {
  local t0 t1
  for _ in $(seq 1 150); do
    t0=$(ticks "$1"); sleep 4; t1=$(ticks "$1")
    (((t1 - t0) * 100 * 100 / (4 * hz) < 100)) && return 0
  done
  return 0
}

# ./minilb builds on first use (and whenever a source is newer than its jars): build this checkout
# (the demo and the resolvers) and every CHECKOUT now, so no build runs while measuring. Leave the
# sources alone until the run ends.
for c in "$PWD" "${checkouts[@]}"; do
  (cd "$c" && mvn -B -q -DskipTests -Dspotless.check.skip=true package >"$work/build.log" 2>&1) || {
    tail -40 "$work/build.log"
    exit 1
  }
done
start_demo "$services" "$work"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"

i=0
for round in $(seq 1 "$rounds"); do
  for c in "${checkouts[@]}"; do
    i=$((i + 1))
    log="$work/controller-$i.log"
    "$c/minilb" controller --kubeconfig "$kubeconfig" --lease-name "idle-$i" --identity "idle-$i" \
      --grpc-listen 127.0.0.1:0 --http-listen 127.0.0.1:0 >"$log" 2>&1 &
    cpid=$!
    bench_pids+=("$cpid")
    leads() { alive "$cpid" controller "$log" && grep -q "leading with epoch" "$log"; }
    wait_for 600 "controller $i to lead" leads
    demo_stream=$stream_port
    stream_port=$(grep -m1 -o 'stream on [^ ]*' "$log" | sed -E 's/.*:([0-9]+),?$/\1/')
    start_resolver "resolver-$i" "$work"
    wait_synced
    stream_port=$demo_stream
    settle "$cpid"
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    thread_ticks "$cpid" >"$work/threads-$i-a.txt"
    t0=$(ticks "$cpid")
    sleep "$seconds"
    t1=$(ticks "$cpid")
    thread_ticks "$cpid" >"$work/threads-$i-b.txt"
    top=$(awk 'NR == FNR {a[$1] = $2; next} {d = $2 - a[$1]; if (d > 0) {n = $3; for (k = 4; k <= NF; k++) n = n " " $k; by[n] += d}}
      END {for (n in by) print by[n], n}' "$work/threads-$i-a.txt" "$work/threads-$i-b.txt" |
      sort -rn | head -8 | awk '{c = $1; $1 = ""; sub(/^ /, ""); printf "%s%s %d", (NR > 1 ? ", " : ""), $0, c}')
    # Threads that exited within the sample are in the process's ticks but in no task's.
    alive=$(awk 'NR == FNR {a[$1] = $2; next} {d = $2 - a[$1]; if (d > 0) t += d} END {print t + 0}' \
      "$work/threads-$i-a.txt" "$work/threads-$i-b.txt")
    started=$(awk 'NR == FNR {a[$1] = 1; next} !($1 in a) {n++} END {print n + 0}' \
      "$work/threads-$i-a.txt" "$work/threads-$i-b.txt")
    printf 'round %d, %s: %d ticks of %d/s over %d s = %s%% of a core (load %s); by thread: %s; threads gone by the end %d ticks; threads alive at the end that were not at the start %d\n' \
      "$round" "$c" $((t1 - t0)) "$hz" "$seconds" \
      "$(awk -v d=$((t1 - t0)) -v hz="$hz" -v s="$seconds" 'BEGIN {printf "%.2f", 100 * d / hz / s}')" \
      "$load" "${top:-none}" $((t1 - t0 - alive)) "$started"
    kill "$r_pid" "$cpid"
    wait "$cpid" 2>/dev/null || true
    wait "$r_pid" 2>/dev/null || true
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
