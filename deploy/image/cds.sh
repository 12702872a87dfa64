#!/bin/sh
# Makes the AppCDS archive for one process by starting it once and exiting (the classes loaded
# while parsing flags and starting up are archived). Used by Dockerfile.* and bench/runtime-image.sh.
#   cds.sh <controller|resolver> <app-dir>     (app-dir holds jre/, java-opts, <role>/)
set -eu
role="$1"
app="$2"
"$app/jre/bin/java" $(grep -v '^#' "$app/java-opts") -XX:ArchiveClassesAtExit="$app/$role.jsa" \
  -jar "$app/$role/minilb-$role.jar" --help >/dev/null
