#!/usr/bin/env bash
# A hundred resolvers reconnecting at once (as after a failover) to a controller holding a
# 10k-Service snapshot: time until all hold it, and the peak of the controller's direct memory,
# with the send budget the image gets (16 MiB, half of -XX:MaxDirectMemorySize=32m) and without
# one. Netty's unpooled allocator, as in the image. The harness is
# demo/src/test/java/io/minilb/demo/StreamReconnectBench.java.
#   bench/stream-reconnect.sh [SUBSCRIBERS] [SERVICES]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -B -am -pl demo verify -Dtest=StreamReconnectBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=NoSuch -Dfailsafe.failIfNoSpecifiedTests=false -Dspotless.check.skip=true \
  -DargLine="-Dio.netty.allocator.type=unpooled" \
  -Dminilb.bench.subscribers="${1:-100}" -Dminilb.bench.services="${2:-10000}" | grep -E "Tests run:|FAIL" | tail -1
grep -h "^bench:" demo/target/surefire-reports/io.minilb.demo.StreamReconnectBench-output.txt
