#!/usr/bin/env bash
# dist.sh BINARY OUTDIR: writes OUTDIR/monarch-linux-<arch>.tar.gz, holding monarch-linux-<arch>/
# with the binary, its manual page, debian-packages.txt (the Debian packages it needs at run
# time: those of every library it loads, and the fonts pamphlets use) and LICENSES/ (the
# licences of what is linked into it). The publishing workflows `monarch init --ci` writes
# unpack it and install debian-packages.txt.
set -euo pipefail
bin="$1"
out="$2"
root="$(cd "$(dirname "$0")/.." && pwd)"
name="monarch-linux-$(uname -m)"
stage="$out/$name"
rm -rf "$stage" "$out/$name.tar.gz"
mkdir -p "$stage/LICENSES"
install -m 755 -s "$bin" "$stage/monarch"
"$root/scripts/manpage.sh" "$bin" > "$stage/monarch.1"

# The package of each shared library the binary names (apt brings what those load in turn);
# dpkg knows some libraries by their /usr path.
{
  readelf -d "$bin" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | while read -r soname; do
    lib=$(ldd "$bin" | awk -v so="$soname" '$1 == so && $3 ~ /^\// {print $3}')
    [ -n "$lib" ] || lib=$(ldd "$bin" | awk -v so="$soname" '$1 ~ /^\// && index($1, so) {print $1}')
    dpkg-query -S "$lib" 2>/dev/null || dpkg-query -S "$(readlink -f "$lib")" 2>/dev/null \
      || dpkg-query -S "/usr$lib" 2>/dev/null || { echo "dist.sh: no Debian package holds $soname ($lib)" >&2; exit 1; }
  done | cut -d: -f1
  echo zlib1g   # libz.so.1, opened with dlopen for the page-weight gzip and the portable zip
  "$root/scripts/install-deps.sh" fonts
} | sort -u > "$stage/debian-packages.txt"
if grep -q "^swift\|toolchain" "$stage/debian-packages.txt"; then
  echo "dist.sh: the binary loads a library of the Swift toolchain; build it with --static-swift-stdlib" >&2
  exit 1
fi

# Licences: Monarch's own, the Swift packages linked in (from SwiftPM's checkouts), and the
# Swift runtime, Foundation and ICU from the toolchain.
for f in "$root"/LICENSE* "$root"/COPYING* "$root"/NOTICE*; do [ -f "$f" ] && cp "$f" "$stage/"; done
for dep in "$root"/.build/checkouts/*/; do
  for f in "$dep"LICENSE* "$dep"COPYING* "$dep"NOTICE*; do
    [ -f "$f" ] && cp "$f" "$stage/LICENSES/$(basename "$dep")-$(basename "$f")"
  done
done
swift_root="$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")"
find "$swift_root/share" -maxdepth 3 -iname 'LICENSE*' -type f 2>/dev/null | while read -r f; do
  cp "$f" "$stage/LICENSES/swift-toolchain-$(basename "$(dirname "$f")")-$(basename "$f")"
done
cat > "$stage/LICENSES/README" <<'TEXT'
Linked into monarch: the Swift packages named in the file names here (their licences as
they ship them), and from the Swift toolchain (swift-toolchain-swift-LICENSE.txt, Apache
License 2.0 with the Runtime Library Exception) the Swift standard library, Dispatch and
Foundation (swift-corelibs-foundation, swift-foundation), which includes ICU
(swift-foundation-icu, under the Unicode License v3: https://github.com/unicode-org/icu/blob/main/LICENSE).
The C libraries monarch loads at run time are Debian's, under their own licences
(/usr/share/doc/<package>/copyright).
TEXT
cat > "$stage/README" <<'TEXT'
monarch: builds multilingual resource sites from Markdown.

  1. Install what it needs (Debian 12):  sudo apt-get install $(cat debian-packages.txt)
  2. Put it on the PATH:                 sudo install -m 755 monarch /usr/local/bin/
                                         sudo install -m 644 monarch.1 /usr/local/share/man/man1/
  3. Start a site:                       monarch init my-site --languages en,ko
                                         cd my-site && monarch serve

The built-in theme is inside the binary. LICENSES/ holds the licences of what is linked into it.
TEXT
tar -czf "$out/$name.tar.gz" -C "$out" "$name"
echo "$out/$name.tar.gz"
