#!/bin/sh
# Regenerates the tile-path HEIC fixtures of internal/heif in testdata/heic/grid
# (see testdata/README.md, section "HEIC grids for the tile path"). A
# subdirectory, so that tests globbing testdata/heic/*.heic (preprocess's
# golden decisions) do not change.
# Needs: imagemagick (convert), libheif-examples (heif-enc, heif-convert), go.
# Run from anywhere: sh testdata/make_heicgrid.sh
set -eu
cd "$(dirname "$0")"
out=heic/grid
mkdir -p "$out"
gen="go run gen/heic_transform.go"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The upright scene of make_heic.sh (grey, red/green/blue/black corner
# squares at top-left/top-right/bottom-left/bottom-right), scaled to 160x112.
convert -size 96x64 xc:'#808080' \
  -fill red   -draw 'rectangle 0,0 23,15' \
  -fill lime  -draw 'rectangle 72,0 95,15' \
  -fill blue  -draw 'rectangle 0,48 23,63' \
  -fill black -draw 'rectangle 72,48 95,63' -depth 8 "PNG24:$tmp/upright.png"
convert "$tmp/upright.png" -scale 160x112! -depth 8 "PNG24:$tmp/g.png"

# grid-3x2-r3m1.heic: irot 3 (90 CW) then imir 1 (left-right) on the grid
# item, so the scene is stored with the inverse (flop, then 90 CCW): 112x160
# in 2x3 tiles of 64x64 that overhang both edges (128x192).
convert "$tmp/g.png" -flop -rotate 270 -depth 8 "PNG24:$tmp/s.png"
convert "$tmp/s.png" -background '#808080' -extent 128x192 -crop 64x64 +repage -depth 8 "PNG24:$tmp/s_%d.png"
for i in 0 1 2 3 4 5; do heif-enc -q 90 -o "$tmp/s_$i.heic" "$tmp/s_$i.png"; done
$gen -grid 2x3 -size 112x160 -t r3,m1 -out "$out/grid-3x2-r3m1.heic" \
  "$tmp"/s_0.heic "$tmp"/s_1.heic "$tmp"/s_2.heic "$tmp"/s_3.heic "$tmp"/s_4.heic "$tmp"/s_5.heic

# Colour: the decoder converts a grid's tiles with the grid item's colr nclx
# and ignores colr on the tiles. grid-nclx.heic: nclx BT.709 matrix (1), full
# range, on the grid and nclx BT.601 (6) on every tile; grid-tile-nclx.heic:
# nclx 1 on the tiles only. The 128x96 scene in 2x2 tiles of 64x64.
convert "$tmp/upright.png" -scale 128x96! -background '#808080' -extent 128x128 -crop 64x64 +repage -depth 8 "PNG24:$tmp/t_%d.png"
for i in 0 1 2 3; do heif-enc -q 90 -o "$tmp/t_$i.heic" "$tmp/t_$i.png"; done
$gen -grid 2x2 -size 128x96 -t f1 -tt f6 -out "$out/grid-nclx.heic" "$tmp"/t_0.heic "$tmp"/t_1.heic "$tmp"/t_2.heic "$tmp"/t_3.heic
$gen -grid 2x2 -size 128x96 -tt f1 -out "$out/grid-tile-nclx.heic" "$tmp"/t_0.heic "$tmp"/t_1.heic "$tmp"/t_2.heic "$tmp"/t_3.heic

# libheif as the independent reference: it must show the upright 160x112 scene.
heif-convert "$out/grid-3x2-r3m1.heic" "$tmp/check.png" >/dev/null
identify -format '%f %wx%h\n' "$tmp/check.png"
