#!/bin/sh
# Makes the AppCDS archive for one process by starting it once with --help (the classes loaded
# while parsing flags and starting up are archived), with the same flags the image runs with:
# $JDK_JAVA_OPTIONS from java-opts and the role's heap cap. Used by Dockerfile.* and
# bench/runtime-image.sh.
#   cds.sh <controller|resolver> <app-dir> <max-heap>
set -eu
role="$1"
app="$2"
heap="$3"
JDK_JAVA_OPTIONS="$(grep -v '^#' "$app/java-opts" | tr '\n' ' ')"
export JDK_JAVA_OPTIONS
"$app/jre/bin/java" -Xmx"$heap" -XX:ArchiveClassesAtExit="$app/$role.jsa" \
  -jar "$app/$role/minilb-$role.jar" --help >/dev/null 2>&1
