#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sets everything up and runs the kiosk demo: a local hcp-hub on loopback with the demo cases,
# an enrolled demo kiosk with simulated devices, looking cases up through the hub.
# Windowed when a display is available (DISPLAY or WAYLAND_DISPLAY), otherwise offscreen: then it
# also renders every screen to PNG files and keeps the kiosk running (Ctrl-C ends the demo;
# HCP_DEMO_SECONDS=N ends it after N seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
# Both steps cost next to nothing when up to date: setup.sh installs only missing packages, the
# build tree is configured once and the build is incremental (two targets, not the test suite).
bash deploy/setup.sh
[ -f build/build.ninja ] || cmake --preset default >/dev/null
cmake --build --preset default -j"$(nproc)" --target hcp-kiosk hcp-hub

DEMO=${HCP_DEMO_DIR:-/tmp/hcp-demo}
PORT=${HCP_DEMO_PORT:-8470}
BIN=build/bin/hcp-kiosk
HUB=build/sync/hub/hcp-hub
rm -rf "$DEMO"; mkdir -p "$DEMO"

windowed=0
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then windowed=1; fi
[ "$windowed" = 1 ] || export QT_QPA_PLATFORM=offscreen

QT_QPA_PLATFORM=offscreen "$BIN" --data-dir "$DEMO/tmp" --write-demo-cases "$DEMO/cases.json" 2>/dev/null
# A month of synthetic 好差评 history (marked: devices DEMO-KIOSK-*, 办件编号 DEMO-*, actors demo.*)
# so the 差评工单 list and the 通报 are alive: files in every state, overdue ones, appeals.
"$HUB" --db "$DEMO/hub.sqlite" seed-demo 2>/dev/null
"$HUB" --db "$DEMO/hub.sqlite" --listen "127.0.0.1:$PORT" --enroll-token demo-token \
       --import-cases "$DEMO/cases.json" > "$DEMO/hub.log" 2>&1 &
hub_pid=$!
trap 'kill $hub_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do grep -q "listening on" "$DEMO/hub.log" && break; sleep 0.1; done
grep "listening on" "$DEMO/hub.log" || { cat "$DEMO/hub.log"; exit 1; }

# Offline provisioning with the kiosk's own device key (PROTOCOL §11): the kiosk makes its key
# (0600, in $DEMO/kiosk-identity) and hands out the public half, the hub enrolls the device with
# it; the kiosk then signs its requests and ledger, and the hub checks its ledger heads.
QT_QPA_PLATFORM=offscreen "$BIN" --data-dir "$DEMO/kiosk" --device-public-key-out "$DEMO/kiosk.pub.pem" 2>/dev/null
"$HUB" enroll-device KIOSK-DEMO-0001 HALL-001 "$DEMO/kiosk/credentials.json" --db "$DEMO/hub.sqlite" \
       --hub-url "http://127.0.0.1:$PORT" --device-public-key "$DEMO/kiosk.pub.pem"

# A console user for the fleet console (maintenance staff's web page).
printf 'demo-console\n' | "$HUB" add-user admin admin --db "$DEMO/hub.sqlite" >/dev/null
# A department handler of the demo 县公安局 (sees and handles that department's 差评 only).
printf 'demo-console\n' | "$HUB" add-user gaj handler 11110105MB00000001 --db "$DEMO/hub.sqlite" >/dev/null

echo "Demo: hub on 127.0.0.1:$PORT (admin API: curl -H \"Authorization: Bearer \$(cat $DEMO/admin-token)\" http://127.0.0.1:$PORT/v1/admin/stats)"
echo "Demo: fleet console at http://127.0.0.1:$PORT/console (user admin, password demo-console; 差评工单 of 县公安局: user gaj)"
echo "Demo: tap 演示 (bottom left) to insert an ID card or scan a receipt QR code."
if [ "$windowed" = 1 ]; then
  exec "$BIN" --demo --data-dir "$DEMO/kiosk" ${HCP_DEMO_SIZE:+--size "$HCP_DEMO_SIZE"}
fi
"$BIN" --render-screens "$DEMO/screens" 2>/dev/null
echo "Demo: screenshots of every screen (portrait and landscape) are in $DEMO/screens"
args=(--demo --data-dir "$DEMO/kiosk")
[ -n "${HCP_DEMO_SECONDS:-}" ] && args+=(--quit-after "$((HCP_DEMO_SECONDS * 1000))")
echo "Demo: kiosk running offscreen (Ctrl-C to stop)"
"$BIN" "${args[@]}"
