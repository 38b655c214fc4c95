#!/usr/bin/env bash
# Installs the Debian packages monarch and its tests need, only those that are missing,
# so a second run costs a second. Run as root (CI and the dev machines are root).
set -euo pipefail

packages=(
  libcmark-dev      # Markdown: cmark, through the CCmark system-library target
  pkg-config        # lets SwiftPM find libcmark
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
