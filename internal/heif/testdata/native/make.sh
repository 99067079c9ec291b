#!/bin/sh
# Regenerates the fixtures of the native-decoder tests of internal/heif
# (DecodeNative) in internal/heif/testdata/native (see
# testdata/README.heif-native.md at the repository root).
# Needs: imagemagick (convert), ffmpeg, x265, libheif-examples (heif-enc),
# python3, go. Run from anywhere: sh internal/heif/testdata/native/make.sh
set -eu
cd "$(dirname "$0")"
mk="go run mkheif.go"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The scene: 96x64, a green-to-purple gradient (many colours for the
# conversion tests) with the corner squares of testdata/make_heic.sh (red
# top-left, green top-right, blue bottom-left, black bottom-right) and a
# white square in the middle.
scene() { # scene W H OUT.png
  convert -size "$1x$2" -define gradient:direction=east gradient:'#20c040-#c03090' \
    -fill red -draw "rectangle 0,0 $(($1/4-1)),$(($2/4-1))" \
    -fill lime -draw "rectangle $(($1*3/4)),0 $(($1-1)),$(($2/4-1))" \
    -fill blue -draw "rectangle 0,$(($2*3/4)) $(($1/4-1)),$(($2-1))" \
    -fill black -draw "rectangle $(($1*3/4)),$(($2*3/4)) $(($1-1)),$(($2-1))" \
    -fill white -draw "rectangle $(($1*3/8)),$(($2*3/8)) $(($1*5/8-1)),$(($2*5/8-1))" \
    -depth 8 "PNG24:$3"
}
# enc IN.png OUT.hevc MATRIX RANGE [x265 options]: 4:2:0 8-bit, one intra
# frame; MATRIX/RANGE pick ffmpeg's RGB->YCbCr conversion (bt601/bt709/
# bt2020, full/limited), the options the VUI x265 writes.
enc() {
  in=$1 out=$2 m=$3 r=$4
  shift 4
  pf=yuv420p
  [ "$r" = full ] && pf=yuvj420p
  size=$(identify -format '%wx%h' "$in")
  ffmpeg -v error -y -i "$in" -vf "scale=out_color_matrix=$m:out_range=$r" -pix_fmt $pf -f rawvideo "$tmp/in.yuv"
  x265 --input "$tmp/in.yuv" --input-res "$size" --fps 1 --input-csp i420 --output "$out" \
    --preset medium --keyint 1 --qp 24 --frames 1 "$@" 2>/dev/null
}
scene 96 64 "$tmp/scene.png"
enc "$tmp/scene.png" "$tmp/full601.hevc" bt601 full --range full --colormatrix smpte170m
enc "$tmp/scene.png" "$tmp/lim709.hevc" bt709 limited --range limited --colormatrix bt709 --colorprim bt709 --transfer bt709
enc "$tmp/scene.png" "$tmp/lim2020.hevc" bt2020 limited --range limited --colormatrix bt2020nc --colorprim bt2020 --transfer bt2020-10
enc "$tmp/scene.png" "$tmp/novui.hevc" bt601 limited

# Colour: the VUI alone, then colr nclx overriding it (nclx:P:T:M:F).
$mk -o vui-full601.heic "$tmp/full601.hevc"
$mk -o vui-lim709.heic "$tmp/lim709.hevc"
$mk -o vui-lim2020.heic "$tmp/lim2020.hevc"
$mk -o vui-none.heic "$tmp/novui.hevc"
$mk -o nclx-601full-over-709lim.heic -t nclx:1:13:6:1 "$tmp/lim709.hevc"
$mk -o nclx-709lim-over-601full.heic -t nclx:1:1:1:0 "$tmp/full601.hevc"
$mk -o icc.heic -t icc "$tmp/full601.hevc"

# Storage: idat (construction method 1), three extents in reverse order,
# 2-byte NAL lengths; 1-byte lengths need a slice under 256 bytes (a flat
# 64x64 picture).
$mk -o idat.heic -idat "$tmp/full601.hevc"
$mk -o extents3.heic -extents 3 "$tmp/full601.hevc"
$mk -o lensize2.heic -lensize 2 "$tmp/full601.hevc"
convert -size 64x64 xc:'#3060a0' -depth 8 "PNG24:$tmp/flat.png"
enc "$tmp/flat.png" "$tmp/flat.hevc" bt601 full --range full --colormatrix smpte170m
$mk -o lensize1.heic -lensize 1 "$tmp/flat.hevc"

# Transforms. clap:W:H:HO:VO[:D] is a W x H aperture whose centre is
# offset by HO/D, VO/D: 64x48 at (12,6) (even corner: YCbCr), at (13,6)
# (odd: NRGBA); then with irot, and in the order libheif also accepts but
# DecodeNative refuses (irot first), and a half-pixel offset (refused).
$mk -o clap-even.heic -t clap:64:48:-4:-2 "$tmp/full601.hevc"
$mk -o clap-odd.heic -t clap:64:48:-3:-2 "$tmp/full601.hevc"
$mk -o clap-r1.heic -t clap:64:48:-4:-2,r1 "$tmp/full601.hevc"
$mk -o r1-clap.heic -t r1,clap:48:64:-2:-4 "$tmp/full601.hevc"
$mk -o clap-frac.heic -t clap:64:48:1:0:2 "$tmp/full601.hevc"
$mk -o m1-r1.heic -t m1,r1 "$tmp/full601.hevc"
$mk -o r3-m0.heic -t r3,m0 "$tmp/lim709.hevc"

# Grids. 2x2 tiles of 64x64 covering 120x100 (the last row and column
# cropped): x265 tiles, full range BT.601 with the same colr nclx on the
# grid (accepted); limited BT.709 tiles (NRGBA); a clap (corner 8,6) then
# imir 0 on the grid; a depth map attached.
scene 128 128 "$tmp/big.png"
convert "$tmp/big.png" -crop 64x64 +repage -depth 8 "PNG24:$tmp/t_%d.png"
for i in 0 1 2 3; do
  enc "$tmp/t_$i.png" "$tmp/t$i.hevc" bt601 full --range full --colormatrix smpte170m
  enc "$tmp/t_$i.png" "$tmp/l$i.hevc" bt709 limited --range limited --colormatrix bt709
done
$mk -o grid-nclx-same.heic -grid 2x2 -size 120x100 -t nclx:2:2:6:1 "$tmp"/t0.hevc "$tmp"/t1.hevc "$tmp"/t2.hevc "$tmp"/t3.hevc
$mk -o grid-lim709-r2.heic -grid 2x2 -size 120x100 -t r2 "$tmp"/l0.hevc "$tmp"/l1.hevc "$tmp"/l2.hevc "$tmp"/l3.hevc
$mk -o grid-clap-m0.heic -grid 2x2 -size 120x100 -t clap:100:80:-2:-4,m0 "$tmp"/t0.hevc "$tmp"/t1.hevc "$tmp"/t2.hevc "$tmp"/t3.hevc
$mk -o grid-depth.heic -grid 2x2 -size 120x100 -aux urn:mpeg:hevc:2015:auxid:2 -auxin "$tmp/flat.hevc" "$tmp"/t0.hevc "$tmp"/t1.hevc "$tmp"/t2.hevc "$tmp"/t3.hevc

# The iPhone layout as make_grid_heic.py (a copy of the script that made
# the corpus's c2_12mp_grid.heic) writes it
# (512x512 tiles by heif-enc, grid descriptor in idat), from a generated
# 1000x600 scene: 2x2 tiles overhanging the right and bottom edges.
scene 1000 600 "$tmp/iphone.png"
python3 make_grid_heic.py "$tmp/iphone.png" grid512.heic 30 >/dev/null

# Refused: an alpha plane (heif-enc writes it as an auxl hvc1 item), a
# 10-bit image.
convert "$tmp/scene.png" -alpha set -channel A -fx 'i/w' -depth 8 "PNG32:$tmp/alpha.png"
heif-enc -q 60 -o alpha.heic "$tmp/alpha.png" >/dev/null
convert "$tmp/scene.png" -depth 16 "PNG48:$tmp/s16.png"
heif-enc -b 10 -q 60 -o b10.heic "$tmp/s16.png" >/dev/null

# 4:0:0: x265 codes it with a RExt (monochrome) profile.
ffmpeg -v error -y -i "$tmp/scene.png" -pix_fmt gray -f rawvideo "$tmp/mono.y"
x265 --input "$tmp/mono.y" --input-res 96x64 --fps 1 --input-csp i400 --output "$tmp/mono.hevc" \
  --preset medium --keyint 1 --qp 24 --frames 1 --range full 2>/dev/null
$mk -o mono.heic "$tmp/mono.hevc"

ls -l *.heic | awk '{s += $5} END {print NR " fixtures, " s " bytes"}'
