package uploadtest

import (
	"encoding/binary"
	"errors"
)

// errHEIF is returned for HEIF files whose dimensions cannot be read.
var errHEIF = errors.New("uploadtest: cannot read HEIF dimensions")

// maxBoxes bounds how many boxes heifDims visits, whatever the input.
const maxBoxes = 4096

// box is one ISO BMFF box: its type and its payload (header excluded).
type box struct {
	typ     string
	payload []byte
}

// boxes splits b into boxes. It stops at the first malformed header and
// reports it; it never reads outside b.
func boxes(b []byte, budget *int) ([]box, error) {
	var out []box
	for len(b) > 0 {
		if *budget--; *budget < 0 {
			return nil, errHEIF
		}
		if len(b) < 8 {
			return nil, errHEIF
		}
		size := uint64(binary.BigEndian.Uint32(b))
		typ := string(b[4:8])
		hdr := uint64(8)
		switch size {
		case 0: // to the end
			size = uint64(len(b))
		case 1: // 64-bit size follows
			if len(b) < 16 {
				return nil, errHEIF
			}
			size = binary.BigEndian.Uint64(b[8:])
			hdr = 16
		}
		if size < hdr || size > uint64(len(b)) {
			return nil, errHEIF
		}
		out = append(out, box{typ: typ, payload: b[hdr:size]})
		b = b[size:]
	}
	return out, nil
}

func find(bs []box, typ string) (box, bool) {
	for _, b := range bs {
		if b.typ == typ {
			return b, true
		}
	}
	return box{}, false
}

// heifDims returns the width and height of a HEIF file's primary image from
// the ispe property associated with it (pitm + iprp/ipma), or the largest
// ispe when the association cannot be resolved. It reads only box headers
// and a few integers, so its cost is linear in the number of boxes, bounded
// by maxBoxes.
func heifDims(data []byte) (w, h int, err error) {
	budget := maxBoxes
	top, err := boxes(data, &budget)
	if err != nil {
		return 0, 0, err
	}
	meta, ok := find(top, "meta")
	if !ok || len(meta.payload) < 4 {
		return 0, 0, errHEIF
	}
	metaBoxes, err := boxes(meta.payload[4:], &budget) // full box: skip version+flags
	if err != nil {
		return 0, 0, err
	}
	iprp, ok := find(metaBoxes, "iprp")
	if !ok {
		return 0, 0, errHEIF
	}
	iprpBoxes, err := boxes(iprp.payload, &budget)
	if err != nil {
		return 0, 0, err
	}
	ipco, ok := find(iprpBoxes, "ipco")
	if !ok {
		return 0, 0, errHEIF
	}
	props, err := boxes(ipco.payload, &budget)
	if err != nil {
		return 0, 0, err
	}
	// Primary item's ispe, when pitm and ipma say which one it is.
	if pitm, ok := find(metaBoxes, "pitm"); ok {
		if ipma, ok := find(iprpBoxes, "ipma"); ok {
			if id, ok := primaryID(pitm.payload); ok {
				for _, idx := range associations(ipma.payload, id) {
					if idx >= 1 && idx <= len(props) && props[idx-1].typ == "ispe" {
						if w, h, ok := ispe(props[idx-1].payload); ok {
							return w, h, nil
						}
					}
				}
			}
		}
	}
	// Fallback: the largest ispe bounds every image in the file.
	for _, p := range props {
		if p.typ != "ispe" {
			continue
		}
		if pw, ph, ok := ispe(p.payload); ok && pw*ph > w*h {
			w, h = pw, ph
		}
	}
	if w == 0 || h == 0 {
		return 0, 0, errHEIF
	}
	return w, h, nil
}

// ispe reads an ispe payload: version+flags, width u32, height u32.
func ispe(p []byte) (int, int, bool) {
	if len(p) < 12 {
		return 0, 0, false
	}
	w, h := binary.BigEndian.Uint32(p[4:]), binary.BigEndian.Uint32(p[8:])
	if w == 0 || h == 0 || w > 1<<20 || h > 1<<20 {
		return 0, 0, false
	}
	return int(w), int(h), true
}

// primaryID reads a pitm payload: version+flags, item id (u16, u32 if v≥1).
func primaryID(p []byte) (uint32, bool) {
	if len(p) < 4 {
		return 0, false
	}
	if p[0] == 0 {
		if len(p) < 6 {
			return 0, false
		}
		return uint32(binary.BigEndian.Uint16(p[4:])), true
	}
	if len(p) < 8 {
		return 0, false
	}
	return binary.BigEndian.Uint32(p[4:]), true
}

// associations returns the 1-based ipco indices ipma associates with item.
func associations(p []byte, item uint32) []int {
	if len(p) < 8 {
		return nil
	}
	version, flags := p[0], p[3]
	count := binary.BigEndian.Uint32(p[4:])
	p = p[8:]
	for i := uint32(0); i < count; i++ {
		var id uint32
		if version < 1 {
			if len(p) < 2 {
				return nil
			}
			id, p = uint32(binary.BigEndian.Uint16(p)), p[2:]
		} else {
			if len(p) < 4 {
				return nil
			}
			id, p = binary.BigEndian.Uint32(p), p[4:]
		}
		if len(p) < 1 {
			return nil
		}
		n := int(p[0])
		p = p[1:]
		width := 1
		if flags&1 != 0 {
			width = 2
		}
		if len(p) < n*width {
			return nil
		}
		var idx []int
		for j := 0; j < n; j++ {
			if width == 2 {
				idx = append(idx, int(binary.BigEndian.Uint16(p[2*j:])&0x7fff))
			} else {
				idx = append(idx, int(p[j]&0x7f))
			}
		}
		p = p[n*width:]
		if id == item {
			return idx
		}
	}
	return nil
}
