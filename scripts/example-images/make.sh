#!/usr/bin/env bash
# Remakes the example site's two images from the SVG drawings beside this script (issue #19):
# the map of the drop-in area (a zone near a station, never a building) as a PNG, and a
# photo-like picture of a bylaw notice on a door as a JPEG (1600 x 1200, grain, uneven light:
# large enough for every web and print copy, small enough to keep in the repository; a
# camera's make and model in its EXIF, which the build must not publish).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

vips copy "$here/drop-in-map.svg" "$work/map.png"
vips flatten "$work/map.png" "$root/content/en/help/drop-in-map.png"

vips copy "$here/bylaw-notice.svg" "$work/notice.v"
vips flatten "$work/notice.v" "$work/flat.v"
vips gaussblur "$work/flat.v" "$work/soft.v" 1.2
vips perlin "$work/light.v" 3000 2250 --cell-size 300
vips linear "$work/light.v" "$work/light18.v" 18 0
vips bandjoin "$work/light18.v $work/light18.v $work/light18.v" "$work/light3.v"
vips gaussnoise "$work/grain.v" 3000 2250 --sigma 7 --mean 0
vips add "$work/soft.v" "$work/light3.v" "$work/lit.v"
vips add "$work/lit.v" "$work/grain.v" "$work/photo.v"
vips resize "$work/photo.v" "$work/small.v" 0.53334
vips cast "$work/small.v" "$root/content/en/police/bylaw-notice.jpg[Q=82]" uchar
exiftool -q -overwrite_original -Make=ExamplePhone -Model="Model 1" -Software="Camera 2.0" "$root/content/en/police/bylaw-notice.jpg"
