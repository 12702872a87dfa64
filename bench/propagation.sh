#!/usr/bin/env bash
# Propagation: API change to changed answer at 3 resolvers over 200 changes (p50/p99), and at 10k
# services the snapshot build time, the resolver's full sync over gRPC, and a one-endpoint delta's
# wire size. The harness is demo/src/test/java/io/minilb/demo/PropagationBench.java.
#   bench/propagation.sh [CHANGES] [SERVICES]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -B -q -DskipTests -Dspotless.check.skip=true install
mvn -B -pl demo surefire:test -Dtest=PropagationBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dminilb.bench.changes="${1:-200}" -Dminilb.bench.services="${2:-10000}" | grep -E "Tests run:|FAIL" | tail -1
grep -h "^bench:" demo/target/surefire-reports/io.minilb.demo.PropagationBench-output.txt
