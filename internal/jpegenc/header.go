package jpegenc

// jfifAPP0 is the JFIF APP0 segment Options.JFIF adds: version 1.01, no
// density units, aspect ratio 1:1, no thumbnail.
var jfifAPP0 = []byte{
	0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00,
	0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
}

func appendMarker(dst []byte, marker byte, payloadLen int) []byte {
	n := payloadLen + 2
	return append(dst, 0xff, marker, byte(n>>8), byte(n))
}

// writeHeader appends SOI, APP0 (JFIF, if asked for), the extra APP
// segments, DQT, SOF0, DHT and SOS, laid out byte for byte as image/jpeg
// writes them: both quantisation tables in one DQT (also for Gray, which
// uses only the first), components 1, 2, 3 with tables 0, 1, 1, and only
// the luma Huffman tables for Gray.
func (f *frame) writeHeader(dst []byte, s *settings, q *[2][blockSize]uint8, specs *[nHuff]huffSpec) []byte {
	dst = append(dst, 0xff, 0xd8)
	if s.jfif {
		dst = append(dst, jfifAPP0...)
	}
	for _, seg := range s.app {
		dst = appendMarker(dst, seg.Marker, len(seg.Data))
		dst = append(dst, seg.Data...)
	}

	dst = appendMarker(dst, 0xdb, 2*(1+blockSize))
	for i := range 2 {
		dst = append(dst, byte(i))
		dst = append(dst, q[i][:]...)
	}

	nc := 3
	if f.gray {
		nc = 1
	}
	dst = appendMarker(dst, 0xc0, 6+3*nc)
	dst = append(dst, 8, byte(f.h>>8), byte(f.h), byte(f.w>>8), byte(f.w), byte(nc))
	dst = append(dst, 1, byte(f.hs<<4|f.vs), 0)
	if !f.gray {
		dst = append(dst, 2, 0x11, 1, 3, 0x11, 1)
	}

	nt := f.nTables()
	n := 0
	for i := range nt {
		n += 1 + 16 + len(specs[i].value)
	}
	dst = appendMarker(dst, 0xc4, n)
	for i := range nt {
		dst = append(dst, "\x00\x10\x01\x11"[i])
		dst = append(dst, specs[i].count[:]...)
		dst = append(dst, specs[i].value...)
	}

	dst = appendMarker(dst, 0xda, 4+2*nc)
	dst = append(dst, byte(nc), 1, 0x00)
	if !f.gray {
		dst = append(dst, 2, 0x11, 3, 0x11)
	}
	return append(dst, 0, 63, 0)
}
