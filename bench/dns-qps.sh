#!/usr/bin/env bash
# Throughput, CPU and latency of the minilb resolver side by side with Knot DNS on the same data.
#   bench/dns-qps.sh [--services N] [--rounds R] [--duration S] [--profile] [--no-build]
# One data set (N names, 2-3 A records each) is written as a Knot zone file and as a minilb
# snapshot file. The query mix is 90% A hits, 5% AAAA of existing names (NODATA), 5% unknown names
# (NXDOMAIN). Knot and minilb run alternately (A B A B ...) on loopback, each pinned to core 1 with
# dnsperf on core 0: UDP (-c 8 -q 100), TCP (-m tcp), and a fixed 20k qps run that reads the
# server's CPU time (and the kernel's share of it) and every query's latency, then its RSS. Prints
# medians and the minilb/Knot ratios.
# --profile: minilb only, under a JFR recording (target/bench/dns-qps-N/minilb-R.jfr), summarised
# by bench/JfrTop.java (CPU samples, allocation sites, collections); its figures carry JFR's cost.
# --no-build: use the jars already built from this tree (build first, outside any benchmark lock).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
services=1000
rounds=3
duration=15
profile=""
build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --services) services="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --profile) profile=1; shift ;;
    --no-build) build=""; shift ;;
    *) echo "usage: $0 [--services N] [--rounds R] [--duration S] [--profile] [--no-build]" >&2; exit 2 ;;
  esac
done

need=()
command -v dnsperf >/dev/null || need+=(dnsperf)
command -v knotd >/dev/null || need+=(knot)
if ((${#need[@]})); then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi

work="$PWD/target/bench/dns-qps-$services"
rm -rf "$work" && mkdir -p "$work/knot"
# every jar, so ./minilb need not rebuild
if [[ -n "$build" ]]; then
  mvn -B -DskipTests -Dspotless.check.skip=true package >"$work/build.log" 2>&1 ||
    { tail -n 40 "$work/build.log" >&2; exit 1; }
fi
cp_resolver="resolver/target/minilb-resolver.jar:resolver/target/lib/*"

# --- data set -------------------------------------------------------------------------------
zone="$work/minilb.zone"
{
  echo "\$ORIGIN minilb."
  echo "@ 5 IN SOA ns.minilb. hostmaster.minilb. 1 60 30 3600 5"
  echo "@ 5 IN NS ns.minilb."
  echo "ns 5 IN A 127.0.0.1"
  for ((i = 0; i < services; i++)); do
    n=$((2 + i % 2))
    for ((j = 0; j < n; j++)); do
      echo "svc$i.ns$((i % 50)) 5 IN A 10.$((i / 65536 % 256)).$((i / 256 % 256)).$(( (i % 256 + j * 7) % 256 ))"
    done
  done
} >"$zone"
java -cp "$cp_resolver" bench/ZoneToSnapshot.java "$zone" "$work/snapshot.pb" >/dev/null
awk -v n="$services" 'BEGIN { srand(42); for (k = 0; k < 200000; k++) { r = rand(); i = int(rand() * n);
  if (r < 0.90) print "svc" i ".ns" (i % 50) ".minilb A";
  else if (r < 0.95) print "svc" i ".ns" (i % 50) ".minilb AAAA";
  else print "nope" i ".ns" (i % 50) ".minilb A" } }' >"$work/queries.txt"

# --- servers --------------------------------------------------------------------------------
kport=53531
mport=53532
cat >"$work/knot/knot.conf" <<CONF
server:
    listen: 127.0.0.1@$kport
    rundir: $work/knot
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: $work/knot
log:
  - target: stderr
    any: warning
zone:
  - domain: minilb.
    file: $zone
    journal-content: none
    zonefile-sync: -1
CONF
# Knot's response rate limiting is off unless configured; no 'rrl' module is loaded here.

pid=""
stop() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; pid=""; }
trap stop EXIT

start_server() {
  case "$1" in
    knot)
      knotd -c "$work/knot/knot.conf" >"$work/knot.log" 2>&1 &
      pid=$!
      port=$kport ;;
    minilb)
      # The shipped entry point (./minilb resolver: the image's JVM flags and heap), metrics on.
      local jfr=()
      [[ -n "$profile" ]] &&
        jfr=(env "JAVA_TOOL_OPTIONS=-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=$work/minilb-$r.jfr")
      "${jfr[@]}" ./minilb resolver \
        --controller 127.0.0.1:1 --snapshot-file "$work/snapshot.pb" --listen "127.0.0.1:$mport" \
        --http-listen 127.0.0.1:0 --threads 1 >"$work/minilb.log" 2>&1 &
      pid=$!
      port=$mport ;;
  esac
  for _ in $(seq 1 100); do
    dig +short +tries=1 +time=1 @127.0.0.1 -p "$port" svc1.ns1.minilb A >/dev/null 2>&1 && break
    sleep 0.1
  done
  taskset -a -p 2 "$pid" >/dev/null   # every thread of the server on core 1 (knotd re-pins its own)
  # warm-up: JIT and caches, so that both servers are measured in their steady state
  taskset -c 0 dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries.txt" -c 8 -q 100 -l 5 >/dev/null 2>&1
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
sys_ticks() { awk '{print $15}' "/proc/$1/stat"; }

measure() { # server → one line: udp_qps udp_lost tcp_qps cpu_pct p99_ms rss_mib sys_pct
  local name=$1
  start_server "$name"
  local udp tcp t0 t1 s0 s1 hz p99 lost rss
  udp=$(taskset -c 0 dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries.txt" -c 8 -q 100 -l "$duration" 2>&1)
  tcp=$(taskset -c 0 dnsperf -m tcp -s 127.0.0.1 -p "$port" -d "$work/queries.txt" -c 8 -q 100 -l "$duration" 2>&1)
  hz=$(getconf CLK_TCK)
  t0=$(cpu_ticks "$pid")
  s0=$(sys_ticks "$pid")
  taskset -c 0 dnsperf -v -s 127.0.0.1 -p "$port" -d "$work/queries.txt" -c 8 -q 100 -Q 20000 -l "$duration" \
    >"$work/fixed-$name.txt" 2>&1
  t1=$(cpu_ticks "$pid")
  s1=$(sys_ticks "$pid")
  rss=$(awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")
  p99=$(awk '$1 == ">" {print $NF}' "$work/fixed-$name.txt" | sort -n |
    awk '{a[NR] = $1} END {if (NR) printf "%.3f", a[int(NR * 0.99)] * 1000; else print "n/a"}')
  lost=$(echo "$udp" | awk '/Queries lost:/ {print $3}')
  stop
  printf "%s %s %s %s %s %s %s\n" \
    "$(echo "$udp" | awk '/Queries per second:/ {print $4}')" "$lost" \
    "$(echo "$tcp" | awk '/Queries per second:/ {print $4}')" \
    "$(awk -v d=$((t1 - t0)) -v hz="$hz" -v s="$duration" 'BEGIN {printf "%.1f", 100 * d / hz / s}')" "$p99" \
    "$rss" "$(awk -v d=$((s1 - s0)) -v hz="$hz" -v s="$duration" 'BEGIN {printf "%.1f", 100 * d / hz / s}')"
}

echo "data: $services names ($(grep -c ' IN A 10\.' "$zone") A records); queries 90% A / 5% NODATA / 5% NXDOMAIN"
echo "round server udp_qps udp_lost tcp_qps cpu%@20k p99_ms@20k rss_mib sys%@20k"
servers=(knot minilb)
[[ -n "$profile" ]] && servers=(minilb)
for ((r = 1; r <= rounds; r++)); do
  for s in "${servers[@]}"; do
    line=$(measure "$s")
    echo "$r $s $line" | tee -a "$work/results.txt"
  done
done
if [[ -n "$profile" ]]; then
  for ((r = 1; r <= rounds; r++)); do
    echo && echo "JFR, round $r:" && java bench/JfrTop.java "$work/minilb-$r.jfr"
  done
  exit 0
fi

median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
echo
echo "medians over $rounds rounds:"
for s in knot minilb; do
  for col in 3 4 5 6 7; do
    v[$col]=$(awk -v s="$s" -v c="$col" '$2 == s {print $c}' "$work/results.txt" | median)
  done
  printf "%-7s udp %s qps (lost %s), tcp %s qps, cpu %s%% at 20k qps, p99 %s ms at 20k qps\n" \
    "$s" "${v[3]}" "${v[4]}" "${v[5]}" "${v[6]}" "${v[7]}"
  eval "m_$s=(${v[3]} ${v[5]} ${v[6]})"
done
awk -v ku="${m_knot[0]}" -v kt="${m_knot[1]}" -v kc="${m_knot[2]}" \
  -v mu="${m_minilb[0]}" -v mt="${m_minilb[1]}" -v mc="${m_minilb[2]}" \
  'BEGIN {printf "ratios minilb/knot: udp %.2f, tcp %.2f, cpu at 20k qps %.2f\n", mu / ku, mt / kt, mc / kc}'
# On a shared machine the other load moves between rounds; each round's Knot and minilb run back
# to back, so the ratio within a round is the steadier figure.
awk '$2 == "knot" {u[$1] = $3; t[$1] = $5; c[$1] = $6}
  $2 == "minilb" && ($1 in u) {printf "%s %.3f %.3f %.3f\n", $1, $3 / u[$1], $5 / t[$1], $6 / c[$1]}' \
  "$work/results.txt" >"$work/ratios.txt"
echo "per-round ratios minilb/knot (round udp tcp cpu@20k):"
cat "$work/ratios.txt"
printf "median of per-round ratios: udp %.2f, tcp %.2f, cpu at 20k qps %.2f\n" \
  "$(awk '{print $2}' "$work/ratios.txt" | median)" "$(awk '{print $3}' "$work/ratios.txt" | median)" \
  "$(awk '{print $4}' "$work/ratios.txt" | median)"
