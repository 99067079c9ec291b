#!/bin/sh
# Regenerates the HEIC fixtures in testdata/heic (see testdata/README.md, section HEIC).
# Needs: imagemagick (convert), libheif-examples (heif-enc, heif-info), exiftool, go.
# Run from anywhere: sh testdata/make_heic.sh
set -eu
cd "$(dirname "$0")"
out=heic
gen="go run gen/heic_transform.go"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The upright scene (as in README.md, HEIC size): 96x64 grey (#808080) with
# 24x16 corner squares: red top-left, green top-right, blue bottom-left,
# black bottom-right. Each fixture stores it so that applying the file's
# transforms gives it back upright, like orientation_N.jpg does for EXIF.
convert -size 96x64 xc:'#808080' \
  -fill red   -draw 'rectangle 0,0 23,15' \
  -fill lime  -draw 'rectangle 72,0 95,15' \
  -fill blue  -draw 'rectangle 0,48 23,63' \
  -fill black -draw 'rectangle 72,48 95,63' -depth 8 "PNG24:$tmp/upright.png"
# stored NAME CONVERT-ARGS: the upright scene with the inverse transform,
# encoded by heif-enc (a single hvc1 item at these sizes).
stored() {
  convert "$tmp/upright.png" $2 -depth 8 "PNG24:$tmp/$1.png"
  heif-enc -q 90 -o "$tmp/$1.heic" "$tmp/$1.png"
}
stored up ""
cp "$tmp/up.heic" "$out/plain.heic"

# Transform properties added to the primary item (heif-enc cannot write
# them). irot N turns the stored pixels N*90 degrees anti-clockwise; imir 0
# exchanges top and bottom, imir 1 left and right (libheif's reading).
stored cw90 "-rotate 90"
stored r180 "-rotate 180"
stored ccw90 "-rotate 270"
stored flip "-flip"
stored flop "-flop"
stored flipcw90 "-flip -rotate 90"
$gen -in "$tmp/cw90.heic"     -out "$out/irot90.heic"  -t r1
$gen -in "$tmp/r180.heic"     -out "$out/irot180.heic" -t r2
$gen -in "$tmp/ccw90.heic"    -out "$out/irot270.heic" -t r3
$gen -in "$tmp/flip.heic"     -out "$out/imir0.heic"   -t m0
$gen -in "$tmp/flop.heic"     -out "$out/imir1.heic"   -t m1
$gen -in "$tmp/flipcw90.heic" -out "$out/irot90-imir0.heic" -t r1,m0

# EXIF Orientation=6 (rotate 90 CW) through a JPEG: heif-enc 1.15 copies it
# into an Exif item (cdsc to the image) and writes no irot. HEIF readers
# ignore EXIF orientation, so the upright scene is stored as is.
convert "$tmp/upright.png" -quality 95 "$tmp/up.jpg"
exiftool -q -overwrite_original -Orientation=6 -n "$tmp/up.jpg"
heif-enc -q 90 -o "$out/exif-orient6.heic" "$tmp/up.jpg"
# iPhone portrait: irot 3 (90 CW) and EXIF 6 (90 CW) describe the same
# rotation; applying both would turn the scene upside down.
convert "$tmp/ccw90.png" -quality 95 "$tmp/ccw90.jpg"
exiftool -q -overwrite_original -Orientation=6 -n "$tmp/ccw90.jpg"
heif-enc -q 90 -o "$tmp/ccw90-exif6.heic" "$tmp/ccw90.jpg"
$gen -in "$tmp/ccw90-exif6.heic" -out "$out/irot270-exif6.heic" -t r3

# 64x48: heif-enc 1.15 codes a padded 64x64 tile and wraps it in a 1x1
# `grid` item (descriptor in idat) that crops to 64x48.
convert "$tmp/upright.png" -resize 64x48! -depth 8 "PNG24:$tmp/small.png"
heif-enc -q 90 -o "$out/grid1x1.heic" "$tmp/small.png"

# iPhone-style grids of 64x64 tiles (2x2, the last row/column padded): the
# 128x96 scene, and the same stored turned 90 CW (96x128) with irot 1.
convert "$tmp/upright.png" -scale 128x96! -depth 8 "PNG24:$tmp/g.png"
convert "$tmp/g.png" -rotate 90 -depth 8 "PNG24:$tmp/gr.png"
tiles() { # tiles IN.png PREFIX: 2x2 tiles of 64x64, raster order
  convert "$1" -background '#808080' -extent 128x128 -crop 64x64 +repage -depth 8 "PNG24:$tmp/$2_%d.png"
  for i in 0 1 2 3; do heif-enc -q 90 -o "$tmp/$2_$i.heic" "$tmp/$2_$i.png"; done
}
tiles "$tmp/g.png" t
tiles "$tmp/gr.png" r
$gen -grid 2x2 -size 128x96 -out "$out/grid.heic" "$tmp"/t_0.heic "$tmp"/t_1.heic "$tmp"/t_2.heic "$tmp"/t_3.heic
$gen -grid 2x2 -size 96x128 -out "$out/grid-irot90.heic" -t r1 "$tmp"/r_0.heic "$tmp"/r_1.heic "$tmp"/r_2.heic "$tmp"/r_3.heic

# Hostile inputs.
$gen -in "$out/plain.heic" -out "$out/bomb-60000.heic" -ispe 60000x60000
size=$(stat -c %s "$out/plain.heic")
# truncated: the first half of plain.heic (meta intact, mdat cut).
head -c $((size / 2)) "$out/plain.heic" > "$out/truncated.heic"
# corrupt: the end of the HEVC slice data (last 100 bytes of mdat) set to 0xFF.
cp "$out/plain.heic" "$out/corrupt-hevc.heic"
dd if=/dev/zero bs=1 count=100 2>/dev/null | tr '\0' '\377' |
  dd of="$out/corrupt-hevc.heic" bs=1 seek=$((size - 100)) conv=notrunc 2>/dev/null

for f in "$out"/*.heic; do printf '%s ' "$f"; heif-info "$f" 2>&1 | grep -m1 'image:' || echo '(heif-info: error)'; done

# internal/heif embeds plain.heic for Warmup (go:embed cannot reach testdata).
cp "$out/plain.heic" ../internal/heif/warmup.heic
