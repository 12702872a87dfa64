#!/bin/sh
# Starts one minilb process on the trimmed runtime with the footprint flags in java-opts and the
# AppCDS archive made at build time. MINILB_HEAP overrides the heap cap (default per role).
#   entrypoint.sh <controller|resolver> [flags...]
set -eu
role="$1"
shift
here="$(dirname "$0")"
case "$role" in
  resolver) heap="${MINILB_HEAP:-48m}" ;;
  controller) heap="${MINILB_HEAP:-160m}" ;;
  *) echo "entrypoint.sh: role must be controller or resolver" >&2; exit 2 ;;
esac
# shellcheck disable=SC2046
exec "${JAVA:-$here/jre/bin/java}" $(grep -v '^#' "$here/java-opts") -Xmx"$heap" \
  -XX:SharedArchiveFile="$here/$role.jsa" -Xshare:auto \
  -jar "$here/$role/minilb-$role.jar" "$@"
