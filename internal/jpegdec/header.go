package jpegdec

import (
	"encoding/binary"
	"fmt"
)

// JPEG marker codes (ITU T.81 table B.1).
const (
	mSOF0  = 0xC0 // baseline
	mSOF1  = 0xC1 // extended sequential, Huffman
	mSOF2  = 0xC2 // progressive, Huffman
	mDHT   = 0xC4
	mDAC   = 0xCC // arithmetic conditioning
	mRST0  = 0xD0
	mRST7  = 0xD7
	mSOI   = 0xD8
	mEOI   = 0xD9
	mSOS   = 0xDA
	mDQT   = 0xDB
	mDNL   = 0xDC
	mDRI   = 0xDD
	mAPP0  = 0xE0
	mAPP14 = 0xEE
)

// component is one image component as declared by SOF and SOS.
type component struct {
	id     uint8
	h, v   int   // sampling factors (1, 1 for gray)
	tq     uint8 // quantization table index
	td, ta uint8 // DC and AC Huffman table index (from SOS)
}

// header is everything parsed from the markers up to the start of the
// entropy-coded data of the (single) scan.
type header struct {
	sof        byte // SOF marker code
	w, h       int
	nComp      int
	comp       [4]component
	quant      [4][64]int32 // natural (row-major) order
	quantSet   [4]bool
	dc, ac     [4]*huffTable
	ri         int // restart interval in MCUs (0 = none)
	jfif       bool
	adobe      bool
	adobeXform byte
	scanStart  int // offset of the first entropy-coded byte
}

// parseHeader reads markers from the start of b. With untilSOF it stops
// after the frame header (for DecodeConfig); otherwise it continues up to
// and including the first SOS and validates that the scan is decodable.
// A non-zero maxPixels refuses a larger declared size with ErrTooLarge as
// soon as the frame header is read.
func parseHeader(b []byte, untilSOF bool, maxPixels int64) (*header, error) {
	if len(b) < 2 || b[0] != 0xFF || b[1] != mSOI {
		return nil, corrupt("missing SOI marker")
	}
	hd := &header{}
	pos := 2
	for {
		// Find the next marker, skipping junk and fill bytes as libjpeg does.
		for pos < len(b) && b[pos] != 0xFF {
			pos++
		}
		for pos < len(b) && b[pos] == 0xFF {
			pos++
		}
		if pos >= len(b) {
			return nil, corrupt("truncated before %s", missingWhat(hd, untilSOF))
		}
		m := b[pos]
		pos++
		if m == 0 || (m >= mRST0 && m <= mRST7) || m == 0x01 {
			continue // stray stuffed byte, RST or TEM: no payload
		}
		if m == mSOI {
			return nil, corrupt("repeated SOI marker")
		}
		if m == mEOI {
			return nil, corrupt("EOI before %s", missingWhat(hd, untilSOF))
		}
		if pos+2 > len(b) {
			return nil, corrupt("truncated marker length")
		}
		n := int(binary.BigEndian.Uint16(b[pos:]))
		if n < 2 || pos+n > len(b) {
			return nil, corrupt("marker 0x%02X segment length %d out of bounds", m, n)
		}
		seg := b[pos+2 : pos+n]
		pos += n
		var err error
		switch {
		case m == mSOF0 || m == mSOF1 || m == mSOF2:
			if err = hd.parseSOF(m, seg); err != nil {
				return nil, err
			}
			if maxPixels > 0 && int64(hd.w)*int64(hd.h) > maxPixels {
				return nil, fmt.Errorf("%w: %dx%d is more than %d pixels", ErrTooLarge, hd.w, hd.h, maxPixels)
			}
			if untilSOF {
				return hd, nil
			}
			if m == mSOF2 {
				return nil, unsupported("progressive JPEG")
			}
		case m >= 0xC3 && m <= 0xCF && m != mDHT && m != 0xC8 && m != mDAC:
			return nil, unsupported("SOF marker 0x%02X (lossless, hierarchical or arithmetic)", m)
		case m == mDAC:
			return nil, unsupported("arithmetic coding")
		case m == mDHT:
			err = hd.parseDHT(seg)
		case m == mDQT:
			err = hd.parseDQT(seg)
		case m == mDRI:
			if len(seg) != 2 {
				return nil, corrupt("DRI length %d", len(seg))
			}
			hd.ri = int(binary.BigEndian.Uint16(seg))
		case m == mAPP0:
			if len(seg) >= 5 && string(seg[:5]) == "JFIF\x00" {
				hd.jfif = true
			}
		case m == mAPP14:
			if len(seg) >= 12 && string(seg[:5]) == "Adobe" {
				hd.adobe = true
				hd.adobeXform = seg[11]
			}
		case m == mSOS:
			if hd.nComp == 0 {
				return nil, corrupt("SOS before SOF")
			}
			if err = hd.parseSOS(seg); err != nil {
				return nil, err
			}
			hd.scanStart = pos
			return hd, nil
		case m == mDNL:
			return nil, unsupported("DNL marker")
		}
		// APPn, COM and unknown markers are skipped.
		if err != nil {
			return nil, err
		}
	}
}

func missingWhat(hd *header, untilSOF bool) string {
	if untilSOF || hd.nComp == 0 {
		return "SOF"
	}
	return "SOS"
}

// parseSOF parses a frame header (section B.2.2).
func (hd *header) parseSOF(m byte, seg []byte) error {
	if hd.nComp != 0 {
		return corrupt("multiple SOF markers")
	}
	if len(seg) < 6 {
		return corrupt("SOF too short")
	}
	if seg[0] != 8 {
		return unsupported("%d-bit precision", seg[0])
	}
	hd.sof = m
	hd.h = int(binary.BigEndian.Uint16(seg[1:]))
	hd.w = int(binary.BigEndian.Uint16(seg[3:]))
	n := int(seg[5])
	if len(seg) != 6+3*n {
		return corrupt("SOF length %d does not match %d components", len(seg), n)
	}
	if hd.w == 0 {
		return corrupt("zero width")
	}
	if hd.h == 0 {
		return unsupported("height defined by DNL")
	}
	if n != 1 && n != 3 && n != 4 {
		return unsupported("%d components", n)
	}
	hd.nComp = n
	for i := 0; i < n; i++ {
		c := &hd.comp[i]
		c.id = seg[6+3*i]
		for j := 0; j < i; j++ {
			if hd.comp[j].id == c.id {
				return corrupt("repeated component identifier")
			}
		}
		hv := seg[7+3*i]
		c.h, c.v = int(hv>>4), int(hv&15)
		if c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 {
			return corrupt("sampling factors %dx%d", c.h, c.v)
		}
		c.tq = seg[8+3*i]
		if c.tq > 3 {
			return corrupt("quantization table index %d", c.tq)
		}
	}
	if n == 1 {
		// A single component is non-interleaved: its MCU is one block
		// whatever the declared factors (section A.2).
		hd.comp[0].h, hd.comp[0].v = 1, 1
	}
	return nil
}

// subsampling validates the component layout and returns the luma/chroma
// ratio (h<<4 | v) for 3-component images, or 0x11 for gray.
func (hd *header) subsampling() (int, error) {
	switch hd.nComp {
	case 1:
		return 0x11, nil
	case 3:
	default:
		return 0, unsupported("%d components (CMYK/YCCK)", hd.nComp)
	}
	if hd.isRGB() {
		return 0, unsupported("RGB (non-YCbCr) color transform")
	}
	y, cb, cr := hd.comp[0], hd.comp[1], hd.comp[2]
	if cb.h != cr.h || cb.v != cr.v || y.h%cb.h != 0 || y.v%cb.v != 0 {
		return 0, unsupported("sampling factors %dx%d,%dx%d,%dx%d", y.h, y.v, cb.h, cb.v, cr.h, cr.v)
	}
	r := (y.h/cb.h)<<4 | y.v/cb.v
	switch r {
	case 0x11, 0x12, 0x21, 0x22, 0x41, 0x42:
		return r, nil
	}
	return 0, unsupported("sampling factors %dx%d,%dx%d,%dx%d", y.h, y.v, cb.h, cb.v, cr.h, cr.v)
}

// isRGB mirrors image/jpeg: without JFIF, Adobe transform 0 or component
// ids 'R','G','B' mean the components are RGB, not YCbCr.
func (hd *header) isRGB() bool {
	if hd.jfif {
		return false
	}
	if hd.adobe && hd.adobeXform == 0 {
		return true
	}
	return hd.comp[0].id == 'R' && hd.comp[1].id == 'G' && hd.comp[2].id == 'B'
}

// parseDQT parses quantization tables (section B.2.4.1).
func (hd *header) parseDQT(seg []byte) error {
	for len(seg) > 0 {
		pq, tq := seg[0]>>4, seg[0]&15
		if tq > 3 {
			return corrupt("DQT table index %d", tq)
		}
		seg = seg[1:]
		q := &hd.quant[tq]
		switch pq {
		case 0:
			if len(seg) < 64 {
				return corrupt("DQT too short")
			}
			for k := 0; k < 64; k++ {
				q[unzig[k]] = int32(seg[k])
			}
			seg = seg[64:]
		case 1:
			if len(seg) < 128 {
				return corrupt("DQT too short")
			}
			for k := 0; k < 64; k++ {
				q[unzig[k]] = int32(binary.BigEndian.Uint16(seg[2*k:]))
			}
			seg = seg[128:]
		default:
			return corrupt("DQT precision %d", pq)
		}
		hd.quantSet[tq] = true
	}
	return nil
}

// parseDHT parses Huffman tables (section B.2.4.2).
func (hd *header) parseDHT(seg []byte) error {
	for len(seg) > 0 {
		if len(seg) < 17 {
			return corrupt("DHT too short")
		}
		tc, th := seg[0]>>4, seg[0]&15
		if tc > 1 || th > 3 {
			return corrupt("DHT class %d index %d", tc, th)
		}
		var counts [16]int
		total := 0
		for i := range counts {
			counts[i] = int(seg[1+i])
			total += counts[i]
		}
		if total == 0 || total > 256 || len(seg) < 17+total {
			return corrupt("DHT has %d codes", total)
		}
		slot := &hd.dc[th]
		if tc == 1 {
			slot = &hd.ac[th]
		}
		t, err := buildHuffTable(*slot, &counts, seg[17:17+total], tc == 1)
		if err != nil {
			*slot = nil
			return err
		}
		*slot = t
		seg = seg[17+total:]
	}
	return nil
}

// parseSOS parses the scan header (section B.2.3) and checks that the scan
// is a single sequential scan covering every component.
func (hd *header) parseSOS(seg []byte) error {
	if len(seg) < 1 {
		return corrupt("SOS too short")
	}
	ns := int(seg[0])
	if len(seg) != 4+2*ns {
		return corrupt("SOS length %d for %d components", len(seg), ns)
	}
	if ns != hd.nComp {
		return unsupported("multi-scan sequential JPEG (%d of %d components in scan)", ns, hd.nComp)
	}
	var seen [4]bool
	for i := 0; i < ns; i++ {
		id := seg[1+2*i]
		ci := -1
		for j := 0; j < hd.nComp; j++ {
			if hd.comp[j].id == id {
				ci = j
			}
		}
		if ci < 0 || seen[ci] {
			return corrupt("SOS component id %d", id)
		}
		if ci != i {
			return unsupported("scan component order differs from frame")
		}
		seen[ci] = true
		td, ta := seg[2+2*i]>>4, seg[2+2*i]&15
		if td > 3 || ta > 3 {
			return corrupt("SOS Huffman table index")
		}
		c := &hd.comp[ci]
		c.td, c.ta = td, ta
		if hd.dc[td] == nil || hd.ac[ta] == nil {
			return corrupt("missing Huffman table")
		}
		if !hd.quantSet[c.tq] {
			return corrupt("missing quantization table %d", c.tq)
		}
	}
	ss, se, ah, al := seg[1+2*ns], seg[2+2*ns], seg[3+2*ns]>>4, seg[3+2*ns]&15
	if ss != 0 || se != 63 || ah != 0 || al != 0 {
		return corrupt("sequential scan with spectral selection %d..%d, approximation %d/%d", ss, se, ah, al)
	}
	return nil
}

// unzig maps zig-zag order to natural order.
var unzig = [64]uint8{
	0, 1, 8, 16, 9, 2, 3, 10,
	17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34,
	27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36,
	29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46,
	53, 60, 61, 54, 47, 55, 62, 63,
}
