package exif

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

const pngSignature = "\x89PNG\r\n\x1a\n"

// maxPNGChunk is the largest chunk length the PNG specification allows.
const maxPNGChunk = 1<<31 - 1

// FromPNG returns the orientation of a PNG file held in b, from its eXIf
// chunk. The specification puts eXIf before the first IDAT, but some
// writers append it after the image data, so FromPNG walks every chunk
// header up to IEND. The eXIf chunk's CRC is checked; no other chunk is
// verified.
//
// No eXIf chunk, or one without the tag, yields ([Identity], nil). A
// missing signature, a chunk longer than 2³¹-1 or than the data left,
// data ending before IEND, a bad eXIf CRC, or a malformed EXIF block (see
// [Parse]) yields (Identity, err) with err matching [ErrMalformed].
//
// FromPNG does not copy b or allocate (unless it returns an error); its
// cost is one step per chunk (image data is skipped, not read) plus a CRC
// over the eXIf chunk.
func FromPNG(b []byte) (Orientation, error) {
	if len(b) < len(pngSignature) || string(b[:len(pngSignature)]) != pngSignature {
		return Identity, fmt.Errorf("%w: missing PNG signature", ErrMalformed)
	}
	i := len(pngSignature)
	for {
		if len(b)-i < 12 {
			return Identity, fmt.Errorf("%w: PNG ends at offset %d before IEND", ErrMalformed, len(b))
		}
		n := uint64(binary.BigEndian.Uint32(b[i:]))
		typ := b[i+4 : i+8]
		if n > maxPNGChunk || n > uint64(len(b)-i-12) {
			return Identity, fmt.Errorf("%w: PNG chunk %q at offset %d declares %d bytes, %d left", ErrMalformed, typ, i, n, len(b)-i-12)
		}
		end := i + 8 + int(n)
		switch string(typ) {
		case "IEND":
			return Identity, nil
		case "eXIf":
			if crc32.ChecksumIEEE(b[i+4:end]) != binary.BigEndian.Uint32(b[end:]) {
				return Identity, fmt.Errorf("%w: PNG eXIf chunk at offset %d fails its CRC", ErrMalformed, i)
			}
			return Parse(b[i+8 : end])
		}
		i = end + 4
	}
}
