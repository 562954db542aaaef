#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Writes deploy/nginx/hcp-hub.conf with this site's values to stdout:
#   render.sh --listen 443 --cert /etc/ssl/hcp.pem --key /etc/ssl/private/hcp.key \
#             --bind 10.0.0.5 --hub 10.0.0.11:8080 --hub 10.0.0.12:8080 > /etc/nginx/conf.d/hcp-hub.conf
# --bind is the proxy's own address towards the hubs: give it to each hub as --trusted-proxy.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
listen="" cert="" key="" bind="" hubs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --listen) listen=$2; shift 2 ;;
    --cert) cert=$2; shift 2 ;;
    --key) key=$2; shift 2 ;;
    --bind) bind=$2; shift 2 ;;
    --hub) hubs+=("$2"); shift 2 ;;
    *) echo "render.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "$listen" ] || [ -z "$cert" ] || [ -z "$key" ] || [ -z "$bind" ] || [ ${#hubs[@]} -eq 0 ]; then
  echo "usage: render.sh --listen PORT --cert PEM --key PEM --bind ADDR --hub HOST:PORT [--hub HOST:PORT …]" >&2
  exit 2
fi
servers=""
for h in "${hubs[@]}"; do
  servers+="    server $h max_fails=1 fail_timeout=5s;"$'\n'
done
servers=${servers%$'\n'}
while IFS= read -r line; do
  case "$line" in
    *@HUB_SERVERS@*) printf '%s\n' "$servers" ;;
    *) line=${line//@LISTEN@/$listen}; line=${line//@CERT@/$cert}; line=${line//@KEY@/$key}
       line=${line//@PROXY_BIND@/$bind}; printf '%s\n' "$line" ;;
  esac
done < "$here/hcp-hub.conf"
