package heif

import (
	"encoding/binary"
)

// nextBox splits the first box off b. body excludes the header; size 0
// means "to the end". A box that claims more bytes than b holds is an error.
func nextBox(b []byte) (typ string, body, rest []byte, err error) {
	if len(b) < 8 {
		return "", nil, nil, corrupt("%d stray bytes where a box header is expected", len(b))
	}
	size := uint64(binary.BigEndian.Uint32(b))
	typ = fourCC(b[4:8])
	hdr := uint64(8)
	switch size {
	case 0:
		size = uint64(len(b))
	case 1:
		if len(b) < 16 {
			return "", nil, nil, corrupt("box %q: truncated 64-bit size", typ)
		}
		size = binary.BigEndian.Uint64(b[8:])
		hdr = 16
	}
	if size < hdr {
		return "", nil, nil, corrupt("box %q: size %d smaller than its header", typ, size)
	}
	if size > uint64(len(b)) {
		return "", nil, nil, corrupt("box %q truncated: declares %d bytes, %d present", typ, size, len(b))
	}
	return typ, b[hdr:size], b[size:], nil
}

// fullBox splits version and flags off a full box body.
func fullBox(typ string, body []byte) (version byte, flags uint32, rest []byte, err error) {
	if len(body) < 4 {
		return 0, 0, nil, corrupt("box %q: no version/flags", typ)
	}
	return body[0], binary.BigEndian.Uint32(body) & 0xffffff, body[4:], nil
}

// reader reads big-endian fields, remembering the first overrun.
type reader struct {
	b   []byte
	typ string
	err error
}

func (r *reader) uint(n int) uint32 {
	if r.err != nil {
		return 0
	}
	if len(r.b) < n {
		r.err = corrupt("box %q truncated", r.typ)
		return 0
	}
	var v uint32
	for _, c := range r.b[:n] {
		v = v<<8 | uint32(c)
	}
	r.b = r.b[n:]
	return v
}

// id reads an item ID of 2 bytes, or 4 when wide.
func (r *reader) id(wide bool) uint32 {
	if wide {
		return r.uint(4)
	}
	return r.uint(2)
}

// known holds the box and item types Parse meets in phone files, so that
// naming them does not allocate.
var known = [...]string{"ftyp", "meta", "mdat", "free", "skip", "hdlr", "pitm", "iinf", "infe", "iref",
	"iprp", "ipco", "ipma", "iloc", "idat", "dinf", "ispe", "irot", "imir", "clap", "hvcC", "colr", "pixi",
	"auxC", "dimg", "thmb", "cdsc", "auxl", "hvc1", "grid", "Exif", "mime", "iden", "iovl", "av01"}

// fourCC returns b (4 bytes) as a string, allocating only for unknown types.
func fourCC(b []byte) string {
	for _, k := range known {
		if string(b) == k {
			return k
		}
	}
	return string(b)
}

// findMeta checks the ftyp box and returns the body of the meta box.
func findMeta(b []byte) ([]byte, error) {
	var meta []byte
	rest := b
	for n := 0; len(rest) > 0; n++ {
		if n == maxTopBoxes {
			return nil, unsupported("more than %d top-level boxes", maxTopBoxes)
		}
		typ, body, r, err := nextBox(rest)
		if err != nil {
			return nil, err
		}
		rest = r
		if n == 0 {
			if typ != "ftyp" {
				return nil, corrupt("first box is %q, not ftyp", typ)
			}
			if err := checkBrands(body); err != nil {
				return nil, err
			}
			continue
		}
		if typ == "meta" {
			if meta != nil {
				return nil, corrupt("two meta boxes")
			}
			if len(body) > MaxMetaSize {
				return nil, unsupported("meta box of %d bytes exceeds %d", len(body), MaxMetaSize)
			}
			meta = body
		}
	}
	if len(b) == 0 {
		return nil, corrupt("empty input")
	}
	if meta == nil {
		return nil, unsupported("no meta box (image sequence or not a still image)")
	}
	return meta, nil
}
