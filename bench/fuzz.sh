#!/usr/bin/env bash
# Fuzz the resolver's UDP and TCP listeners with a million hostile packets (random bytes, bit
# flips of valid queries, truncated headers, compression loops, absurd counts, oversized TCP
# lengths), then check it still answers correctly and its heap did not grow.
#   bench/fuzz.sh [PACKETS] [SEED]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
packets="${1:-1000000}"
seed="${2:-20261125}"
mvn -B -q -DskipTests -Dspotless.check.skip=true install -pl resolver -am
mvn -B -pl resolver surefire:test -Dtest=FuzzIT -Dsurefire.failIfNoSpecifiedTests=false \
  -Dminilb.fuzz.packets="$packets" -Dminilb.fuzz.seed="$seed" | grep -E "Tests run:|FAIL|BUILD" || true
grep -h "^fuzz:" resolver/target/surefire-reports/io.minilb.resolver.it.FuzzIT-output.txt
