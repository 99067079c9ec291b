#!/bin/sh
# Regenerates the orientation fixtures of internal/resize (see testdata/README.md at the repository root).
# Needs ImageMagick 6 (convert) and exiftool.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# 32x24 stored image: red / green / blue / white quadrants (16x12 each) with
# a black 4x4 marker just inside the top-left corner of the red quadrant.
convert -size 16x12 xc:'#ff0000' -size 16x12 xc:'#00ff00' +append "$tmp/top.png"
convert -size 16x12 xc:'#0000ff' -size 16x12 xc:'#ffffff' +append "$tmp/bot.png"
convert "$tmp/top.png" "$tmp/bot.png" -append \
	-fill black -draw 'rectangle 2,2 5,5' \
	-define png:color-type=2 -strip orient_src.png
# For each EXIF orientation N: tag a JPEG copy with Orientation=N and let
# ImageMagick display it upright (-auto-orient); keep the result losslessly.
for n in 1 2 3 4 5 6 7 8; do
	convert orient_src.png -quality 100 -sampling-factor 1x1 "$tmp/s.jpg"
	exiftool -q -n -Orientation=$n -o "$tmp/s$n.jpg" "$tmp/s.jpg"
	convert "$tmp/s$n.jpg" -auto-orient -define png:color-type=2 -strip orient_$n.png
done
