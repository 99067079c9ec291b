package exif

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrMalformed is matched (with [errors.Is]) by every error of this
// package: the container or the EXIF block is truncated or inconsistent,
// or the orientation value is outside 1..8. The wrapping error says what
// was wrong and where.
var ErrMalformed = errors.New("exif: malformed")

// MaxEntries is the largest IFD0 entry count Parse accepts. Real IFD0s
// hold a few dozen entries; a larger count is reported as malformed
// instead of being scanned.
const MaxEntries = 1024

// tagOrientation is the EXIF/TIFF Orientation tag.
const tagOrientation = 0x0112

// TIFF field types the orientation may be stored as.
const (
	typeShort = 3
	typeLong  = 4
)

// exifHeader prefixes the TIFF structure in a JPEG APP1 segment (and,
// from some writers, in PNG eXIf and WebP EXIF chunks).
const exifHeader = "Exif\x00\x00"

// Parse returns the orientation stored in a TIFF-structured EXIF block:
// "II*\x00" (little-endian) or "MM\x00*" (big-endian), then the offset of
// IFD0, whose tag 0x0112 holds the orientation. A leading "Exif\x00\x00"
// is skipped. Only IFD0 is read. A whole TIFF image file is such a block
// too, so Parse also reads the orientation of a TIFF file.
//
// A block without the tag yields ([Identity], nil). A block too short for
// its header, with IFD0 outside it, an entry table that does not fit, more
// than [MaxEntries] entries, an orientation of the wrong type or count, or
// a value outside 1..8 yields (Identity, err) with err matching
// [ErrMalformed].
//
// Parse does not allocate unless it returns an error, and reads at most
// 8 + 2 + 12*MaxEntries bytes of tiff.
func Parse(tiff []byte) (Orientation, error) {
	if len(tiff) >= len(exifHeader) && string(tiff[:len(exifHeader)]) == exifHeader {
		tiff = tiff[len(exifHeader):]
	}
	if len(tiff) < 8 {
		return Identity, fmt.Errorf("%w: TIFF header needs 8 bytes, have %d", ErrMalformed, len(tiff))
	}
	var bo binary.ByteOrder
	switch string(tiff[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return Identity, fmt.Errorf("%w: bad TIFF byte-order mark %q", ErrMalformed, tiff[:4])
	}
	off := uint64(bo.Uint32(tiff[4:]))
	n := uint64(len(tiff))
	if off < 8 || off+2 > n {
		return Identity, fmt.Errorf("%w: IFD0 offset %d outside the %d-byte block", ErrMalformed, off, n)
	}
	count := uint64(bo.Uint16(tiff[off:]))
	if count > MaxEntries {
		return Identity, fmt.Errorf("%w: IFD0 declares %d entries, over the limit of %d", ErrMalformed, count, MaxEntries)
	}
	if off+2+12*count > n {
		return Identity, fmt.Errorf("%w: IFD0 at %d with %d entries overruns the %d-byte block", ErrMalformed, off, count, n)
	}
	for i := uint64(0); i < count; i++ {
		e := tiff[off+2+12*i : off+2+12*i+12]
		if bo.Uint16(e) != tagOrientation {
			continue
		}
		typ, cnt := bo.Uint16(e[2:]), bo.Uint32(e[4:])
		if cnt != 1 {
			return Identity, fmt.Errorf("%w: orientation has count %d, want 1", ErrMalformed, cnt)
		}
		var v uint32
		switch typ {
		case typeShort:
			v = uint32(bo.Uint16(e[8:]))
		case typeLong:
			v = bo.Uint32(e[8:])
		default:
			return Identity, fmt.Errorf("%w: orientation has TIFF type %d, want SHORT", ErrMalformed, typ)
		}
		if v < 1 || v > 8 {
			return Identity, fmt.Errorf("%w: orientation value %d outside 1..8", ErrMalformed, v)
		}
		return Orientation(v), nil
	}
	return Identity, nil
}
