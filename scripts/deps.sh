#!/usr/bin/env bash
# Installs the Debian 12 packages SCALR Workbench needs to build, run and test, when some
# are missing. Sourced or run by the other scripts; safe to run again (it checks first).
set -euo pipefail

SCALR_PACKAGES=(
  build-essential pkg-config meson ninja-build git
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev libsqlite3-dev libcairo2-dev
  libopenblas-dev liblapacke-dev libjson-glib-dev libssl-dev
  libopenmpi-dev openmpi-bin
  xvfb xauth dbus-x11 fonts-dejavu-core
  python3-numpy python3-scipy
)

missing=()
for p in "${SCALR_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "scalr: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
