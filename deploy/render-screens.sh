#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Renders every kiosk screen in portrait (1080×1920) and landscape (1920×1080) to PNG files,
# offscreen, driving the session and the simulated devices: bash deploy/render-screens.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-out/screens}
bash deploy/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default -j"$(nproc)" --target hcp-kiosk-screentour
QT_QPA_PLATFORM=offscreen build/bin/hcp-kiosk-screentour "$OUT"
ls "$OUT"
