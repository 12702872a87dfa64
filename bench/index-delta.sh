#!/usr/bin/env bash
# Time to apply a one-endpoint delta to the resolver's index at 10k and 50k Services (3 endpoints
# each, with endpoint names and SRV records: 5 RRsets per Service), and the full index build for
# comparison. In-process, no sockets: the cost of ZoneIndex.apply alone.
#   bench/index-delta.sh [SERVICES...]   (default: 10000 50000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p target
args=("$@")
[[ ${#args[@]} -eq 0 ]] && args=(10000 50000)
mvn -B -DskipTests -Dspotless.check.skip=true package -pl resolver -am >target/index-delta-build.log 2>&1 \
  || { tail -50 target/index-delta-build.log; exit 1; }
mapfile -t opts < <(grep -v '^#' deploy/image/java-opts)
java "${opts[@]}" -Xmx256m -cp 'resolver/target/minilb-resolver.jar:resolver/target/lib/*' \
  bench/IndexDelta.java "${args[@]}"
