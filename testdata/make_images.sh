#!/usr/bin/env bash
# make_images.sh regenerates the top-level image fixtures in testdata/ from
# generated content (never from a real photo). See testdata/README.md for
# what each file is for. Run from anywhere:
#
#	testdata/make_images.sh
#
# Tools: ImageMagick 6 (convert, compare), exiftool, libjpeg-turbo (cjpeg),
# webp (cwebp, webpmux), coreutils (head, dd, stat), Go (for gen/bombs.go).
# Every command is deterministic: ImageMagick's random patterns use -seed,
# PNG date/time chunks are excluded, and metadata is stripped.
set -euo pipefail
export LC_ALL=C # byte-wise grep -P on binary files

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$here"

# png IN... OUT writes PNG without the date/time chunks, so reruns give equal bytes.
png() { convert "${@:1:$#-1}" -define png:exclude-chunks=date,time "${@: -1}"; }
# exif_set sets tags in place without a backup file.
exif_set() { exiftool -q -overwrite_original "$@"; }

# --- The upright scene --------------------------------------------------------
# scene W H OUT: a W x H picture on white: a grey-to-orange vertical gradient
# in the middle (detail for the codecs) and four solid corner squares of side
# H/4 (rounded to a multiple of 8, so JPEG blocks do not blur the edges):
#   top-left RED #FF0000, top-right GREEN #00FF00,
#   bottom-left BLUE #0000FF, bottom-right BLACK #000000.
scene() {
	local w=$1 h=$2 out=$3
	local s=$(((h / 4 + 7) / 8 * 8))
	convert -size "${w}x${h}" xc:white \
		\( -size "$((w - 2 * s))x$((h - 2 * s))" gradient:'#808080-#FF8000' \) \
		-geometry "+${s}+${s}" -composite \
		-fill '#FF0000' -draw "rectangle 0,0 $((s - 1)),$((s - 1))" \
		-fill '#00FF00' -draw "rectangle $((w - s)),0 $((w - 1)),$((s - 1))" \
		-fill '#0000FF' -draw "rectangle 0,$((h - s)) $((s - 1)),$((h - 1))" \
		-fill '#000000' -draw "rectangle $((w - s)),$((h - s)) $((w - 1)),$((h - 1))" \
		-strip -define png:exclude-chunks=date,time "$out"
}

# --- orientation_1..8.jpg -----------------------------------------------------
# The stored pixels are the inverse of orientation N applied to the 120x80
# upright scene, so that applying N (what a viewer does) gives the scene back.
scene 120 80 "$tmp/upright.png"
inverse=(
	""                # 1: identity
	"-flop"           # 2: mirror horizontal (self-inverse)
	"-rotate 180"     # 3: rotate 180 (self-inverse)
	"-flip"           # 4: mirror vertical (self-inverse)
	"-transpose"      # 5: transpose (self-inverse)
	"-rotate 270"     # 6: display rotates 90 CW, so store rotated 90 CCW
	"-transverse"     # 7: transverse (self-inverse)
	"-rotate 90"      # 8: display rotates 90 CCW, so store rotated 90 CW
)
for n in 1 2 3 4 5 6 7 8; do
	# shellcheck disable=SC2086 # the transform is two words on purpose
	convert "$tmp/upright.png" ${inverse[$((n - 1))]} -strip \
		-sampling-factor 1x1 -quality 95 "orientation_$n.jpg"
	exif_set -Orientation="$n" -n "orientation_$n.jpg"
done
# Check: auto-orienting each file must give the upright scene back (up to
# JPEG loss: no pixel differs by more than 10%).
for n in 1 2 3 4 5 6 7 8; do
	got="$(exiftool -s3 -n -Orientation "orientation_$n.jpg")"
	[ "$got" = "$n" ] || { echo "orientation_$n.jpg: tag is $got" >&2; exit 1; }
	convert "orientation_$n.jpg" -auto-orient "$tmp/auto_$n.png"
	diff="$(compare -metric AE -fuzz 10% "$tmp/auto_$n.png" "$tmp/upright.png" null: 2>&1 || true)"
	[ "$diff" = "0" ] || { echo "orientation_$n.jpg: $diff pixels differ after -auto-orient" >&2; exit 1; }
done

# --- large JPEGs (over the 1920 px limit) ------------------------------------
# big_scene W H OUT: a smooth fractal (plasma, fixed seed) blurred a little,
# with the corner markers of side H/4 rounded up to a multiple of 8.
big_scene() {
	local w=$1 h=$2 out=$3
	local s=$(((h / 4 + 7) / 8 * 8))
	convert -seed 7 -size "${w}x${h}" plasma:'#3060A0-#E0C080' -blur 0x6 \
		-fill '#FF0000' -draw "rectangle 0,0 $((s - 1)),$((s - 1))" \
		-fill '#00FF00' -draw "rectangle $((w - s)),0 $((w - 1)),$((s - 1))" \
		-fill '#0000FF' -draw "rectangle 0,$((h - s)) $((s - 1)),$((h - 1))" \
		-fill '#000000' -draw "rectangle $((w - s)),$((h - s)) $((w - 1)),$((h - 1))" \
		-strip "$out"
}
# photo: stored and upright 2400x1800, 4:2:0, quality 90, baseline, no EXIF.
big_scene 2400 1800 "$tmp/big.png"
convert "$tmp/big.png" -sampling-factor 2x2 -quality 90 -strip photo_2400x1800.jpg
# orient6: stored 2400x1800 (like a phone sensor) with orientation 6, so
# that upright it is an 1800x2400 portrait scene.
big_scene 1800 2400 "$tmp/big_portrait.png"
convert "$tmp/big_portrait.png" -rotate 270 -sampling-factor 2x2 -quality 90 -strip orient6_2400x1800.jpg
# Little-endian ("II") EXIF, unlike the orientation_N set (exiftool defaults to "MM").
exif_set -ExifByteOrder=II -Orientation=6 -n orient6_2400x1800.jpg
convert orient6_2400x1800.jpg -auto-orient "$tmp/auto_big.png"
# Lossy 4:2:0 on plasma: compare by PSNR (a wrong rotation scores ~10 dB).
psnr="$(compare -metric PSNR "$tmp/auto_big.png" "$tmp/big_portrait.png" null: 2>&1 || true)"
awk -v p="$psnr" 'BEGIN { exit !(p + 0 >= 30) }' ||
	{ echo "orient6_2400x1800.jpg: PSNR $psnr dB after -auto-orient, want >= 30" >&2; exit 1; }

# --- small_640x480: within every limit ---------------------------------------
scene 640 480 "$tmp/small.png"
convert "$tmp/small.png" -sampling-factor 2x2 -quality 85 -strip small_640x480.jpg
png "$tmp/small.png" -depth 8 -strip PNG24:small_640x480.png
cwebp -quiet -q 80 -metadata none "$tmp/small.png" -o small_640x480.webp

# --- JPEG variants (160x120 scene) -------------------------------------------
scene 160 120 "$tmp/s.png"
convert "$tmp/s.png" ppm:"$tmp/s.ppm"
cjpeg -quality 85 -progressive "$tmp/s.ppm" >jpeg_progressive.jpg
cjpeg -quality 85 -grayscale "$tmp/s.ppm" >jpeg_gray.jpg
convert "$tmp/s.png" -colorspace CMYK -quality 85 -strip jpeg_cmyk.jpg
cjpeg -quality 85 -sample 1x1 "$tmp/s.ppm" >jpeg_444.jpg
cjpeg -quality 85 -sample 2x1 "$tmp/s.ppm" >jpeg_422.jpg
cjpeg -quality 85 -restart 1 "$tmp/s.ppm" >jpeg_restart.jpg
cjpeg -quality 85 "$tmp/s.ppm" >jpeg_exif_gps.jpg
exif_set -n -ExifByteOrder=II -GPSLatitude=59.437 -GPSLatitudeRef=N -GPSLongitude=24.7536 -GPSLongitudeRef=E \
	-Make=mediaprep-fixture -Model=gps -Orientation=1 jpeg_exif_gps.jpg

# --- PNG variants (160x120) --------------------------------------------------
# RGBA: the scene with alpha 50% in the left half and 0 in the bottom-right quarter.
png "$tmp/s.png" \( -size 160x120 xc:white -fill '#808080' -draw 'rectangle 0,0 79,119' \
	-fill black -draw 'rectangle 80,60 159,119' \) -alpha off -compose CopyOpacity -composite \
	-strip PNG32:png_rgba.png
png "$tmp/s.png" -depth 16 -strip PNG48:png_rgb16.png
png "$tmp/s.png" -colors 16 -strip PNG8:png_palette.png
# Paletted with tRNS: white becomes fully transparent.
png "$tmp/s.png" -colors 16 -transparent white -strip PNG8:png_palette_trns.png
png "$tmp/s.png" -colorspace Gray -depth 8 -strip -define png:color-type=0 png_gray.png
png "$tmp/s.png" -colorspace Gray \( -size 160x120 gradient:white-black \) \
	-alpha off -compose CopyOpacity -composite -depth 8 -strip -define png:color-type=4 png_gray_alpha.png
# eXIf with orientation 6: stored 120x160 so that upright it is the 160x120 scene.
png "$tmp/s.png" -rotate 270 -depth 8 -strip PNG24:png_exif_orient6.png
exif_set -Orientation=6 -n png_exif_orient6.png
grep -q eXIf png_exif_orient6.png || { echo "png_exif_orient6.png has no eXIf chunk" >&2; exit 1; }

# --- WebP variants (160x120) -------------------------------------------------
cwebp -quiet -q 75 -metadata none "$tmp/s.png" -o webp_lossy.webp
cwebp -quiet -lossless -metadata none png_rgba.png -o webp_lossless_alpha.webp
# VP8X with an EXIF chunk (orientation 6), stored 120x160.
png "$tmp/s.png" -rotate 270 -strip "$tmp/s6.png"
cwebp -quiet -q 75 -metadata none "$tmp/s6.png" -o "$tmp/s6.webp"
# exif.bin: a TIFF-structured EXIF block (no "Exif\0\0" prefix, as webpmux wants).
# exiftool's EXIF block of orientation_6.jpg holds just IFD0 with Orientation=6.
exiftool -q -b -EXIF orientation_6.jpg >"$tmp/exif.bin"
webpmux -set exif "$tmp/exif.bin" "$tmp/s6.webp" -o webp_exif_orient6.webp >/dev/null 2>&1

# --- TIFF, BMP, GIF ------------------------------------------------------------
convert "$tmp/s.png" -depth 8 -compress LZW -strip image.tiff
convert "$tmp/s.png" -strip BMP3:image.bmp
convert "$tmp/s.png" -colors 32 -strip image.gif
# Two-frame animation: frame 1 is the scene, frame 2 the scene mirrored.
convert -delay 50 "$tmp/s.png" \( "$tmp/s.png" -flop \) -colors 32 -loop 0 -strip animated.gif

# --- truncated and corrupt inputs -------------------------------------------
# truncated_*: the first half of a valid file (headers intact, pixel data cut).
for f in jpeg_444.jpg png_rgba.png webp_lossy.webp image.gif image.tiff image.bmp; do
	ext="${f##*.}"
	size=$(stat -c %s "$f")
	head -c $((size / 2)) "$f" >"truncated.$ext"
done
# corrupt_*: a valid header followed by damage the decoder must notice.
# JPEG: 32 bytes of zeros over the first Huffman table (DHT, FF C4), which
# leaves code counts that overflow the table.
cp jpeg_444.jpg corrupt.jpg
off=$(grep -obUaP '\xff\xc4' corrupt.jpg | head -1 | cut -d: -f1)
head -c 32 /dev/zero | tr '\0' '\377' | dd of=corrupt.jpg bs=1 seek=$((off + 5)) conv=notrunc status=none
# PNG: one flipped byte inside the first IDAT, so its CRC no longer matches.
cp png_rgba.png corrupt.png
off=$(grep -obUa 'IDAT' corrupt.png | head -1 | cut -d: -f1)
printf '\xA5' | dd of=corrupt.png bs=1 seek=$((off + 12)) conv=notrunc status=none
# WebP: the VP8 chunk's frame tag is overwritten with ones (bad start code).
cp webp_lossy.webp corrupt.webp
off=$(grep -obUa 'VP8 ' corrupt.webp | head -1 | cut -d: -f1)
head -c 6 /dev/zero | tr '\0' '\377' | dd of=corrupt.webp bs=1 seek=$((off + 8)) conv=notrunc status=none
# GIF: the LZW minimum code size of the first image is set to 0xFF.
cp image.gif corrupt.gif
off=$(grep -obUaP '\x2c\x00\x00\x00\x00' corrupt.gif | head -1 | cut -d: -f1)
printf '\xFF' | dd of=corrupt.gif bs=1 seek=$((off + 10)) conv=notrunc status=none
# TIFF: the IFD offset in the header points past the end of the file.
cp image.tiff corrupt.tiff
printf '\xFF\xFF\xFF\x7F' | dd of=corrupt.tiff bs=1 seek=4 conv=notrunc status=none
# BMP: the pixel-data offset (bytes 10..13) points past the end of the file.
cp image.bmp corrupt.bmp
printf '\xFF\xFF\xFF\x00' | dd of=corrupt.bmp bs=1 seek=10 conv=notrunc status=none

# --- pixel bombs: tiny files declaring huge dimensions ----------------------
(cd "$repo" && go run testdata/gen/bombs.go -out testdata)

# --- non-image inputs for the sniffer ----------------------------------------
convert -size 16x16 gradient:red-blue -strip tiny.avif
printf '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect width="16" height="16" fill="red"/></svg>\n' >image.svg
printf 'This is a plain text file, not an image.\n' >text.txt
: >empty.bin

echo "fixtures written to $here"
