#!/bin/sh
# Regenerates single-1600x1200.heic, the single-image (no grid) HEIC that
# preprocess/alloc_test.go decodes repeatedly to prove the decoded planes
# are reused: a generated scene (gradient and five flat rectangles) encoded
# by libheif's heif-enc (x265) at quality 20, so it stays a few KB while
# decoding to 2.9 MB of planes. Needs ImageMagick and libheif-examples.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
W=1600 H=1200
convert -size "${W}x${H}" -define gradient:direction=east gradient:'#20c040-#c03090' \
  -fill red -draw "rectangle 0,0 $((W/4-1)),$((H/4-1))" \
  -fill lime -draw "rectangle $((W*3/4)),0 $((W-1)),$((H/4-1))" \
  -fill blue -draw "rectangle 0,$((H*3/4)) $((W/4-1)),$((H-1))" \
  -fill black -draw "rectangle $((W*3/4)),$((H*3/4)) $((W-1)),$((H-1))" \
  -fill white -draw "rectangle $((W*3/8)),$((H*3/8)) $((W*5/8-1)),$((H*5/8-1))" \
  -depth 8 "PNG24:$tmp/scene.png"
heif-enc -q 20 -o single-1600x1200.heic "$tmp/scene.png" >/dev/null
