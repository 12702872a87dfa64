#!/bin/sh
# Makes the AppCDS archive for one process, with the same flags the image runs with:
# $JDK_JAVA_OPTIONS from java-opts and the role's heap cap. Used by Dockerfile.* and
# bench/runtime-image.sh. The resolver is started for real (DNS and ops ports on loopback, a
# stream attempt to an address nobody serves) and stopped once it serves, so Netty, gRPC, logging
# and the metrics are archived too: 3 MiB less RSS than an archive of --help alone
# (docs/PERFORMANCE.md, Memory). The controller needs a cluster to start, so it archives --help.
#   cds.sh <controller|resolver> <app-dir> <max-heap>
set -eu
role="$1"
app="$2"
heap="$3"
JDK_JAVA_OPTIONS="$(grep -v '^#' "$app/java-opts" | tr '\n' ' ')"
export JDK_JAVA_OPTIONS
archive="-XX:ArchiveClassesAtExit=$app/$role.jsa"
if [ "$role" = resolver ]; then
  log="$app/cds-start.log"
  "$app/jre/bin/java" -Xmx"$heap" "$archive" -jar "$app/$role/minilb-$role.jar" \
    --controller 127.0.0.1:1 --listen 127.0.0.1:0 --http-listen 127.0.0.1:0 >"$log" 2>&1 &
  pid=$!
  i=0
  until grep -q "serving DNS" "$log" || [ "$i" -ge 600 ]; do
    sleep 0.1
    i=$((i + 1))
  done
  sleep 2
  kill -TERM "$pid"
  wait "$pid" || true
  rm -f "$log"
else
  "$app/jre/bin/java" -Xmx"$heap" "$archive" -jar "$app/$role/minilb-$role.jar" --help >/dev/null 2>&1
fi
