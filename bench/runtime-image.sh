#!/usr/bin/env bash
# Builds the resolver's (and controller's) image runtime locally with the same steps the
# Dockerfiles run (deploy/image/jlink.sh, cds.sh, entrypoint.sh), starts the resolver on it, and
# reports the runtime's size and the process RSS. No Docker engine needed.
#   bench/runtime-image.sh [--java-home DIR]... (default: $JAVA_HOME, else the java on PATH)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
homes=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --java-home) homes+=("$2"); shift 2 ;;
    *) echo "usage: $0 [--java-home DIR]..." >&2; exit 2 ;;
  esac
done
if [[ ${#homes[@]} -eq 0 ]]; then
  homes=("${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}")
fi

mvn -B -q -DskipTests package -pl controller,resolver -am >/dev/null
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

for home in "${homes[@]}"; do
  version=$("$home/bin/java" -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/\1/')
  for role in resolver controller; do
    app="target/runtime-image/$version/$role"
    rm -rf "$app" && mkdir -p "$app/$role"
    cp deploy/image/jlink.sh deploy/image/cds.sh deploy/image/entrypoint.sh deploy/image/java-opts "$app/"
    cp "$role/target/minilb-$role.jar" "$app/$role/"
    cp -r "$role/target/lib" "$app/$role/lib"
    JAVA_HOME="$home" "$app/jlink.sh" "$role" "$app/jre"
    "$app/cds.sh" "$role" "$app"
    jre=$(du -sk "$app/jre" | cut -f1)
    total=$(du -sk "$app" | cut -f1)
    echo "java $version $role: runtime $((jre / 1024)) MiB, runtime+jars+CDS $((total / 1024)) MiB"
  done

  app="target/runtime-image/$version/resolver"
  port=$((20000 + RANDOM % 20000))
  "$app/entrypoint.sh" resolver --controller 127.0.0.1:1 --listen "127.0.0.1:$port" \
    --http-listen 127.0.0.1:0 --threads 1 >"$app/resolver.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 1 100); do
    grep -q "serving DNS" "$app/resolver.log" && break
    sleep 0.1
  done
  sleep 3
  idle=$(rss_kib "$pid")
  if command -v dig >/dev/null; then
    for _ in $(seq 1 200); do dig +short +tries=1 +time=1 @127.0.0.1 -p "$port" web.default.minilb >/dev/null || true; done
  fi
  busy=$(rss_kib "$pid")
  echo "java $version resolver: RSS idle $((idle / 1024)) MiB, after 200 queries $((busy / 1024)) MiB (no data loaded)"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
done
