#!/usr/bin/env bash
# Propagation through the shipped processes: ./minilb demo seeded with N Services (3 ready
# endpoints each) plus 2 more resolvers started with ./minilb resolver; C EndpointSlice changes
# made through the API server (bench/Propagation.java), each timed until all 3 resolvers answer
# with the new address over UDP (p50/p99/max). Then a 4th resolver's full sync at N Services and
# its RSS after the sync.
#   bench/propagation.sh [--services N] [--changes C]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
services=1000
changes=200
while [[ $# -gt 0 ]]; do
  case "$1" in
    --services) services=$2; shift 2 ;;
    --changes) changes=$2; shift 2 ;;
    *) echo "usage: bench/propagation.sh [--services N] [--changes C]" >&2; exit 2 ;;
  esac
done
((changes >= 1 && changes <= services)) || { echo "bench: --changes must be 1..N (one change per Service)" >&2; exit 2; }
source bench/cluster.sh
work="$PWD/target/bench/propagation"
rm -rf "$work" && mkdir -p "$work"
# ./minilb builds the jars (the bench programs' classpath too) when the sources are newer.

start_demo "$services" "$work"
resolvers=("127.0.0.1:$dns_port")
for name in bench-r1 bench-r2; do
  start_resolver "$name" "$work"
  wait_synced
  resolvers+=("127.0.0.1:$r_dns")
done
timeout 1800 java -cp demo/target/minilb-demo.jar bench/Propagation.java "$kubeconfig" "$services" \
  "$changes" "${resolvers[@]}" || die "propagation run failed (see above)"
full_sync bench-fresh "$work"
echo "full sync of a fresh resolver at $services services: ${sync_ms} ms from serving to synced" \
  "(${sync_launch_ms} ms from launch); RSS after sync $sync_rss MiB"
echo "controller RSS $(rss "$controller_pid") MiB, $(builds); the demo's resolver RSS" \
  "$(rss "$resolver_pid") MiB"
