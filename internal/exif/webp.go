package exif

import (
	"encoding/binary"
	"fmt"
)

// FromWebP returns the orientation of a WebP file held in b, from its
// EXIF chunk (present only in the extended, VP8X, layout). The chunk
// holds a TIFF-structured block; the "Exif\x00\x00" prefix that some
// writers add is accepted too. Chunks are walked up to the end of the
// RIFF payload; the VP8X flags are not trusted, since writers disagree
// about them.
//
// No EXIF chunk, or one without the tag, yields ([Identity], nil). A
// missing "RIFF"/"WEBP" header, a chunk longer than the data left, data
// shorter than the RIFF size declares (when the EXIF chunk was not found
// before the cut), or a malformed EXIF block (see [Parse]) yields
// (Identity, err) with err matching [ErrMalformed]. Bytes after the RIFF
// payload are ignored.
//
// FromWebP does not copy b or allocate (unless it returns an error); its
// cost is one step per chunk.
func FromWebP(b []byte) (Orientation, error) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return Identity, fmt.Errorf("%w: missing RIFF/WEBP header", ErrMalformed)
	}
	declared := uint64(binary.LittleEndian.Uint32(b[4:])) + 8
	end := min(declared, uint64(len(b)))
	i := uint64(12)
	for i+8 <= end {
		typ := b[i : i+4]
		n := uint64(binary.LittleEndian.Uint32(b[i+4:]))
		if n > end-i-8 {
			return Identity, fmt.Errorf("%w: WebP chunk %q at offset %d declares %d bytes, %d left", ErrMalformed, typ, i, n, end-i-8)
		}
		if string(typ) == "EXIF" {
			return Parse(b[i+8 : i+8+n])
		}
		i += 8 + n + n&1 // chunks are padded to an even size
	}
	if declared > uint64(len(b)) {
		return Identity, fmt.Errorf("%w: WebP declares %d bytes, has %d", ErrMalformed, declared, len(b))
	}
	if i < end {
		return Identity, fmt.Errorf("%w: WebP chunk header cut at offset %d", ErrMalformed, i)
	}
	return Identity, nil
}
