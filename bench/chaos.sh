#!/usr/bin/env bash
# The fault suite (FaultsIT: controller killed under load, leader failover, 100 resolvers, resolver
# restart from its snapshot file) run ROUNDS times in a row at a higher query rate than CI uses.
#   bench/chaos.sh [ROUNDS] [QPS_PER_RESOLVER]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds="${1:-3}"
qps="${2:-2000}"
mvn -B -q -DskipTests -Dspotless.check.skip=true install
for i in $(seq 1 "$rounds"); do
  start=$(date +%s)
  if mvn -B -pl demo surefire:test -Dtest=FaultsIT -Dsurefire.failIfNoSpecifiedTests=false \
    -Dminilb.chaos.qps="$qps" >"target/chaos-$i.log" 2>&1; then
    result=pass
  else
    result=FAIL
  fi
  echo "round $i: $result in $(( $(date +%s) - start )) s; $(grep -h 'Tests run:' "target/chaos-$i.log" | tail -1 | sed 's/\[[A-Z]*\] //')"
  grep -hE "restarted resolver answered|100 resolvers" demo/target/surefire-reports/io.minilb.demo.FaultsIT-output.txt || true
done
