package exif

import (
	"encoding/binary"
	"fmt"
)

// JPEG markers that matter to the walk.
const (
	markerSOI  = 0xd8
	markerEOI  = 0xd9
	markerSOS  = 0xda
	markerAPP1 = 0xe1
	markerTEM  = 0x01
	markerRST0 = 0xd0
	markerRST7 = 0xd7
)

// FromJPEG returns the orientation of a JPEG file held in b. It walks the
// marker segments from SOI up to the first SOS (start of scan) and parses
// the first APP1 segment that begins with "Exif\x00\x00"; later EXIF
// segments, XMP and everything from SOS on are ignored.
//
// No EXIF segment, or one without the tag, yields ([Identity], nil). Data
// that does not start with SOI, a segment length below 2, running out of
// bytes before SOS, or a malformed EXIF block (see [Parse]) yields
// (Identity, err) with err matching [ErrMalformed]. Bytes between segments
// that are not a marker are skipped, as libjpeg and image/jpeg do.
//
// FromJPEG does not copy b or allocate (unless it returns an error); it
// visits each segment header once, so its cost is the number of segments
// before the scan, independent of the image size.
func FromJPEG(b []byte) (Orientation, error) {
	if len(b) < 2 || b[0] != 0xff || b[1] != markerSOI {
		return Identity, fmt.Errorf("%w: JPEG does not start with SOI", ErrMalformed)
	}
	i := 2
	for {
		// Find the next 0xFF, then skip fill bytes (repeated 0xFF).
		for i < len(b) && b[i] != 0xff {
			i++
		}
		for i < len(b) && b[i] == 0xff {
			i++
		}
		if i >= len(b) {
			return Identity, fmt.Errorf("%w: JPEG ends before the start of scan", ErrMalformed)
		}
		m := b[i]
		i++
		switch {
		case m == markerSOS || m == markerEOI:
			return Identity, nil
		case m == markerTEM || (m >= markerRST0 && m <= markerRST7) || m == markerSOI || m == 0x00:
			// Markers without a length (0x00 is a stuffed byte, not a marker).
			continue
		}
		if i+2 > len(b) {
			return Identity, fmt.Errorf("%w: JPEG segment %#02x cut in its length at offset %d", ErrMalformed, m, i)
		}
		n := int(binary.BigEndian.Uint16(b[i:]))
		if n < 2 {
			return Identity, fmt.Errorf("%w: JPEG segment %#02x at offset %d has length %d", ErrMalformed, m, i, n)
		}
		if i+n > len(b) {
			return Identity, fmt.Errorf("%w: JPEG segment %#02x at offset %d needs %d bytes, %d left", ErrMalformed, m, i, n, len(b)-i)
		}
		seg := b[i+2 : i+n]
		i += n
		if m == markerAPP1 && len(seg) >= len(exifHeader) && string(seg[:len(exifHeader)]) == exifHeader {
			return Parse(seg)
		}
	}
}
