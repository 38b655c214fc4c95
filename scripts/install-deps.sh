#!/usr/bin/env bash
# Installs the Debian packages monarch and its tests need, only those that are missing,
# so a second run costs a second. Run as root (CI and the dev machines are root).
set -euo pipefail

packages=(
  libcmark-dev      # Markdown: cmark, through the CCmark system-library target
  pkg-config        # lets SwiftPM find the C libraries
  libpango1.0-dev   # pamphlets: shaping (HarfBuzz), line breaking (libthai), fontconfig
  libcairo2-dev     # pamphlets: PDF output
  libqrencode-dev   # pamphlets: QR codes of page addresses
  fonts-noto-core   # Noto Sans, Noto Sans Thai for pamphlets
  fonts-noto-cjk    # Noto Sans CJK SC / TC / KR for pamphlets
  poppler-utils     # tests: pdftotext, pdffonts, pdfinfo, pdftoppm
  zbar-tools        # tests: zbarimg decodes the QR codes
  qpdf              # tests: PDF structure checks
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
