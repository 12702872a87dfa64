#!/usr/bin/env bash
# Where the controller's memory and idle CPU go, and what JVM flags change them, back to back in one
# run. Starts the demo seeded with N Services and their EndpointSlices as `kubectl apply` leaves
# them (bench/applied-cluster.sh), then, one after another, the shipped controller jar with the
# images' flags (deploy/image/java-opts) plus each VARIANT's extra flags, on its own Lease so it
# leads, lists, builds and serves like the demo's own. For each: RSS once settled, the committed
# and used heap, NMT's summary (committed MiB per category), and CPU ticks per thread over 60 s of
# idling (with one resolver subscribed, as in a cluster), and the number of classes loaded. A
# variant's word `classpath+=PATH` puts PATH after the jar on the class path (the jar's manifest
# class path still applies), e.g. the model jars the controller's build leaves out, for a before;
# `jar=PATH` runs another controller jar (e.g. another checkout's, for a before and after in one
# run: repeat the pair to alternate them); `env:NAME=VALUE` sets an environment variable of that
# controller (e.g. MALLOC_ARENA_MAX). Each variant also gets a class histogram (which forces a full
# GC, after RSS is read): the live heap and its largest classes.
#   bench/controller-memory.sh N [VARIANT...]   e.g. bench/controller-memory.sh 10000 "" "-Xmx64m"
# Every variant runs with -Xmx160m and the images' flags only: the launcher's and image's
# -XX:MaxNewSize=16m is a variant's flag here, so that `main` before it can be measured as shipped.
# BENCH_NO_BUILD=1 uses the jars already built; BENCH_IDLE=0 skips the 60 s idle CPU phase;
# BENCH_SETTLE=SECONDS caps the wait for a controller to settle before RSS is read.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n=${1:?usage: bench/controller-memory.sh N [VARIANT...]}
shift
variants=("$@")
((${#variants[@]})) || variants=("")
source bench/cluster.sh
work="$PWD/target/bench/controller-memory"
rm -rf "$work" && mkdir -p "$work/cluster"
if [[ -z ${BENCH_NO_BUILD:-} ]] && ! mvn -B -DskipTests -Dspotless.check.skip=true package >"$work/build.log" 2>&1; then
  tail -40 "$work/build.log"
  exit 1
fi
mapfile -t opts < <(grep -v '^#' deploy/image/java-opts)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

bash bench/applied-cluster.sh "$n" >"$work/cluster/services.yaml"
demo_log="$work/demo.log"
# The demo as ./minilb runs it, from the jars in */target (the launcher would rebuild them if any
# source is newer), with room for 20k objects in its API server.
java "${opts[@]}" -Xmx1g -Dminilb.home="$PWD" \
  -Dminilb.controller.classpath=controller/target/minilb-controller.jar \
  -Dminilb.resolver.classpath=resolver/target/minilb-resolver.jar \
  -jar demo/target/minilb-demo.jar --cluster "$work/cluster" --dns-port 0 \
  --kubeconfig-out "$work/kubeconfig" >"$demo_log" 2>&1 &
demo_pid=$!
bench_pids+=("$demo_pid")
started=$SECONDS
running() { alive "$demo_pid" demo "$demo_log" && grep -q "minilb demo is running" "$demo_log"; }
wait_for 1800 "the demo to start with $n Services" running
echo "demo with $n Services up in $((SECONDS - started)) s; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# Waits until PID has used under 0.5 % of a core for 4 s, at most BENCH_SETTLE seconds (default
# 600; an idle controller's lease renewals alone can keep it at 0.5 %).
settle() {
  local t0 t1
  for _ in $(seq 1 $((${BENCH_SETTLE:-600} / 4))); do
    t0=$(ticks "$1"); sleep 4; t1=$(ticks "$1")
    (((t1 - t0) * 100 * 100 / (4 * hz) < 50)) && return
  done
  return 0
}

i=0
for variant in "${variants[@]}"; do
  i=$((i + 1))
  log="$work/controller-$i.log"
  classpath=controller/target/minilb-controller.jar
  flags=()
  env=()
  # shellcheck disable=SC2086 # a variant is a list of flags
  for word in $variant; do
    case $word in
      classpath+=*) classpath+=":${word#classpath+=}" ;;
      jar=*) classpath="${word#jar=}${classpath#controller/target/minilb-controller.jar}" ;;
      env:*) env+=("${word#env:}") ;;
      *) flags+=("$word") ;;
    esac
  done
  env "${env[@]}" java "${opts[@]}" -Xmx160m -XX:NativeMemoryTracking=summary "${flags[@]}" \
    -cp "$classpath" io.minilb.controller.ControllerMain --kubeconfig "$work/kubeconfig" \
    --lease-name "bench-$i" --identity "bench-$i" --grpc-listen 127.0.0.1:0 \
    --http-listen 127.0.0.1:0 >"$log" 2>&1 &
  cpid=$!
  bench_pids+=("$cpid")
  up() { alive "$cpid" controller "$log" && grep -qs "became leader" "$log"; }
  wait_for 600 "controller $i to lead" up
  stream_port=$(grep -m1 -o 'stream on [^ ]*' "$log" | sed -E 's/.*:([0-9]+),?$/\1/')
  start_resolver "resolver-$i" "$work"
  wait_synced
  settle "$cpid"
  rss_c=$(rss "$cpid")
  heap=$(jcmd "$cpid" GC.heap_info | awk '/def new generation|tenured generation/ {
      for (k = 1; k < NF; k++) { v = $(k + 1); gsub(/[K,]/, "", v); if ($k == "total") c += v; if ($k == "used") u += v }
    } END {printf "committed %.1f MiB, used %.1f MiB", c / 1024, u / 1024}')
  classes=$(jcmd "$cpid" VM.classloader_stats | awk '/^Total = / {print $4}')
  jcmd "$cpid" VM.native_memory summary >"$work/nmt-$i.txt"
  # BENCH_HEAPDUMP=N: a heap dump of the Nth variant, for a look at what the live heap holds.
  [[ ${BENCH_HEAPDUMP:-0} -eq $i ]] && jcmd "$cpid" GC.heap_dump "$work/heap-$i.hprof" >/dev/null
  nmt=$(awk '/^-  *[A-Za-z].*\(reserved=/ {
      name = $0; sub(/^- */, "", name); sub(/ *\(reserved.*/, "", name)
      match($0, /committed=[0-9]+KB/); v = substr($0, RSTART + 10, RLENGTH - 12)
      if (v / 1024 >= 1) printf "%s %.1f, ", name, v / 1024 }' "$work/nmt-$i.txt")
  for t in /proc/"$cpid"/task/*; do echo "$(basename "$t") $(awk '{print $14 + $15}' "$t/stat") $(cat "$t/comm")"; done >"$work/threads-$i-a.txt"
  jcmd "$cpid" GC.class_histogram >"$work/histogram-$i.txt"
  live=$(awk '/^Total/ {printf "%.1f", $3 / 1048576}' "$work/histogram-$i.txt")
  top=$(awk '/^ *[0-9]+:/ && NF >= 4 && n < 8 {n++; printf "%s %.1f, ", $4, $3 / 1048576}' "$work/histogram-$i.txt")
  idle=${BENCH_IDLE:-60}
  t0=$(ticks "$cpid"); sleep "$idle"; t1=$(ticks "$cpid")
  for t in /proc/"$cpid"/task/*; do echo "$(basename "$t") $(awk '{print $14 + $15}' "$t/stat") $(cat "$t/comm")"; done >"$work/threads-$i-b.txt"
  busy=$(awk 'NR == FNR {a[$1] = $2; next} {d = $2 - a[$1]; if (d > 0) printf "%s %d, ", $3, d}' \
    "$work/threads-$i-a.txt" "$work/threads-$i-b.txt")
  echo "variant $i [${variant:-image flags only}]: RSS $rss_c MiB; heap $heap; classes loaded $classes; threads $(ls /proc/"$cpid"/task | wc -l)"
  echo "  NMT committed MiB: $nmt"
  echo "  live heap after a full GC $live MiB; largest classes (MiB): $top"
  ((idle == 0)) || echo "  idle $idle s: $((t1 - t0)) ticks of $hz/s ($(awk -v d=$((t1 - t0)) -v hz="$hz" -v s="$idle" 'BEGIN {printf "%.2f", 100 * d / hz / s}')% of a core); by thread: ${busy:-none}"
  kill "$r_pid" "$cpid"
  wait "$cpid" 2>/dev/null || true
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
