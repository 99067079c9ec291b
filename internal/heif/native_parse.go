package heif

import (
	"math"
	"strings"
)

// This file extracts what the native decoder (DecodeNative) needs from a
// HEIF file: for the primary hvc1 item, or each tile of a grid, the hvcC
// decoder configuration and the coded bytes, plus the colour properties
// and the transforms. Everything is bounded by the meta box (at most
// MaxMetaSize bytes) and by the file; coded bytes are sub-slices of the
// input unless an item is split into several extents.

// hvcItem is one coded HEVC image ready for hevc.Decode.
type hvcItem struct {
	params     [][]byte // VPS, SPS and PPS NAL units (sub-slices of the file)
	data       []byte   // length-prefixed NAL units
	lengthSize int      // 1, 2 or 4
	chroma     int      // chroma_format_idc from hvcC: 0 or 1
	w, h       int      // ispe
	nclx       *nclx    // colr nclx of the item, nil when absent
}

// nclx is a colr box of colour type nclx (ISO/IEC 23091-2 code points).
type nclx struct {
	primaries, transfer, matrix int
	fullRange                   bool
}

// nativeLayout is the primary image as DecodeNative decodes it.
type nativeLayout struct {
	grid       bool
	cols, rows int
	outW, outH int // the (grid) image size before the transforms
	tileW      int // tile size (the single item's size for one image)
	tileH      int
	items      []hvcItem // the single item, or the tiles in raster order
	nclx       *nclx     // colr nclx of the primary (grid) item
	icc        bool      // a colr prof/rICC on the primary item or a tile
	// crop is the clean aperture (clap) in stored coordinates, or the
	// whole image.
	cropX, cropY, cropW, cropH int
	// orientation (EXIF numbering 1..8) turns the cropped stored image
	// into the displayed one (irot/imir in their order).
	orientation int
}

// Limits of the native path beyond Parse's.
const (
	// maxParamSets bounds the NAL units taken from one hvcC.
	maxParamSets = 64
)

// parseNative reads the layout of the primary image. Errors wrap
// ErrCorrupt (malformed) or ErrUnsupported (well-formed but not for the
// native decoder: callers fall back to Decode).
func parseNative(b []byte) (*nativeLayout, error) {
	m, primary, items, err := openItems(b)
	if err != nil {
		return nil, err
	}
	l := &nativeLayout{}
	var ids []uint32
	switch t := typeOf(items, primary); t {
	case "hvc1":
		ids = []uint32{primary}
		l.cols, l.rows = 1, 1
	case "grid":
		l.grid = true
		if ids, _, err = parseIref(m.irefV, m.iref, primary, items); err != nil {
			return nil, err
		}
		if len(ids) == 0 {
			return nil, corrupt("grid item %d has no tiles (dimg)", primary)
		}
		if len(ids) > maxTiles {
			return nil, unsupported("grid of %d tiles", len(ids))
		}
		for _, id := range ids {
			if typeOf(items, id) != "hvc1" {
				return nil, unsupported("grid tile %d of type %q", id, typeOf(items, id))
			}
		}
	case "":
		return nil, corrupt("primary item %d has no item info", primary)
	default:
		return nil, unsupported("primary item type %q (want hvc1 or grid)", t)
	}
	var desc func([]byte) error
	if l.grid {
		desc = func(d []byte) error { return l.descriptor(d, len(ids)) }
	}
	s, err := readItems(b, &m, primary, ids, math.MaxUint64, desc)
	if err != nil {
		return nil, err
	}
	for _, id := range s.aux {
		if err := checkAuxType(s.props, s.assoc[id], id); err != nil {
			return nil, err
		}
	}
	if err := l.primaryProps(s.props, s.assoc[primary]); err != nil {
		return nil, err
	}
	l.items = make([]hvcItem, len(ids))
	for i, id := range ids {
		it, err := l.item(b, m.idat, id, s.locs, s.props, s.assoc[id])
		if err != nil {
			return nil, err
		}
		if i == 0 {
			l.tileW, l.tileH = it.w, it.h
		} else if it.w != l.tileW || it.h != l.tileH {
			return nil, unsupported("tiles of %dx%d and %dx%d", l.tileW, l.tileH, it.w, it.h)
		}
		if it.chroma != l.items[0].chroma && i > 0 {
			return nil, unsupported("tiles with chroma formats %d and %d", l.items[0].chroma, it.chroma)
		}
		l.items[i] = it
	}
	if !l.grid {
		l.outW, l.outH = l.tileW, l.tileH
	}
	return l, l.finish()
}

// descriptor reads the grid item's payload (ISO/IEC 23008-12 6.6.2.3.2).
func (l *nativeLayout) descriptor(d []byte, tiles int) error {
	desc, err := parseGridDesc(d)
	if err != nil {
		return err
	}
	l.outW, l.outH = desc.w, desc.h
	if desc.version != 0 {
		return unsupported("grid version %d", desc.version)
	}
	if desc.rows*desc.cols != tiles {
		return corrupt("grid of %dx%d with %d tiles", desc.cols, desc.rows, tiles)
	}
	if l.outW == 0 || l.outH == 0 {
		return corrupt("grid of %dx%d pixels", l.outW, l.outH)
	}
	l.rows, l.cols = desc.rows, desc.cols
	return nil
}

// primaryProps reads the primary item's size, colour and transforms.
// Transforms apply in property order; a clap must come first (a crop of
// the stored image), irot/imir then give the orientation.
func (l *nativeLayout) primaryProps(props [][]byte, idx []uint16) error {
	var steps []byte // 'r'+angle or 'm'+axis, in order
	var clap []byte
	w, h := 0, 0
	for _, i := range idx {
		p, err := prop(props, i)
		if err != nil || p == nil {
			if err != nil {
				return err
			}
			continue
		}
		body := propBody(p)
		switch string(p[4:8]) {
		case "ispe":
			iw, ih, err := parseIspe(p)
			if err != nil {
				return err
			}
			w, h = int(iw), int(ih)
		case "irot", "imir":
			if len(body) < 1 {
				return corrupt("%s truncated", p[4:8])
			}
			if len(steps) == 2*maxTransforms {
				return unsupported("more than %d transforms", maxTransforms)
			}
			if p[4] == 'i' && p[5] == 'r' {
				steps = append(steps, 'r', body[0]&3)
			} else {
				steps = append(steps, 'm', body[0]&1)
			}
		case "clap":
			if clap != nil || len(steps) > 0 {
				return unsupported("clap after irot/imir, or two clap properties")
			}
			clap = body
		case "colr":
			if err := l.colr(body, &l.nclx); err != nil {
				return err
			}
		}
	}
	if w == 0 {
		return corrupt("primary item has no ispe")
	}
	l.cropW, l.cropH = w, h
	if clap != nil {
		x, y, cw, ch, err := clapRect(clap, w, h)
		if err != nil {
			return err
		}
		l.cropX, l.cropY, l.cropW, l.cropH = x, y, cw, ch
	}
	l.orientation = orientationOf(steps)
	if l.grid && (w != l.outW || h != l.outH) {
		return corrupt("grid ispe %dx%d, descriptor %dx%d", w, h, l.outW, l.outH)
	}
	return nil
}

// colr reads a colr property: nclx into *dst, ICC profiles noted.
func (l *nativeLayout) colr(body []byte, dst **nclx) error {
	if len(body) < 4 {
		return corrupt("colr truncated")
	}
	switch string(body[:4]) {
	case "nclx":
		if len(body) < 11 {
			return corrupt("colr nclx truncated")
		}
		if *dst != nil {
			return unsupported("two colr nclx properties")
		}
		r := reader{b: body[4:], typ: "colr"}
		*dst = &nclx{
			primaries: int(r.uint(2)), transfer: int(r.uint(2)), matrix: int(r.uint(2)),
			fullRange: r.uint(1)&0x80 != 0,
		}
	case "prof", "rICC":
		l.icc = true
	}
	return nil
}

// item reads one hvc1 item: its hvcC, ispe, colr and coded bytes.
func (l *nativeLayout) item(b, idat []byte, id uint32, locs map[uint32]ilocEntry, props [][]byte, idx []uint16) (hvcItem, error) {
	var it hvcItem
	var hvcC []byte
	for _, i := range idx {
		p, err := prop(props, i)
		if err != nil {
			return hvcItem{}, err
		}
		if p == nil {
			continue
		}
		switch string(p[4:8]) {
		case "hvcC":
			if hvcC != nil {
				return hvcItem{}, corrupt("item %d has two hvcC", id)
			}
			hvcC = propBody(p)
		case "ispe":
			w, h, err := parseIspe(p)
			if err != nil {
				return hvcItem{}, err
			}
			it.w, it.h = int(w), int(h)
		case "colr":
			if err := l.colr(propBody(p), &it.nclx); err != nil {
				return hvcItem{}, err
			}
		case "irot", "imir", "clap":
			if l.grid {
				return hvcItem{}, unsupported("grid tile %d has a transform", id)
			}
		}
	}
	if hvcC == nil {
		return hvcItem{}, corrupt("item %d has no hvcC", id)
	}
	if it.w == 0 {
		return hvcItem{}, corrupt("item %d has no ispe", id)
	}
	if err := parseHvcC(hvcC, &it); err != nil {
		return hvcItem{}, err
	}
	data, err := itemData(b, idat, locs, id)
	if err != nil {
		return hvcItem{}, err
	}
	it.data = data
	return it, nil
}

// parseHvcC reads an HEVCDecoderConfigurationRecord (ISO/IEC 14496-15
// 8.3.3.1): the chroma format, bit depths, NAL length size and the
// parameter-set NAL units (VPS, SPS, PPS; other arrays such as SEI are
// skipped). The NAL units are sub-slices of c.
func parseHvcC(c []byte, it *hvcItem) error {
	if len(c) < 23 {
		return corrupt("hvcC of %d bytes", len(c))
	}
	if c[0] != 1 {
		return unsupported("hvcC version %d", c[0])
	}
	it.chroma = int(c[16] & 3)
	bdl, bdc := int(c[17]&7)+8, int(c[18]&7)+8
	switch ls := int(c[21]&3) + 1; ls {
	case 1, 2, 4:
		it.lengthSize = ls
	default:
		return corrupt("hvcC NAL length size %d", ls)
	}
	if it.chroma > 1 {
		return unsupported("chroma format %d (4:2:2 or 4:4:4)", it.chroma)
	}
	if bdl != 8 || (it.chroma != 0 && bdc != 8) {
		return unsupported("bit depth %d/%d", bdl, bdc)
	}
	n := int(c[22])
	rest := c[23:]
	for range n {
		if len(rest) < 3 {
			return corrupt("hvcC arrays truncated")
		}
		count := int(rest[1])<<8 | int(rest[2])
		rest = rest[3:]
		for range count {
			if len(rest) < 2 {
				return corrupt("hvcC NAL unit truncated")
			}
			size := int(rest[0])<<8 | int(rest[1])
			if size > len(rest)-2 {
				return corrupt("hvcC NAL unit of %d bytes, %d left", size, len(rest)-2)
			}
			nal := rest[2 : 2+size : 2+size]
			rest = rest[2+size:]
			if size < 2 {
				return corrupt("hvcC NAL unit of %d bytes", size)
			}
			// The NAL unit's own header decides (the array's type
			// should agree).
			if typ := nal[0] >> 1 & 0x3f; typ < 32 || typ > 34 {
				continue // SEI and others: not needed to decode
			}
			if len(it.params) == maxParamSets {
				return unsupported("more than %d parameter sets", maxParamSets)
			}
			it.params = append(it.params, nal)
		}
	}
	if len(it.params) == 0 {
		return corrupt("hvcC without parameter sets")
	}
	return nil
}

// checkAuxType refuses an alpha plane (the other decoder applies it) and
// auxiliary images of unknown type; depth maps, HDR gain maps and Apple's
// mattes do not change the primary image.
func checkAuxType(props [][]byte, idx []uint16, id uint32) error {
	for _, i := range idx {
		p, err := prop(props, i)
		if err != nil {
			return err
		}
		if p == nil || string(p[4:8]) != "auxC" {
			continue
		}
		_, _, body, err := fullBox("auxC", propBody(p))
		if err != nil {
			return err
		}
		typ := string(body)
		if k := strings.IndexByte(typ, 0); k >= 0 {
			typ = typ[:k]
		}
		if typ == "urn:mpeg:hevc:2015:auxid:1" || strings.Contains(typ, "alpha") {
			return unsupported("alpha plane (auxiliary item %d)", id)
		}
		return nil
	}
	return unsupported("auxiliary item %d without auxC type", id)
}

// finish checks the layout against the decoder's needs.
func (l *nativeLayout) finish() error {
	if l.grid {
		if l.tileW%2 != 0 || l.tileH%2 != 0 {
			return unsupported("odd tile size %dx%d", l.tileW, l.tileH)
		}
		if l.cols*l.tileW < l.outW || l.rows*l.tileH < l.outH {
			return corrupt("%dx%d tiles of %dx%d do not cover %dx%d", l.cols, l.rows, l.tileW, l.tileH, l.outW, l.outH)
		}
		if (l.cols-1)*l.tileW >= l.outW || (l.rows-1)*l.tileH >= l.outH {
			return unsupported("%dx%d tiles of %dx%d overhang %dx%d by a whole tile", l.cols, l.rows, l.tileW, l.tileH, l.outW, l.outH)
		}
	}
	return nil
}
