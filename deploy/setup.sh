#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs every Debian 12 package that the build, the demo and the tests need.
# Idempotent, non-interactive; run as root. Nothing is downloaded except Debian packages.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

PKGS=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  # Qt 6.4
  qt6-base-dev qt6-base-dev-tools qt6-declarative-dev qt6-declarative-dev-tools
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-httpserver-dev qt6-websockets-dev
  qt6-serialport-dev qt6-speech-dev qt6-speech-speechd-plugin qt6-virtualkeyboard-dev
  qt6-virtualkeyboard-plugin libqt6sql6-sqlite libqt6sql6-psql qt6-qpa-plugins
  qml6-module-qtquick qml6-module-qtqml qml6-module-qtqml-models qml6-module-qtqml-workerscript
  qml6-module-qtquick-controls qml6-module-qtquick-layouts qml6-module-qtquick-window
  qml6-module-qtquick-templates qml6-module-qttest qml6-module-qtquick-shapes
  qml6-module-qttexttospeech qml6-module-qtquick-virtualkeyboard qml6-module-qt-labs-settings
  # devices, imaging, crypto, storage
  libopencv-dev libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev libopencv-videoio-dev
  libzxing-dev zxing-cpp-tools libusb-1.0-0-dev libsqlite3-dev sqlite3 libssl-dev openssl
  libgooglepinyin0-dev libsystemd-dev
  # TPM 2.0 device identity and counter (tpm2-tss ESAPI); swtpm and tpm2-tools for the tests
  libtss2-dev swtpm swtpm-tools tpm2-tools
  # tests: USB emulation, display, hub database, fuzzing, fonts, speech
  umockdev libumockdev-dev xvfb xauth imagemagick clang libclang-rt-14-dev
  postgresql postgresql-client fonts-noto-cjk espeak-ng speech-dispatcher speech-dispatcher-espeak-ng
  # packaging checks: the .deb packages' runtime dependencies (kiosk compositor, logind session)
  curl cage qt6-wayland libpam-systemd dpkg-dev
  # fleet console browser test (tests/console): headless chromium driven by playwright-core, node + npm
  chromium nodejs
  # 通报 export test (tests/integration/grievance): the XLSX is read back by a real reader
  python3-openpyxl
  # province deployment: TLS termination and balancing in front of the hubs (deploy/nginx, tests/integration/proxy)
  nginx
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${#missing[@]} Debian packages"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages present"
fi
# npm ships inside NodeSource's nodejs; Debian's nodejs needs the separate npm package.
if ! command -v npm >/dev/null 2>&1; then
  apt-get install -y -qq --no-install-recommends npm
fi
