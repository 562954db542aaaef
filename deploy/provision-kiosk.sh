#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Provisions a kiosk: enrolls it with the hub using a one-time token, checks the credentials it
# received, then enables and starts hcp-kiosk.service. Run as root on the kiosk, once:
#
#   hcp-provision-kiosk https://hub.example.gov.cn TOKEN
#
# The enrollment runs as the kiosk's own user, so the credentials file is owned by it and
# nobody else (mode 0600). An already provisioned kiosk is left alone unless
# HCP_REPROVISION=1 (a re-enrollment gives the kiosk a new identity at the hub).
#
# Overridable for tests and unusual layouts: HCP_DATA_DIR (/var/lib/hcp-kiosk), HCP_KIOSK_USER
# (hcp), HCP_KIOSK_BIN (/usr/bin/hcp-kiosk), HCP_SYSTEMCTL (systemctl).
set -euo pipefail

DATA_DIR=${HCP_DATA_DIR:-/var/lib/hcp-kiosk}
KIOSK_USER=${HCP_KIOSK_USER:-hcp}
KIOSK_BIN=${HCP_KIOSK_BIN:-/usr/bin/hcp-kiosk}
SYSTEMCTL=${HCP_SYSTEMCTL:-systemctl}
UNIT=hcp-kiosk.service

die() { echo "hcp-provision-kiosk: $*" >&2; exit 1; }

if [ $# -ne 2 ]; then
    echo "usage: hcp-provision-kiosk HUB_URL TOKEN" >&2
    exit 2
fi
HUB_URL=$1
TOKEN=$2
[[ $HUB_URL =~ ^https?://[^/[:space:]]+ ]] || die "HUB_URL must be an http:// or https:// URL, got '$HUB_URL'"
[ -n "$TOKEN" ] || die "empty enrollment token"
# Root switches to the kiosk user; only someone who already is that user may run it unprivileged.
[ "$(id -u)" -eq 0 ] || [ "$(id -un)" = "$KIOSK_USER" ] \
    || die "must run as root (it switches to user $KIOSK_USER and enables $UNIT)"
[ -x "$KIOSK_BIN" ] || die "$KIOSK_BIN is not installed"

CREDS=$DATA_DIR/credentials.json
if [ -e "$CREDS" ] && [ "${HCP_REPROVISION:-0}" != 1 ]; then
    die "already provisioned ($CREDS exists); set HCP_REPROVISION=1 to enroll again"
fi

if ! id -u "$KIOSK_USER" >/dev/null 2>&1; then
    systemd-sysusers hcp-kiosk.conf
fi
if [ "$DATA_DIR" = /var/lib/hcp-kiosk ]; then
    systemd-tmpfiles --create hcp-kiosk.conf
fi
[ -d "$DATA_DIR" ] || die "$DATA_DIR does not exist"
[ "$(stat -c %U "$DATA_DIR")" = "$KIOSK_USER" ] || die "$DATA_DIR is not owned by $KIOSK_USER"

# The device key lives beside, never inside, the data directory (a copied or restored database
# must not carry it); the kiosk makes it during enrollment and the hub registers its public key.
ID_DIR=${DATA_DIR%/}-identity
if [ ! -d "$ID_DIR" ]; then
    if [ "$(id -u)" -eq 0 ]; then
        install -d -m 0700 -o "$KIOSK_USER" -g "$(id -gn "$KIOSK_USER")" "$ID_DIR"
    else
        install -d -m 0700 "$ID_DIR"
    fi
fi

if [ -e "$CREDS" ]; then
    mv -f "$CREDS" "$CREDS.replaced-$(date -u +%Y%m%dT%H%M%SZ)"
fi

# hcp-kiosk is a Qt GUI program; enrollment needs no screen. The token appears on this short-lived
# process's command line, which is acceptable for a one-time token that the hub burns on use.
echo "hcp-provision-kiosk: enrolling with $HUB_URL as user $KIOSK_USER"
as_kiosk=()
[ "$(id -un)" = "$KIOSK_USER" ] || as_kiosk=(runuser -u "$KIOSK_USER" --)
if ! "${as_kiosk[@]}" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$DATA_DIR" \
        QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 \
        "$KIOSK_BIN" --data-dir "$DATA_DIR" --hub "$HUB_URL" --enroll-token "$TOKEN"; then
    die "enrollment failed; the kiosk stays unprovisioned"
fi

[ -f "$CREDS" ] || die "enrollment reported success but $CREDS is missing"
mode=$(stat -c %a "$CREDS")
owner=$(stat -c %U "$CREDS")
if [ "$mode" != 600 ] || [ "$owner" != "$KIOSK_USER" ]; then
    die "$CREDS has mode $mode owner $owner, expected 600 $KIOSK_USER; not starting the kiosk"
fi

if [ -d /run/systemd/system ] || [ -n "${HCP_SYSTEMCTL:-}" ]; then
    "$SYSTEMCTL" daemon-reload
    "$SYSTEMCTL" enable --now "$UNIT"
else
    # No running systemd (image build, chroot): enable for the next boot.
    "$SYSTEMCTL" enable "$UNIT"
fi
echo "hcp-provision-kiosk: provisioned; $UNIT enabled and started"
