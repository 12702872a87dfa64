#!/usr/bin/env bash
# Memory and idle cost. The shipped resolver (`./minilb resolver`: the launcher, the images' JVM
# flags, metrics on) fed over the real minilb.v1 stream by bench/StreamServer.java with 1k, 10k and
# 50k Services as the controller emits them (3 endpoints each: the Service's A set, one A per
# endpoint name and an SRV set, 5 RRsets per Service): full sync time (Subscribe to Ack, as the
# stand-in controller sees it), RSS right after the sync, idle and after 15 s of dnsperf, heap and
# metaspace in use, resolver idle CPU over 60 s at 10k. Then the shipped controller (the
# demo's child, with the images' JVM flags) against the demo's embedded API server seeded with 1k
# and 10k LoadBalancer Services and their EndpointSlices, each object carrying what `kubectl apply`
# and the API server leave on it (a last-applied-configuration annotation and managedFields) and
# the status minilb already wrote (a controller restarting on a managed cluster): RSS once settled,
# live heap after a full GC, idle CPU over 60 s (at 10k) and the controller's record-build time.
#   bench/footprint.sh [--skip-controller | --controller-only] [--services "1000 10000 50000"]
#     [--controller-sizes "1000 10000"] [--sync-only] [--no-build]   (--services sizes the resolver
#     part; --no-build uses the jars already in */target)
# --sync-only measures only the resolver's full sync (no RSS, load or idle phases, no controller)
# and prints the resolver's own full-snapshot line (bytes, read and index times) beside it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
skip_controller=no
skip_resolver=no
sync_only=no
build=yes
sizes="1000 10000 50000"
controller_sizes="1000 10000"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --skip-controller) skip_controller=yes ;;
    --controller-only) skip_resolver=yes ;;
    --sync-only) sync_only=yes; skip_controller=yes ;;
    --no-build) build=no ;;
    --services) sizes="$2"; shift ;;
    --controller-sizes) controller_sizes="$2"; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
work="$PWD/target/bench/footprint"
rm -rf "$work" && mkdir -p "$work"
if [[ $build == yes ]] && ! mvn -B -DskipTests -Dspotless.check.skip=true package >"$work/build.log" 2>&1; then
  tail -40 "$work/build.log"
  exit 1
fi
[[ $skip_resolver == yes ]] || command -v dnsperf >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dnsperf; }
cp_resolver="resolver/target/minilb-resolver.jar:resolver/target/lib/*"
mapfile -t opts < <(grep -v '^#' deploy/image/java-opts)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
rss() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
hwm() { awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Heap committed and used (both generations) and metaspace used, in MiB, from GC.heap_info.
heap() {
  jcmd "$1" GC.heap_info | awk '
    /generation/ { for (k = 1; k <= NF; k++) { if ($k == "total") { v = $(k + 1); sub(/K,?/, "", v); c += v } if ($k == "used") { v = $(k + 1); sub(/K,?/, "", v); u += v } } }
    /Metaspace/ { for (k = 1; k <= NF; k++) if ($k == "used") { v = $(k + 1); sub(/K,?/, "", v); m = v } }
    END { printf "heap committed %.1f MiB, used %.1f MiB, metaspace used %.1f MiB", c / 1024, u / 1024, m / 1024 }'
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

for n in $sizes; do
  [[ $skip_resolver == yes ]] && break
  zone="$work/zone-$n"
  bench/service-zone.sh "$n" >"$zone"
  java -cp "$cp_resolver" bench/ZoneToSnapshot.java "$zone" "$work/snapshot-$n.pb" >/dev/null
  awk -v n="$n" 'BEGIN { srand(7); for (k = 0; k < 100000; k++) { i = int(rand() * n); print "svc" i ".ns" (i % 50) ".minilb A" } }' \
    >"$work/queries-$n.txt"
  java -Xmx1g -cp "$cp_resolver" bench/StreamServer.java "$work/snapshot-$n.pb" "$work/stream-$n.port" \
    >"$work/stream-$n.log" 2>&1 &
  server=$!
  pids+=("$server")
  for _ in $(seq 1 600); do [[ -f "$work/stream-$n.port" ]] && break; sleep 0.1; done
  port=$((54000 + n % 1000))
  ./minilb resolver --controller "127.0.0.1:$(cat "$work/stream-$n.port")" --listen "127.0.0.1:$port" \
    --http-listen 127.0.0.1:0 --threads 1 >"$work/resolver-$n.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 1 1200); do grep -q '^synced' "$work/stream-$n.log" && break; sleep 0.05; done
  sync_ms=$(awk '/^synced/ {print $3; exit}' "$work/stream-$n.log")
  if [[ $sync_only == yes ]]; then
    for _ in $(seq 1 100); do grep -q 'full snapshot' "$work/resolver-$n.log" && break; sleep 0.05; done
    echo "resolver, $n services ($((5 * n + 2)) RRsets): full sync $sync_ms ms ($(grep -o 'full snapshot.*' "$work/resolver-$n.log" | head -1 | sed 's/ from [^:]*:/:/')); load average $(cut -d' ' -f1-3 /proc/loadavg)"
    kill "$pid" "$server"; wait "$pid" "$server" 2>/dev/null || true
    continue
  fi
  sleep 2
  after_sync=$(rss "$pid")
  sleep 5
  idle=$(rss "$pid")
  dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries-$n.txt" -c 8 -q 100 -l 15 >"$work/load-$n.txt" 2>&1
  loaded=$(rss "$pid")
  qps=$(awk '/Queries per second:/ {print $4}' "$work/load-$n.txt")
  echo "resolver, $n services ($((3 * n)) endpoints, $((5 * n + 2)) RRsets): full sync $sync_ms ms; RSS after sync $after_sync MiB, idle $idle MiB, after 15 s of load ($qps qps) $loaded MiB, peak $(hwm "$pid") MiB; $(heap "$pid"); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  if [[ $n -eq 10000 ]]; then
    t0=$(ticks "$pid"); sleep 60; t1=$(ticks "$pid")
    echo "resolver idle CPU over 60 s at $n services: $((t1 - t0)) ticks of $(getconf CLK_TCK)/s ($(awk -v d=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", 100 * d / hz / 60}')% of a core)"
  fi
  kill "$pid" "$server"; wait "$pid" "$server" 2>/dev/null || true
done

[[ $skip_controller == yes ]] && exit 0

# Waits until the process has used under 0.5 % of a core for 4 s (the first list, record build and
# any status writes are done), at most 10 minutes.
settle() {
  local t0 t1
  for _ in $(seq 1 150); do
    t0=$(ticks "$1"); sleep 4; t1=$(ticks "$1")
    (((t1 - t0) * 100 * 100 / (4 * $(getconf CLK_TCK)) < 50)) && return
  done
}

for n in $controller_sizes; do
  cluster="$work/cluster-$n"
  mkdir -p "$cluster"
  bash bench/applied-cluster.sh "$n" >"$cluster/services.yaml"
  # The demo as ./minilb starts it, but with room for 20k objects in its embedded API server; the
  # controller it starts gets the images' flags and heap cap all the same (Children.java).
  java "${opts[@]}" -Xmx1g -Dminilb.home="$PWD" \
    -Dminilb.controller.classpath=controller/target/minilb-controller.jar \
    -Dminilb.resolver.classpath=resolver/target/minilb-resolver.jar \
    -jar demo/target/minilb-demo.jar --cluster "$cluster" --dns-port 0 \
    --kubeconfig-out "$work/kubeconfig-$n" >"$work/demo-$n.log" 2>&1 &
  demo=$!
  pids+=("$demo")
  started=$SECONDS
  for _ in $(seq 1 1800); do grep -q "minilb demo is running" "$work/demo-$n.log" && break; sleep 1; done
  echo "demo with $n services (seeding its API server, the controller's first list and build, its resolver's sync) up in $((SECONDS - started)) s"
  cpid=$(pgrep -P "$demo" -f io.minilb.controller.ControllerMain)
  rpid=$(pgrep -P "$demo" -f io.minilb.resolver.ResolverMain)
  settle "$cpid"
  rss_c=$(rss "$cpid")
  peak_c=$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$cpid/status")
  ops=$(grep -o 'Controller - .* ops on /[0-9.:]*' "$work/demo-$n.log" | head -1 | sed 's|.*ops on /||')
  build=$(curl -s "http://$ops/metrics" | awk '/^minilb_controller_snapshot_build_seconds_sum/ {s = $2} /^minilb_controller_snapshot_build_seconds_count/ {c = $2} END {printf "%d builds, mean %.0f ms", c, 1000 * s / c}')
  jcmd "$cpid" GC.class_histogram >"$work/histogram-$n.txt"
  heap=$(awk '/^Total/ {printf "%.1f", $3 / 1048576}' "$work/histogram-$n.txt")
  meta=$(jcmd "$cpid" GC.heap_info | awk '/Metaspace/ { for (k = 1; k <= NF; k++) if ($k == "used") { v = $(k + 1); sub(/K,?/, "", v); printf "%.1f", v / 1024 } }')
  echo "controller, $n services ($((3 * n)) endpoints): RSS $rss_c MiB (peak $peak_c MiB), live heap after a full GC $heap MiB, metaspace $meta MiB; its resolver (full sync over the stream) RSS $(rss "$rpid") MiB"
  echo "  record builds since start (every one a full build): $build"
  if [[ $n -ge 10000 ]]; then
    t0=$(ticks "$cpid"); r0=$(ticks "$rpid"); sleep 60; t1=$(ticks "$cpid"); r1=$(ticks "$rpid")
    echo "controller idle CPU over 60 s at $n services: $((t1 - t0)) ticks of $(getconf CLK_TCK)/s ($(awk -v d=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", 100 * d / hz / 60}')% of a core)"
    echo "its resolver (connected, synced) idle CPU over the same 60 s: $((r1 - r0)) ticks ($(awk -v d=$((r1 - r0)) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", 100 * d / hz / 60}')% of a core)"
  fi
  kill "$demo"; wait "$demo" 2>/dev/null || true
done
