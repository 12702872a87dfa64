#!/usr/bin/env bash
# The controller's cost per change, stage by stage (record build, publish, delta encoding), at N
# Services, in-process with the images' JVM flags: no API server, so sizes the demo cannot seed
# quickly can be measured. C one-endpoint changes, each on a different Service.
#   bench/snapshot-build.sh [--changes C] [SERVICES...]   (default: 50 changes; 1000 10000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
changes=50
if [[ ${1:-} == --changes ]]; then
  changes=$2
  shift 2
fi
args=("$@")
[[ ${#args[@]} -eq 0 ]] && args=(1000 10000)
mkdir -p target
mvn -B -DskipTests -Dspotless.check.skip=true package -pl controller -am >target/snapshot-build.log 2>&1 \
  || { tail -50 target/snapshot-build.log; exit 1; }
mapfile -t opts < <(grep -v '^#' deploy/image/java-opts)
for n in "${args[@]}"; do
  java "${opts[@]}" -Xmx256m -cp 'controller/target/minilb-controller.jar:controller/target/lib/*' \
    bench/SnapshotBuild.java "$n" "$changes"
done
