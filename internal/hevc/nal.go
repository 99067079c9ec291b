package hevc

import "bytes"

// NAL unit types (Table 7-1) the decoder distinguishes.
const (
	nalTrailN     = 0
	nalRASLR      = 9  // last non-IRAP VCL type in use
	nalBLAWLP     = 16 // first IRAP type
	nalIDRWRADL   = 19
	nalIDRNLP     = 20
	nalCRA        = 21
	nalRsvIRAP23  = 23 // last IRAP type (reserved 22, 23)
	nalVPS        = 32
	nalSPS        = 33
	nalPPS        = 34
	nalMaxVCLType = 31
)

// nalUnit is one NAL unit: its header fields (7.3.1.2) and the payload
// after the two header bytes, still with emulation prevention bytes.
type nalUnit struct {
	typ, layerID, temporalID int
	payload                  []byte
}

// parseNAL splits the two-byte NAL unit header from b.
func parseNAL(b []byte) (nalUnit, error) {
	if len(b) < 2 {
		return nalUnit{}, corruptf("NAL unit of %d bytes", len(b))
	}
	if b[0]&0x80 != 0 {
		return nalUnit{}, corruptf("forbidden_zero_bit set in NAL unit header")
	}
	n := nalUnit{
		typ:        int(b[0] >> 1 & 0x3f),
		layerID:    int(b[0]&1)<<5 | int(b[1]>>3),
		temporalID: int(b[1]&7) - 1,
		payload:    b[2:],
	}
	if n.temporalID < 0 {
		return nalUnit{}, corruptf("nuh_temporal_id_plus1 is 0")
	}
	return n, nil
}

// isSlice reports whether a NAL unit type carries a slice segment this
// decoder reads: the non-IRAP VCL types 0..9 and the IRAP types 16..21
// (the reserved VCL types are ignored, as 7.4.2.2 requires).
func isSlice(typ int) bool {
	return typ <= nalRASLR || typ >= nalBLAWLP && typ <= nalCRA
}

// splitAnnexB splits an Annex B byte stream into NAL units (without start
// codes or trailing zero bytes). Bytes before the first start code are
// ignored. The NAL units alias stream.
func splitAnnexB(stream []byte) [][]byte {
	var nals [][]byte
	startCode := []byte{0, 0, 1}
	i := bytes.Index(stream, startCode)
	for i >= 0 {
		start := i + 3
		next := bytes.Index(stream[start:], startCode)
		end := len(stream)
		if next >= 0 {
			end = start + next
		}
		nal := stream[start:end]
		// Strip trailing zero bytes (trailing_zero_8bits and the zero
		// byte of a following four-byte start code); a NAL unit never
		// ends with a zero byte (its RBSP ends with a stop bit or 0x03).
		for len(nal) > 0 && nal[len(nal)-1] == 0 {
			nal = nal[:len(nal)-1]
		}
		if len(nal) > 0 {
			nals = append(nals, nal)
		}
		if next < 0 {
			break
		}
		i = end
	}
	return nals
}

// splitLengthPrefixed splits NAL units each preceded by its big-endian
// length in lengthSize bytes (1, 2 or 4), as in HEIF item data and MP4
// samples. The NAL units alias data.
func splitLengthPrefixed(data []byte, lengthSize int) ([][]byte, error) {
	if lengthSize != 1 && lengthSize != 2 && lengthSize != 4 {
		return nil, corruptf("NAL length size %d (want 1, 2 or 4)", lengthSize)
	}
	var nals [][]byte
	for len(data) > 0 {
		if len(data) < lengthSize {
			return nil, corruptf("truncated NAL unit length")
		}
		var u uint64 // not int: 4 length bytes overflow a 32-bit int
		for _, b := range data[:lengthSize] {
			u = u<<8 | uint64(b)
		}
		data = data[lengthSize:]
		if u > uint64(len(data)) {
			return nil, corruptf("NAL unit length %d beyond the %d bytes left", u, len(data))
		}
		n := int(u)
		if n > 0 {
			nals = append(nals, data[:n])
		}
		data = data[n:]
	}
	return nals, nil
}
