#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the two .deb packages built by CPack the way a machine would (apt resolves the
# dependencies from the archive), checks what the maintainer scripts set up, runs the installed
# kiosk's QML self-test and the installed hub as its service user and asks it over HTTP, then
# purges both packages again (HCP_KEEP_INSTALLED=1 keeps them). Root on Debian 12, e.g. in CI:
#
#   cmake --build build --target package && bash deploy/install-check.sh build
#
# HCP_HUB_CHECK_PATH is the URL path asked (default /v1/health; the admin API needs its token).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

dir=${1:-build}
[ "$(id -u)" -eq 0 ] || { echo "install-check: run as root" >&2; exit 2; }
kiosk_deb=$(ls -1 "$dir"/hcp-kiosk_*.deb 2>/dev/null | sort -V | tail -1)
hub_deb=$(ls -1 "$dir"/hcp-hub_*.deb 2>/dev/null | sort -V | tail -1)
[ -n "$kiosk_deb" ] && [ -n "$hub_deb" ] || { echo "install-check: no hcp-kiosk/hcp-hub .deb in $dir" >&2; exit 2; }
port=${HCP_HUB_CHECK_PORT:-18470}
path=${HCP_HUB_CHECK_PATH:-/v1/health}

failures=0
check() { # check DESCRIPTION COMMAND...
    local what=$1; shift
    if "$@" >/dev/null 2>&1; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi
}
mode_owner() { [ "$(stat -c '%a %U %G' "$1")" = "$2" ]; }
in_group() { id -nG "$1" | tr ' ' '\n' | grep -qx "$2"; }

echo "== installing $(basename "$hub_deb") $(basename "$kiosk_deb")"
apt-get install -y -qq --no-install-recommends "$(realpath "$hub_deb")" "$(realpath "$kiosk_deb")"

check "hcp-kiosk installed" sh -c "dpkg-query -W -f='\${Status}' hcp-kiosk | grep -q 'install ok installed'"
check "hcp-hub installed" sh -c "dpkg-query -W -f='\${Status}' hcp-hub | grep -q 'install ok installed'"
check "user hcp exists" id hcp
for g in plugdev lp input dialout video render; do check "hcp is in group $g" in_group hcp "$g"; done
check "/var/lib/hcp-kiosk is 700 hcp" mode_owner /var/lib/hcp-kiosk "700 hcp hcp"
check "user hcp-hub exists" id hcp-hub
check "/var/lib/hcp-hub is 700 hcp-hub" mode_owner /var/lib/hcp-hub "700 hcp-hub hcp-hub"
check "/etc/default/hcp-hub is 640 root:hcp-hub" mode_owner /etc/default/hcp-hub "640 root hcp-hub"
check "hcp-hub.service enabled" sh -c "[ \"\$(systemctl is-enabled hcp-hub.service)\" = enabled ]"
if [ -e /var/lib/hcp-kiosk/credentials.json ]; then
    echo "note: this machine is provisioned; skipping the 'kiosk not enabled' check"
else
    check "hcp-kiosk.service not enabled before provisioning" \
        sh -c "[ \"\$(systemctl is-enabled hcp-kiosk.service 2>/dev/null)\" != enabled ]"
fi
check "udev rules installed" test -f /lib/udev/rules.d/60-hcp-kiosk.rules
check "HID POS probe executable" test -x /usr/lib/hcp-kiosk/hcp-hidpos-probe
check "kiosk launcher executable" test -x /usr/lib/hcp-kiosk/hcp-kiosk-launch
check "cage installed (dependency)" test -x /usr/bin/cage

# Every QML file loads with the packages' dependencies (a missing qml6-module-* fails here).
scratch=$(mktemp -d)
chown hcp:hcp "$scratch"
chmod 0755 "$scratch"
check "installed hcp-kiosk passes --self-test as hcp" \
    runuser -u hcp -- env -i PATH=/usr/bin:/bin HOME="$scratch" QT_QPA_PLATFORM=offscreen \
        /usr/bin/hcp-kiosk --self-test --data-dir "$scratch/data"

# The installed hub, as its user, on its state directory.
log=$(mktemp)
runuser -u hcp-hub -- /usr/bin/hcp-hub serve --listen "127.0.0.1:$port" \
    --db /var/lib/hcp-hub/install-check.sqlite >"$log" 2>&1 &
hub_pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$path" || true)
check "installed hub answers GET $path with 200 (got $status)" [ "$status" = 200 ]
kill "$hub_pid" 2>/dev/null || true
wait "$hub_pid" 2>/dev/null || true
rm -f /var/lib/hcp-hub/install-check.sqlite* "$log"
rm -rf "$scratch"

if [ "${HCP_KEEP_INSTALLED:-0}" != 1 ]; then
    echo "== purging"
    apt-get purge -y -qq hcp-kiosk hcp-hub >/dev/null
    check "hcp-kiosk removed" sh -c "! dpkg-query -W -f='\${Status}' hcp-kiosk 2>/dev/null | grep -q 'install ok'"
    check "units gone" sh -c "[ ! -e /lib/systemd/system/hcp-kiosk.service ] && [ ! -e /lib/systemd/system/hcp-hub.service ]"
fi

echo "install-check: $failures failure(s)"
[ "$failures" -eq 0 ]
