#!/usr/bin/env bash
# CPU time and bytes allocated per answer (A hit, AAAA NODATA, A NXDOMAIN) through the resolver's
# Responder, in-process with the images' JVM flags (harness bench/AnswerCpu.java). With --base DIR,
# the same harness also runs against the resolver built in DIR (another checkout), alternating.
#   bench/answer-cpu.sh [--base DIR] [--no-build] [SERVICES [ROUNDS [QUERIES]]]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
base=""
build=1
while [[ ${1:-} == --* ]]; do
  case $1 in
    --base) base=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p target
if [[ $build == 1 ]]; then
  for tree in . ${base:+"$base"}; do
    (cd "$tree" && mvn -B -DskipTests -Dspotless.check.skip=true package -pl resolver -am \
      >target/answer-cpu-build.log 2>&1) || { tail -50 "$tree/target/answer-cpu-build.log"; exit 1; }
  done
fi
mapfile -t opts < <(grep -v '^#' deploy/image/java-opts)
run() {
  echo "== $1 ($(git -C "$1" rev-parse --short HEAD)), load $(cut -d' ' -f1-3 /proc/loadavg)"
  java "${opts[@]}" -Xmx64m -cp "$1/resolver/target/minilb-resolver.jar:$1/resolver/target/lib/*" \
    bench/AnswerCpu.java "${@:2}"
}
for round in 1 2; do
  [[ -n $base ]] && run "$base" "$@"
  run . "$@"
done
