#!/usr/bin/env bash
# Builds each image's runtime locally by running the steps Dockerfile.<role> runs (its RUN lines
# for deploy/image/jlink.sh and cds.sh, its JDK_JAVA_OPTIONS and its ENTRYPOINT, read from the
# Dockerfile itself), starts the resolver with that exact command, and reports the runtime size,
# the image payload and the process RSS. No Docker engine needed.
#   bench/runtime-image.sh [--java-home DIR]...   (default: $JAVA_HOME, else the java on PATH)
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

mvn -B -q -DskipTests -Dspotless.check.skip=true package -pl controller,resolver -am
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# The Dockerfile's RUN line that starts with $2, with /app replaced by the local app dir $3.
run_line() { grep "^RUN /app/$2" "Dockerfile.$1" | sed "s#^RUN ##; s#/app#$3#g"; }
# The Dockerfile's ENTRYPOINT as words, /app replaced.
entrypoint() { grep '^ENTRYPOINT' "Dockerfile.$1" | sed 's/^ENTRYPOINT \[//; s/\]$//; s/", "/ /g; s/"//g' | sed "s#/app#$2#g"; }
java_opts() { grep '^ENV JDK_JAVA_OPTIONS=' "Dockerfile.$1" | sed 's/^ENV JDK_JAVA_OPTIONS="//; s/"$//'; }
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

for home in "${homes[@]}"; do
  version=$("$home/bin/java" -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/\1/')
  for role in resolver controller; do
    app="$PWD/target/runtime-image/$version/$role"
    rm -rf "$app" && mkdir -p "$app/$role"
    cp deploy/image/jlink.sh deploy/image/cds.sh deploy/image/java-opts "$app/"
    cp "$role/target/minilb-$role.jar" "$app/$role/"
    cp -r "$role/target/lib" "$app/$role/lib"
    JAVA_HOME="$home" bash -c "$(run_line "$role" jlink.sh "$app")"
    bash -c "$(run_line "$role" cds.sh "$app")"
    rm -f "$app/jlink.sh" "$app/cds.sh" "$app/java-opts"
    echo "java $version $role: runtime $(( $(du -sk "$app/jre" | cut -f1) / 1024 )) MiB," \
      "image payload (runtime + jars + CDS) $(( $(du -sk "$app" | cut -f1) / 1024 )) MiB"
  done

  app="$PWD/target/runtime-image/$version/resolver"
  port=$((20000 + RANDOM % 20000))
  # shellcheck disable=SC2046
  JDK_JAVA_OPTIONS="$(java_opts resolver)" $(entrypoint resolver "$app") \
    --controller 127.0.0.1:1 --listen "127.0.0.1:$port" --http-listen 127.0.0.1:0 --threads 1 \
    >"$app/resolver.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 1 100); do
    grep -q "serving DNS" "$app/resolver.log" 2>/dev/null && break
    sleep 0.1
  done
  sleep 3
  idle=$(rss_kib "$pid")
  if command -v dig >/dev/null; then
    for _ in $(seq 1 300); do dig +short +tries=1 +time=1 @127.0.0.1 -p "$port" web.default.minilb >/dev/null || true; done
  fi
  busy=$(rss_kib "$pid")
  grep -q "cds.*Unable" "$app/resolver.log" && echo "WARNING: the CDS archive was not used" >&2
  echo "java $version resolver: RSS idle $((idle / 1024)) MiB, after 300 queries $((busy / 1024)) MiB (no zone data)"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
done
