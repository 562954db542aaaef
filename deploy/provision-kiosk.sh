#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Provisions a kiosk: enrolls it with the hub using a one-time token, checks the credentials it
# received, then enables and starts hcp-kiosk.service. Run as root on the kiosk, once:
#
#   hcp-provision-kiosk https://hub.example.gov.cn TOKEN
#
# Offline (no network at install time; factory or demo), in three steps:
#
#   hcp-provision-kiosk --device-public-key-out kiosk.pub.pem     # on the kiosk: makes its key
#   hcp-hub enroll-device ID HALL creds.json --db … --device-public-key kiosk.pub.pem   # at the hub
#   hcp-provision-kiosk --credentials creds.json                  # on the kiosk: installs, starts
#
# Either way the kiosk signs its requests and ledger with its own device key (PROTOCOL §2, §4a).
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

usage() {
    echo "usage: hcp-provision-kiosk HUB_URL TOKEN" >&2
    echo "       hcp-provision-kiosk --device-public-key-out FILE" >&2
    echo "       hcp-provision-kiosk --credentials FILE" >&2
    exit 2
}
[ $# -eq 2 ] || usage
MODE=online
case $1 in
    --device-public-key-out) MODE=key-out; KEY_OUT=$2 ;;
    --credentials) MODE=offline; OFFLINE_CREDS=$2
        [ -f "$OFFLINE_CREDS" ] || die "$OFFLINE_CREDS does not exist" ;;
    -*) usage ;;
    *) HUB_URL=$1; TOKEN=$2
        [[ $HUB_URL =~ ^https?://[^/[:space:]]+ ]] || die "HUB_URL must be an http:// or https:// URL, got '$HUB_URL'"
        [ -n "$TOKEN" ] || die "empty enrollment token" ;;
esac
# Root switches to the kiosk user; only someone who already is that user may run it unprivileged.
[ "$(id -u)" -eq 0 ] || [ "$(id -un)" = "$KIOSK_USER" ] \
    || die "must run as root (it switches to user $KIOSK_USER and enables $UNIT)"
[ -x "$KIOSK_BIN" ] || die "$KIOSK_BIN is not installed"

CREDS=$DATA_DIR/credentials.json
if [ "$MODE" != key-out ] && [ -e "$CREDS" ] && [ "${HCP_REPROVISION:-0}" != 1 ]; then
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

as_kiosk=()
[ "$(id -un)" = "$KIOSK_USER" ] || as_kiosk=(runuser -u "$KIOSK_USER" --)
kiosk() {
    "${as_kiosk[@]}" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$DATA_DIR" \
        QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 "$KIOSK_BIN" --data-dir "$DATA_DIR" "$@"
}

if [ "$MODE" = key-out ]; then
    # Offline step 1: the kiosk makes its key (0600, in $ID_DIR) if missing and hands out the
    # public half for hcp-hub enroll-device --device-public-key. Nothing is enabled yet.
    kiosk --device-public-key-out - > "$KEY_OUT.tmp" || { rm -f "$KEY_OUT.tmp"; die "cannot make the device key"; }
    grep -q -- "-----BEGIN PUBLIC KEY-----" "$KEY_OUT.tmp" || { rm -f "$KEY_OUT.tmp"; die "the kiosk wrote no public key"; }
    mv -f "$KEY_OUT.tmp" "$KEY_OUT"
    echo "hcp-provision-kiosk: device public key in $KEY_OUT; enroll it at the hub with"
    echo "  hcp-hub enroll-device DEVICE_ID HALL_CODE credentials.json --device-public-key $KEY_OUT"
    echo "then run: hcp-provision-kiosk --credentials credentials.json"
    exit 0
fi

if [ -e "$CREDS" ]; then
    mv -f "$CREDS" "$CREDS.replaced-$(date -u +%Y%m%dT%H%M%SZ)"
fi

if [ "$MODE" = offline ]; then
    # Offline step 3: credentials made by hcp-hub enroll-device. Without a device key bound in
    # them the kiosk would fall back to the shared secret and its ledger would go unchecked.
    grep -Eq '"deviceKeyFingerprint" *: *"[0-9a-f]{64}"' "$OFFLINE_CREDS" \
        || die "$OFFLINE_CREDS binds no device key; make it with hcp-hub enroll-device --device-public-key"
    echo "hcp-provision-kiosk: installing offline credentials $OFFLINE_CREDS for user $KIOSK_USER"
    if [ "$(id -u)" -eq 0 ]; then
        install -m 0600 -o "$KIOSK_USER" -g "$(id -gn "$KIOSK_USER")" "$OFFLINE_CREDS" "$CREDS"
    else
        install -m 0600 "$OFFLINE_CREDS" "$CREDS"
    fi
else
    # hcp-kiosk is a Qt GUI program; enrollment needs no screen. The token appears on this
    # short-lived process's command line, which is acceptable for a one-time token that the hub
    # burns on use.
    echo "hcp-provision-kiosk: enrolling with $HUB_URL as user $KIOSK_USER"
    if ! kiosk --hub "$HUB_URL" --enroll-token "$TOKEN"; then
        die "enrollment failed; the kiosk stays unprovisioned"
    fi
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
