#!/bin/sh
# Builds the trimmed Java runtime one minilb process needs. Used by Dockerfile.* and by
# bench/runtime-image.sh, so the image and the local measurement are the same runtime.
#   jlink.sh <controller|resolver> <output-dir>        (uses $JAVA_HOME/bin/jlink)
set -eu
role="$1"
out="$2"
# Modules found with jdeps and checked by running each process on the result.
common="java.base,java.logging,java.management,jdk.management,jdk.unsupported,java.naming,jdk.crypto.ec"
case "$role" in
  resolver) modules="$common" ;;
  controller) modules="$common,java.net.http,java.desktop,java.security.jgss,java.xml" ;;
  *) echo "jlink.sh: role must be controller or resolver" >&2; exit 2 ;;
esac
major=$("${JAVA_HOME:?}/bin/jlink" --version | cut -d. -f1)
if [ "$major" -ge 21 ]; then compress=zip-6; else compress=2; fi
rm -rf "$out"
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress="$compress" --generate-cds-archive --output "$out"
# The heap caps are small, so compressed oops are always on: the no-coops archive is dead weight.
rm -f "$out"/lib/server/classes_nocoops.jsa
