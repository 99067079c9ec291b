#!/bin/sh
# Regenerates the internal/jpegdec test fixtures from generated content.
# Needs ImageMagick 6 (convert) and libjpeg-turbo-progs (cjpeg).
# Run from this directory: sh make_jpegdec.sh
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Source pictures: a seeded plasma (smooth gradients) with sharp text and
# shapes drawn on it (edges, saturated colours), at an MCU-aligned size and
# at an odd size that is not a multiple of any MCU.
src() { # width height out
	convert -seed 7 -size "$1x$2" plasma:red-blue \
		-fill yellow -draw "circle $(($1/3)),$(($2/2)) $(($1/3)),$(($2/5))" \
		-fill black -draw "rectangle $(($1/2)),$(($2/6)) $(($1*5/6)),$(($2/3))" \
		-fill white -pointsize $(($2/5)) -draw "text 4,$(($2-4)) 'Jq8'" \
		-depth 8 "ppm:$3"
}
src 96 64 "$tmp/a.ppm"
src 37 23 "$tmp/odd.ppm"
src 200 150 "$tmp/mid.ppm"

cjpeg -quality 75 -sample 2x2 "$tmp/a.ppm" > q75_420.jpg
cjpeg -quality 92 -sample 2x2 -optimize "$tmp/a.ppm" > q92_420_opt.jpg
cjpeg -quality 50 -sample 2x1 "$tmp/a.ppm" > q50_422.jpg
cjpeg -quality 95 -sample 1x1 "$tmp/a.ppm" > q95_444.jpg
cjpeg -quality 80 -sample 1x2 "$tmp/a.ppm" > q80_440.jpg
cjpeg -quality 85 -sample 4x1 "$tmp/a.ppm" > q85_411.jpg
cjpeg -quality 85 -sample 4x2 "$tmp/a.ppm" > q85_410.jpg
cjpeg -quality 100 -sample 1x1 "$tmp/a.ppm" > q100_444.jpg
cjpeg -quality 10 -sample 2x2 "$tmp/a.ppm" > q10_420.jpg
cjpeg -quality 90 -grayscale "$tmp/a.ppm" > q90_gray.jpg
cjpeg -quality 75 -sample 2x2 "$tmp/odd.ppm" > odd_37x23_420.jpg
cjpeg -quality 75 -sample 2x1 "$tmp/odd.ppm" > odd_37x23_422.jpg
cjpeg -quality 75 -grayscale "$tmp/odd.ppm" > odd_37x23_gray.jpg
cjpeg -quality 88 -sample 2x2 "$tmp/mid.ppm" > mid_200x150_420.jpg
cjpeg -quality 88 -sample 2x2 -restart 1 "$tmp/mid.ppm" > mid_rst1row_420.jpg
cjpeg -quality 88 -sample 2x2 -restart 3B "$tmp/mid.ppm" > mid_rst3mcu_420.jpg
cjpeg -quality 88 -sample 1x1 -restart 5B "$tmp/odd.ppm" > odd_rst5mcu_444.jpg
cjpeg -quality 80 -grayscale -restart 7B "$tmp/mid.ppm" > mid_rst7_gray.jpg

# Refused with ErrUnsupported (callers fall back to image/jpeg).
cjpeg -quality 75 -progressive "$tmp/a.ppm" > unsup_progressive.jpg
cjpeg -quality 75 -arithmetic "$tmp/a.ppm" > unsup_arithmetic.jpg
cjpeg -quality 75 -rgb "$tmp/a.ppm" > unsup_rgb.jpg
convert "$tmp/a.ppm" -colorspace CMYK -quality 75 unsup_cmyk.jpg
