#!/bin/sh
# Regenerates the fixtures of package encode (see testdata/README.md at the repository root).
# Needs ImageMagick (convert) and exiftool.
set -eu
cd "$(dirname "$0")"

# gps_exif.jpg: a small generated JPEG carrying EXIF with GPS coordinates
# (fake: Tallinn old town), to prove re-encoding drops APP1.
convert -size 64x48 gradient:red-blue -quality 85 gps_exif.jpg
exiftool -q -overwrite_original \
	-Make=mediaprep-test -Model=fixture \
	-GPSLatitude=59.437 -GPSLatitudeRef=N \
	-GPSLongitude=24.7536 -GPSLongitudeRef=E \
	gps_exif.jpg
