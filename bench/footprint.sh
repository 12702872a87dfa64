#!/usr/bin/env bash
# Memory and idle cost. Resolver RSS idle and under load (dnsperf, 15 s) at 1k and 10k services
# (10k services = 30k endpoints), resolver idle CPU over 60 s, and controller RSS at 10k services
# (the demo's embedded API server seeded with 10k Services and EndpointSlices).
#   bench/footprint.sh [--skip-controller]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
skip_controller=no
[[ "${1:-}" == "--skip-controller" ]] && skip_controller=yes
command -v dnsperf >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dnsperf; }
mvn -B -q -DskipTests -Dspotless.check.skip=true package
cp_resolver="resolver/target/minilb-resolver.jar:resolver/target/lib/*"
mapfile -t opts < <(grep -v '^#' deploy/image/java-opts)
work="$PWD/target/bench/footprint"
rm -rf "$work" && mkdir -p "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
rss() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

for n in 1000 10000; do
  zone="$work/zone-$n"
  {
    echo "\$ORIGIN minilb."
    echo "@ 5 IN SOA ns.minilb. hostmaster.minilb. 1 60 30 3600 5"
    echo "@ 5 IN NS ns.minilb."
    for ((i = 0; i < n; i++)); do
      for j in 0 1 2; do echo "svc$i.ns$((i % 50)) 5 IN A 10.$((i / 256 % 256)).$((i % 256)).$((j + 1))"; done
    done
  } >"$zone"
  java -cp "$cp_resolver" bench/ZoneToSnapshot.java "$zone" "$work/snapshot-$n.pb" >/dev/null
  awk -v n="$n" 'BEGIN { srand(7); for (k = 0; k < 100000; k++) { i = int(rand() * n); print "svc" i ".ns" (i % 50) ".minilb A" } }' \
    >"$work/queries-$n.txt"
  port=$((54000 + n % 1000))
  java "${opts[@]}" -Xmx96m -cp "$cp_resolver" io.minilb.resolver.ResolverMain --controller 127.0.0.1:1 \
    --snapshot-file "$work/snapshot-$n.pb" --listen "127.0.0.1:$port" --http-listen 127.0.0.1:0 \
    --threads 1 >"$work/resolver-$n.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 1 100); do dig +short +tries=1 +time=1 @127.0.0.1 -p "$port" svc1.ns1.minilb >/dev/null 2>&1 && break; sleep 0.1; done
  sleep 5
  idle=$(rss "$pid")
  dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries-$n.txt" -c 8 -q 100 -l 15 >"$work/load-$n.txt" 2>&1
  loaded=$(rss "$pid")
  qps=$(awk '/Queries per second:/ {print $4}' "$work/load-$n.txt")
  echo "resolver, $n services ($((3 * n)) endpoints): RSS idle $idle MiB, after 15 s of load ($qps qps) $loaded MiB"
  if [[ $n -eq 1000 ]]; then
    t0=$(ticks "$pid"); sleep 60; t1=$(ticks "$pid")
    echo "resolver idle CPU over 60 s: $((t1 - t0)) ticks of $(getconf CLK_TCK)/s ($(awk -v d=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", 100 * d / hz / 60}')% of a core)"
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

[[ $skip_controller == yes ]] && exit 0
cluster="$work/cluster-10k"
mkdir -p "$cluster"
for ((i = 0; i < 10000; i++)); do
  cat <<YAML
---
apiVersion: v1
kind: Service
metadata: {name: svc$i, namespace: ns$((i % 50))}
spec: {type: LoadBalancer, loadBalancerClass: minilb, ports: [{name: http, port: 80, protocol: TCP}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: svc$i-x, namespace: ns$((i % 50)), labels: {kubernetes.io/service-name: svc$i}}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints:
- addresses: [10.$((i / 256 % 256)).$((i % 256)).1]
- addresses: [10.$((i / 256 % 256)).$((i % 256)).2]
- addresses: [10.$((i / 256 % 256)).$((i % 256)).3]
YAML
done >"$cluster/services.yaml"
./minilb demo --cluster "$cluster" --dns-port 54999 --kubeconfig-out "$work/kubeconfig" >"$work/demo.log" 2>&1 &
demo=$!
pids+=("$demo")
for _ in $(seq 1 600); do grep -q "minilb demo is running" "$work/demo.log" && break; sleep 1; done
sleep 10
cpid=$(pgrep -f "io.minilb.controller.ControllerMain.*$work/kubeconfig" | head -1)
rpid=$(pgrep -f "io.minilb.resolver.ResolverMain.*127.0.0.1:54999" | head -1)
echo "controller, 10000 services: RSS $(rss "$cpid") MiB; its resolver (full sync over the stream) RSS $(rss "$rpid") MiB"
kill "$demo"; wait "$demo" 2>/dev/null || true
