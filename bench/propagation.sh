#!/usr/bin/env bash
# Propagation through the shipped processes: ./minilb demo seeded with N Services (3 ready
# endpoints each) plus 2 more resolvers started with ./minilb resolver; C EndpointSlice changes
# made through the API server (bench/Propagation.java), each timed until all 3 resolvers answer
# with the new address over UDP (p50/p99/max). Before the first change the bench warms its own API
# and DNS clients and asks each resolver once for a name it serves (no object minilb watches is
# written; see bench/Propagation.java), so the first change times minilb, not the bench's cold client.
# Then a 4th resolver's full sync at N Services and its RSS after the sync.
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
  # At debug, each applied delta is logged with its timing (the per-change breakdown below).
  start_resolver "$name" "$work" --log-level debug
  wait_synced
  resolvers+=("127.0.0.1:$r_dns")
done
timeout 1800 java -Dpropagation.log="$work/changes.log" \
  -Dpropagation.trace="$demo_log,$work/bench-r1.log,$work/bench-r2.log" -cp demo/target/minilb-demo.jar bench/Propagation.java "$kubeconfig" "$services" \
  "$changes" "${resolvers[@]}" || die "propagation run failed (see above)"
# The controller's side of each change, from its "published" lines after the first snapshot: how long
# the change waited for a reconcile pass, then the record build and the publish (wall time), and the
# pass's own thread CPU where the controller logs it (p50 / max, ms).
{ grep -oE 'waited [0-9.]* ms for the pass, build [0-9.]* ms, publish [0-9.]* ms(, cpu [0-9.]* ms)?' "$demo_log" || true; } |
  tail -n +2 |
  awk '{w[NR] = $2; b[NR] = $8; p[NR] = $11; if (NF >= 14) {c[++nc] = $14}}
    function med(a, n,   i, j, t) {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) {t = a[i]; a[i] = a[j]; a[j] = t}
      return a[int((n + 1) / 2)] " / " a[n]
    }
    END {if (NR) printf "controller per change (%d publishes, p50 / max ms): waited for the pass %s, build %s, publish %s%s\n", NR, med(w, NR), med(b, NR), med(p, NR), nc ? ", pass CPU " med(c, nc) : ""}'
full_sync bench-fresh "$work"
echo "full sync of a fresh resolver at $services services: ${sync_ms} ms from serving to synced" \
  "(${sync_launch_ms} ms from launch); RSS after sync $sync_rss MiB"
echo "controller RSS $(rss "$controller_pid") MiB, $(builds); the demo's resolver RSS" \
  "$(rss "$resolver_pid") MiB"
