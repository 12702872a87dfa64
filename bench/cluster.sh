# Helpers for the benches that run the shipped processes (sourced by propagation.sh and scale.sh):
# a demo seeded with N Services, extra resolvers started with ./minilb resolver, timing and RSS.
# Every process started here is stopped on exit.

bench_pids=()
bench_cleanup() {
  local i
  for ((i = ${#bench_pids[@]} - 1; i >= 0; i--)); do kill "${bench_pids[i]}" 2>/dev/null || true; done
  { for p in "${bench_pids[@]}"; do wait "$p" || true; done; } 2>/dev/null
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

die() {
  echo "bench: $*" >&2
  exit 1
}

# rss PID: VmRSS in MiB.
rss() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

# now_ms: wall clock in milliseconds.
now_ms() { date +%s%3N; }

# log_ms FILE PATTERN: the timestamp (ms) of the first log line matching PATTERN.
log_ms() { date -d "$(grep -m1 -- "$2" "$1" | awk '{print $1}')" +%s%3N; }

# wait_for SECONDS WHAT COMMAND...: polls COMMAND every 50 ms; fails naming WHAT on timeout.
wait_for() {
  local limit=$1 what=$2
  shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    ((SECONDS < deadline)) || die "timed out after $limit s waiting for $what"
    sleep 0.05
  done
}

# alive PID NAME LOG: fails if the process has exited, showing its log's tail.
alive() {
  kill -0 "$1" 2>/dev/null && return 0
  tail -20 "$3" >&2
  die "$2 exited (log: $3)"
}

# cluster_yaml N: N LoadBalancer Services of class minilb in 50 namespaces, each with one
# EndpointSlice of 3 ready IPv4 endpoints (svcI.nsJ.minilb, J = I mod 50). Each Service already
# holds the status and port the controller wants, so it writes no statuses or events at start: on
# the demo's API server those writes would queue ahead of the bench's changes for a long time.
cluster_yaml() {
  awk -v n="$1" 'BEGIN {
    for (i = 0; i < n; i++) {
      ns = "ns" (i % 50); net = "10." int(i / 256) % 256 "." (i % 256) "."
      print "---\napiVersion: v1\nkind: Service\nmetadata: {name: svc" i ", namespace: " ns "}"
      print "spec: {type: LoadBalancer, loadBalancerClass: minilb, ports: [{name: http, port: 8080, protocol: TCP}]}"
      print "status: {loadBalancer: {ingress: [{hostname: svc" i "." ns ".minilb}]}}"
      print "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice"
      print "metadata: {name: svc" i "-x, namespace: " ns ", labels: {kubernetes.io/service-name: svc" i "}}"
      print "addressType: IPv4\nports: [{name: http, port: 8080, protocol: TCP}]\nendpoints:"
      for (j = 1; j <= 3; j++) print "- addresses: [" net j "]"
    }
  }'
}

# start_demo N DIR: ./minilb demo seeded with N Services, DNS on a free port. Sets demo_pid,
# demo_log, kubeconfig, stream_port and controller_ops (the controller's stream and ops ports),
# controller_pid, dns_port (the demo resolver's) and resolver_pid. The demo's API server finds
# objects by name through an index, so seeding costs about the same per object at any size (10k
# Services with their slices in under two minutes here).
start_demo() {
  local n=$1 dir=$2
  mkdir -p "$dir/cluster"
  cluster_yaml "$n" >"$dir/cluster/services.yaml"
  demo_log="$dir/demo.log"
  kubeconfig="$dir/kubeconfig"
  ./minilb demo --cluster "$dir/cluster" --dns-port 0 --kubeconfig-out "$kubeconfig" >"$demo_log" 2>&1 &
  demo_pid=$!
  bench_pids+=("$demo_pid")
  local started=$SECONDS
  running() { alive "$demo_pid" demo "$demo_log" && grep -q "minilb demo is running" "$demo_log"; }
  wait_for $((300 + n / 50)) "the demo to start with $n Services (log: $demo_log)" running
  echo "demo with $n Services up in $((SECONDS - started)) s" >&2
  local up
  up=$(grep -m1 -o 'stream on [^ ]*, ops on [^ ]*' "$demo_log")
  stream_port=$(sed -E 's/stream on [^ ]*:([0-9]+), ops.*/\1/' <<<"$up")
  controller_ops=$(sed -E 's/.*ops on [^ ]*:([0-9]+).*/\1/' <<<"$up")
  controller_pid=$(grep -o 'controller leading, pid [0-9]*' "$demo_log" | tail -1 | awk '{print $NF}')
  dns_port=$(grep -m1 -o 'resolver synced, DNS on [^ ]*' "$demo_log" | sed -E 's/.*:([0-9]+),?$/\1/')
  resolver_pid=$(grep -m1 -o 'DNS on [^ ]*, pid [0-9]*' "$demo_log" | awk '{print $NF}')
  [[ -n $stream_port && -n $controller_ops && -n $controller_pid && -n $dns_port && -n $resolver_pid ]] ||
    die "could not read the ports and pids from $demo_log"
}

# start_resolver NAME DIR [FLAG...]: ./minilb resolver against the demo's controller, with any
# further flags. Sets r_pid, r_log, r_dns (its DNS port), r_launched (ms).
start_resolver() {
  r_name=$1
  r_log="$2/$1.log"
  shift 2
  r_launched=$(now_ms)
  ./minilb resolver --controller "127.0.0.1:$stream_port" --listen 127.0.0.1:0 \
    --http-listen 127.0.0.1:0 --node-name "$r_name" --threads 1 "$@" >"$r_log" 2>&1 &
  r_pid=$!
  bench_pids+=("$r_pid")
  serving() { alive "$r_pid" "resolver $r_name" "$r_log" && grep -qs "serving DNS on" "$r_log"; }
  wait_for 60 "resolver $r_name to start" serving
  r_dns=$(grep -m1 -o 'serving DNS on [^ ]*' "$r_log" | sed -E 's/.*:([0-9]+),$/\1/')
}

# wait_synced: waits for the last started resolver's "synced" line.
wait_synced() {
  synced() { alive "$r_pid" "resolver $r_name" "$r_log" && grep -q "synced with controller" "$r_log"; }
  wait_for 300 "resolver $r_name to sync" synced
}

# full_sync NAME DIR: a fresh resolver's first sync (it stays running: r_pid, r_dns). Sets
# sync_launch_ms (launch to synced) and sync_ms (serving to synced, from its log's timestamps), and
# sync_rss (MiB, 2 s after the sync).
full_sync() {
  start_resolver "$1" "$2"
  wait_synced
  local serving synced
  serving=$(log_ms "$r_log" "serving DNS on")
  synced=$(log_ms "$r_log" "synced with controller")
  sync_launch_ms=$((synced - r_launched))
  sync_ms=$((synced - serving))
  sleep 2
  sync_rss=$(rss "$r_pid")
}

# builds: the controller's snapshot builds so far and their mean time, from its /metrics.
builds() {
  curl -s --max-time 10 "http://127.0.0.1:$controller_ops/metrics" | awk '
    /^minilb_controller_snapshot_build_seconds_sum/ {s = $2}
    /^minilb_controller_snapshot_build_seconds_count/ {c = $2}
    END {if (c > 0) printf "%d snapshot builds, mean %.0f ms", c, 1000 * s / c; else print "no snapshot builds"}'
}
