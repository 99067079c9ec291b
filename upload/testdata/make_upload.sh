#!/bin/sh
# Regenerates the fixtures of packages upload and upload/uploadtest.
# Run from this directory: sh make_upload.sh
# Tools: imagemagick (convert), webp (cwebp), libheif-examples (heif-enc),
# img2pdf, openssl, xxd. Content is generated, never taken from a corpus.
set -eu

# --- images: small gradients with a shape, so encoders have something to do
convert -size 64x48 gradient:navy-orange -fill white -draw 'circle 32,24 32,10' -depth 8 -type TrueColor PNG24:tiny.png
convert tiny.png -quality 85 tiny.jpg
cwebp -quiet -q 80 tiny.png -o tiny.webp
heif-enc -q 50 -o tiny.heic tiny.jpg
# longer side 2000 px (> 1920): the fake must refuse these
convert -size 2000x16 gradient:black-white -depth 8 -type TrueColor wide.jpg
cwebp -quiet -q 50 wide.jpg -o wide.webp
heif-enc -q 30 -o wide.heic wide.jpg
rm wide.jpg
# a one-page PDF wrapping the JPEG
img2pdf --producer "" --creationdate "2025-01-01" --moddate "2025-01-01" tiny.jpg -o tiny.pdf

# --- HMAC-SHA256 test vectors computed by openssl, independently of Go.
# Format: one vector per line, tab-separated:
#   name <TAB> secret (text) <TAB> payload (hex) <TAB> signature (openssl)
vec() { # name secret payload-hex
	sig=$(printf %s "$3" | xxd -r -p | openssl dgst -sha256 -hmac "$2" | sed 's/^.*= //')
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$sig"
}
hex() { printf %s "$1" | xxd -p | tr -d '\n'; }
{
	printf '# name\tsecret\tpayload-hex\tsignature (printf payload | openssl dgst -sha256 -hmac secret)\n'
	vec empty-body 'abcdef12-3456-7890-abcd-ef1234567890' ''
	vec submit-body 'abcdef12-3456-7890-abcd-ef1234567890' "$(hex '{"verification":{"status":"submitted"}}')"
	vec session-id 'my-shared-secret' "$(hex 'f04bdb47-d3be-4b28-b028-a652feb060b5')"
	vec media-body 'my-shared-secret' "$(hex '{"image":{"context":"document-back","content":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==","timestamp":"2025-01-01T10:00:15.000Z"}}')"
	vec unicode 'sëcret-✓' "$(hex '{"message":"Grüße, 世界"}')"
	vec binary 'k' '00ff10807f0a0d22'
} > hmac_vectors.tsv
ls -l tiny.* wide.* hmac_vectors.tsv
