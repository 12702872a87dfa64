#!/usr/bin/env bash
# Scale through the shipped processes, at each size (default 10k and 50k Services, 3 endpoints
# each): a fresh resolver's full sync and its RSS after it, the time to apply a one-endpoint delta
# (API change to changed answer at 2 resolvers, bench/Propagation.java), the controller's RSS, and
# the controller's direct memory and RSS while 100 subscribers reconnect at once, each owed a full
# snapshot (bench/Subscribers.java).
#   bench/scale.sh [--services "10000 50000"] [--changes C] [--subscribers S]
# The demo's embedded API server holds every object; at 50k it gets a 1 GiB heap (MINILB_DEMO_XMX).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
sizes="10000 50000"
changes=20
subscribers=100
while [[ $# -gt 0 ]]; do
  case "$1" in
    --services) sizes=$2; shift 2 ;;
    --changes) changes=$2; shift 2 ;;
    --subscribers) subscribers=$2; shift 2 ;;
    *) echo "usage: bench/scale.sh [--services \"N...\"] [--changes C] [--subscribers S]" >&2; exit 2 ;;
  esac
done
source bench/cluster.sh
work="$PWD/target/bench/scale"
rm -rf "$work" && mkdir -p "$work"
# ./minilb builds the jars (the bench programs' classpath too) when the sources are newer.

for n in $sizes; do
  dir="$work/$n"
  mkdir -p "$dir"
  if ((n > 20000)); then export MINILB_DEMO_XMX=1g; else unset MINILB_DEMO_XMX; fi
  start_demo "$n" "$dir"
  echo "$n services: controller RSS $(rss "$controller_pid") MiB (after the demo resolver's sync)"
  full_sync "fresh-$n" "$dir"
  echo "$n services: fresh resolver full sync ${sync_ms} ms from serving to synced (${sync_launch_ms} ms from" \
    "launch); its RSS after sync $sync_rss MiB"
  timeout 1800 java -cp demo/target/minilb-demo.jar bench/Propagation.java "$kubeconfig" "$n" \
    "$changes" "127.0.0.1:$dns_port" "127.0.0.1:$r_dns" || die "propagation at $n services failed"
  echo "$n services: after $changes deltas, fresh resolver RSS $(rss "$r_pid") MiB"
  timeout 600 java -cp demo/target/minilb-demo.jar bench/Subscribers.java "127.0.0.1:$stream_port" \
    "127.0.0.1:$controller_ops" "$controller_pid" "$subscribers" || die "subscriber storm at $n services failed"
  alive "$controller_pid" controller "$demo_log"
  echo "$n services: controller RSS $(rss "$controller_pid") MiB after the storm; $(builds)"
  bench_cleanup
  bench_pids=()
done
