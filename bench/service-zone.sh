#!/usr/bin/env bash
# Prints the zone of N Services that footprint.sh and resolver-idle.sh serve: each Service a name
# with three A records, an endpoint name per address and an SRV per endpoint, in 50 namespaces.
#   bench/service-zone.sh N >zone
set -euo pipefail
n=$1
echo "\$ORIGIN minilb."
echo "@ 5 IN SOA ns.minilb. hostmaster.minilb. 1 60 30 3600 5"
echo "@ 5 IN NS ns.minilb."
for ((i = 0; i < n; i++)); do
  o="svc$i.ns$((i % 50))"
  for j in 0 1 2; do
    ip="10.$((i / 256 % 256)).$((i % 256)).$((j + 1))"
    echo "$o 5 IN A $ip"
    echo "ep$j.$o 5 IN A $ip"
    echo "_http._tcp.$o 5 IN SRV 0 1 8080 ep$j.$o.minilb."
  done
done
