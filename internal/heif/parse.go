package heif

import (
	"encoding/binary"
	"fmt"
	"slices"
)

// Limits of the header parser. They bound the work and memory of [Parse] on
// hostile input; real phone files are far below them (an iPhone 48 MP grid
// has a meta box of a few KB).
const (
	// MaxMetaSize is the largest meta box Parse accepts, in bytes.
	MaxMetaSize = 1 << 20
	// maxTopBoxes bounds the top-level boxes scanned.
	maxTopBoxes = 1024
	// maxProperties bounds the ipco properties kept.
	maxProperties = 4096
	// maxTransforms bounds the transformative properties of the primary item.
	maxTransforms = 4
)

// Info is what Parse reads from a HEIF header about the primary image.
type Info struct {
	// Width and Height are the stored size (the primary item's ispe),
	// before any transform.
	Width, Height int
	// Rotation is the irot angle in degrees anti-clockwise: 0, 90, 180 or 270.
	Rotation int
	// Mirror is the imir axis: -1 for none, 0 or 1 as stored. libheif,
	// Apple and the HEIF 2nd edition read 0 as "top and bottom exchanged"
	// and 1 as "left and right exchanged" (the 1st edition's wording, a
	// vertical/horizontal axis, is commonly read the other way round); the
	// decoder used here follows libheif.
	Mirror int
	// MirrorFirst reports that imir precedes irot in the item's property
	// order (transforms apply in that order). Meaningful only when both
	// are present.
	MirrorFirst bool
	// Grid reports a derived `grid` primary item (iPhone tiling).
	Grid bool
	// Tiles is the number of tiles of a grid, 0 otherwise.
	Tiles int
	// Exif reports an Exif item describing the primary item. Its
	// orientation tag must not be applied on top of irot/imir.
	Exif bool

	// dispW, dispH: the size after all transforms (clap, irot) in order.
	dispW, dispH int
	// tilePixels: the largest tile's pixel count (grids only).
	tilePixels int64
}

// Transformed reports whether the primary item carries any transform
// (irot, imir or clap), so the file cannot be treated as identity-oriented.
func (i Info) Transformed() bool {
	return i.Rotation != 0 || i.Mirror >= 0 || i.dispW != i.Width || i.dispH != i.Height
}

// Size returns the image size after the transforms, as Decode returns it.
func (i Info) Size() (width, height int) { return i.dispW, i.dispH }

// pixels returns the decode cost in pixels: the output, or for a grid the
// sum of its tiles when that is larger.
func (i Info) pixels() int64 {
	p := int64(i.Width) * int64(i.Height)
	if t := int64(i.Tiles) * i.tilePixels; t > p {
		p = t
	}
	return p
}

// corrupt and unsupported wrap the sentinels with a reason.
func corrupt(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, a...)...)
}

func unsupported(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrUnsupported}, a...)...)
}

var heifBrands = []string{"heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "mif2", "msf1", "miaf"}

// item is one infe entry.
type item struct {
	id  uint32
	typ string
}

// Parse reads the header of a HEIF file and describes its primary image.
// It does bounded work (one pass over the top-level box headers and the
// meta box, which may be at most [MaxMetaSize] bytes), never allocates in
// proportion to declared sizes or counts, and never panics. Errors wrap
// [ErrCorrupt] or [ErrUnsupported]. Safe for concurrent use.
func Parse(b []byte) (Info, error) {
	meta, err := findMeta(b)
	if err != nil {
		return Info{}, err
	}
	return parseMeta(meta)
}

func checkBrands(body []byte) error {
	if len(body) < 8 || (len(body)-8)%4 != 0 {
		return corrupt("ftyp of %d bytes", len(body))
	}
	var first string
	for off := 0; off+4 <= len(body); off += 4 {
		if off == 4 {
			continue // minor version
		}
		brand := string(body[off : off+4])
		if off == 0 {
			first = brand
		}
		if slices.Contains(heifBrands, brand) {
			return nil
		}
	}
	return unsupported("brand %q is not HEIF/HEIC", first)
}

// metaBoxes holds the meta children Parse needs.
type metaBoxes struct {
	pitm, iinf, iref []byte
	pitmV, iinfV     byte
	irefV            byte
	ipco             []byte
	ipma             [][2][]byte // {version/flags header, body}, usually one
	iloc, idat       []byte      // whole bodies (iloc with version/flags); read by the tile path only
}

// splitMeta finds the meta box's children.
func splitMeta(meta []byte) (metaBoxes, error) {
	_, _, rest, err := fullBox("meta", meta)
	if err != nil {
		return metaBoxes{}, err
	}
	var m metaBoxes
	for len(rest) > 0 {
		typ, body, r, err := nextBox(rest)
		if err != nil {
			return metaBoxes{}, err
		}
		rest = r
		switch typ {
		case "hdlr":
			_, _, hb, err := fullBox(typ, body)
			if err != nil {
				return metaBoxes{}, err
			}
			if len(hb) < 8 {
				return metaBoxes{}, corrupt("hdlr truncated")
			}
			if h := string(hb[4:8]); h != "pict" {
				return metaBoxes{}, unsupported("handler %q is not pict", h)
			}
		case "pitm":
			if m.pitmV, _, m.pitm, err = fullBox(typ, body); err != nil {
				return metaBoxes{}, err
			}
		case "iinf":
			if m.iinfV, _, m.iinf, err = fullBox(typ, body); err != nil {
				return metaBoxes{}, err
			}
		case "iref":
			if m.irefV, _, m.iref, err = fullBox(typ, body); err != nil {
				return metaBoxes{}, err
			}
		case "iprp":
			if err := m.iprp(body); err != nil {
				return metaBoxes{}, err
			}
		case "iloc":
			m.iloc = body
		case "idat":
			m.idat = body
		}
	}
	if m.pitm == nil {
		return metaBoxes{}, unsupported("no primary item (pitm)")
	}
	return m, nil
}

// primary returns the primary item's ID.
func (m *metaBoxes) primary() (uint32, error) {
	pr := reader{b: m.pitm, typ: "pitm"}
	id := pr.id(m.pitmV != 0)
	return id, pr.err
}

func parseMeta(meta []byte) (Info, error) {
	m, primary, items, err := openMeta(meta)
	if err != nil {
		return Info{}, err
	}
	info := Info{Mirror: -1}
	ptype := ""
	for _, it := range items {
		if it.id == primary {
			ptype = it.typ
		}
	}
	switch ptype {
	case "hvc1":
	case "grid":
		info.Grid = true
	case "":
		return Info{}, corrupt("primary item %d has no item info", primary)
	default:
		return Info{}, unsupported("primary item type %q (want hvc1 or grid)", ptype)
	}
	tiles, exif, err := parseIref(m.irefV, m.iref, primary, items)
	if err != nil {
		return Info{}, err
	}
	info.Exif = exif
	if info.Grid {
		if len(tiles) == 0 {
			return Info{}, corrupt("grid item %d has no tiles (dimg)", primary)
		}
		for _, t := range tiles {
			if typeOf(items, t) != "hvc1" {
				return Info{}, unsupported("grid tile %d of type %q (want hvc1)", t, typeOf(items, t))
			}
		}
		info.Tiles = len(tiles)
	}
	props, err := splitProps(m.ipco)
	if err != nil {
		return Info{}, err
	}
	if err := m.applyProps(&info, props, primary, tiles); err != nil {
		return Info{}, err
	}
	return info, nil
}

func typeOf(items []item, id uint32) string {
	for _, it := range items {
		if it.id == id {
			return it.typ
		}
	}
	return ""
}

func (m *metaBoxes) iprp(body []byte) error {
	for len(body) > 0 {
		typ, b, r, err := nextBox(body)
		if err != nil {
			return err
		}
		body = r
		switch typ {
		case "ipco":
			if m.ipco != nil {
				return corrupt("two ipco boxes")
			}
			m.ipco = b
		case "ipma":
			if len(b) < 4 {
				return corrupt("ipma truncated")
			}
			if len(m.ipma) == 16 {
				return unsupported("more than 16 ipma boxes")
			}
			m.ipma = append(m.ipma, [2][]byte{b[:4], b[4:]})
		}
	}
	return nil
}

// parseIinf lists the items with their types (infe versions 2 and 3; older
// entries carry no type and are skipped).
func parseIinf(version byte, body []byte) ([]item, error) {
	if body == nil {
		return nil, corrupt("no item info (iinf)")
	}
	r := reader{b: body, typ: "iinf"}
	r.id(version != 0) // entry count: the boxes that follow are what counts
	if r.err != nil {
		return nil, r.err
	}
	var items []item
	rest := r.b
	for len(rest) > 0 {
		typ, b, next, err := nextBox(rest)
		if err != nil {
			return nil, err
		}
		rest = next
		if typ != "infe" {
			continue
		}
		v, _, eb, err := fullBox(typ, b)
		if err != nil {
			return nil, err
		}
		if v < 2 {
			continue
		}
		er := reader{b: eb, typ: "infe"}
		id := er.id(v >= 3)
		er.uint(2) // item_protection_index
		t := er.b
		er.uint(4)
		if er.err != nil {
			return nil, er.err
		}
		items = append(items, item{id: id, typ: fourCC(t[:4])})
	}
	return items, nil
}

// parseIref returns the primary item's dimg references (grid tiles, in
// order) and whether an Exif item describes it (cdsc).
func parseIref(version byte, body []byte, primary uint32, items []item) (tiles []uint32, exif bool, err error) {
	rest := body
	for len(rest) > 0 {
		typ, b, next, err := nextBox(rest)
		if err != nil {
			return nil, false, err
		}
		rest = next
		r := reader{b: b, typ: "iref/" + typ}
		from := r.id(version != 0)
		n := int(r.uint(2))
		if r.err != nil {
			return nil, false, r.err
		}
		size := 2
		if version != 0 {
			size = 4
		}
		if n*size > len(r.b) {
			return nil, false, corrupt("iref %q of item %d: %d references, room for %d", typ, from, n, len(r.b)/size)
		}
		switch {
		case typ == "dimg" && from == primary:
			if tiles != nil {
				return nil, false, corrupt("two dimg references from item %d", primary)
			}
			tiles = make([]uint32, n) // bounded by the bytes present, checked above
			for i := range tiles {
				tiles[i] = r.id(version != 0)
			}
		case typ == "cdsc" && typeOf(items, from) == "Exif":
			for range n {
				if r.id(version != 0) == primary {
					exif = true
				}
			}
		}
	}
	return tiles, exif, nil
}

// splitProps returns the ipco properties (index 0 is property 1).
func splitProps(ipco []byte) ([][]byte, error) {
	if ipco == nil {
		return nil, corrupt("no item properties (ipco)")
	}
	var props [][]byte
	for len(ipco) > 0 {
		if len(props) == maxProperties {
			return nil, unsupported("more than %d item properties", maxProperties)
		}
		_, _, rest, err := nextBox(ipco)
		if err != nil {
			return nil, err
		}
		props = append(props, ipco[:len(ipco)-len(rest)])
		ipco = rest
	}
	return props, nil
}

// forEachAssoc calls fn with the property indexes (1-based) associated with
// each item, in order, across all ipma boxes. Bit 15 of an index is its
// essential flag ([prop] ignores it).
func (m *metaBoxes) forEachAssoc(fn func(id uint32, idx []uint16) error) error {
	var idx []uint16
	for _, x := range m.ipma {
		version, flags := x[0][0], x[0][3]
		r := reader{b: x[1], typ: "ipma"}
		n := r.uint(4)
		for range n {
			id := r.id(version >= 1)
			k := int(r.uint(1))
			idx = idx[:0]
			for range k {
				if flags&1 != 0 {
					idx = append(idx, uint16(r.uint(2)))
				} else {
					v := uint16(r.uint(1))
					idx = append(idx, v&0x7f|v&0x80<<8)
				}
			}
			if r.err != nil {
				return r.err
			}
			if err := fn(id, idx); err != nil {
				return err
			}
		}
	}
	return nil
}

// applyProps reads the primary item's ispe and transforms (in their order)
// and the largest tile ispe.
func (m *metaBoxes) applyProps(info *Info, props [][]byte, primary uint32, tiles []uint32) error {
	var sorted []uint32
	if len(tiles) > 0 {
		sorted = slices.Clone(tiles)
		slices.Sort(sorted)
	}
	seenPrimary := false
	err := m.forEachAssoc(func(id uint32, idx []uint16) error {
		if id == primary {
			if seenPrimary {
				return corrupt("item %d listed twice in ipma", id)
			}
			seenPrimary = true
			return applyPrimary(info, props, idx)
		}
		if _, ok := slices.BinarySearch(sorted, id); !ok {
			return nil
		}
		for _, i := range idx {
			p, err := prop(props, i)
			if err != nil {
				return err
			}
			if p == nil { // index 0: no property
				continue
			}
			if string(p[4:8]) == "ispe" {
				w, h, err := parseIspe(p)
				if err != nil {
					return err
				}
				info.tilePixels = max(info.tilePixels, int64(w)*int64(h))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if info.Width == 0 {
		return corrupt("primary item %d has no ispe", primary)
	}
	return nil
}

func prop(props [][]byte, i uint16) ([]byte, error) {
	i &= 0x7fff // the essential flag
	if i == 0 {
		return nil, nil
	}
	if int(i) > len(props) {
		return nil, corrupt("property index %d of %d", i, len(props))
	}
	return props[i-1], nil
}

// propBody returns the payload after the 8-byte header (no 64-bit sizes in
// ipco in practice; nextBox already checked the size).
func propBody(p []byte) []byte {
	if binary.BigEndian.Uint32(p) == 1 {
		return p[16:]
	}
	return p[8:]
}

func parseIspe(p []byte) (w, h uint32, err error) {
	r := reader{b: propBody(p), typ: "ispe"}
	r.uint(4) // version, flags
	w, h = r.uint(4), r.uint(4)
	if r.err != nil {
		return 0, 0, r.err
	}
	if w == 0 || h == 0 || w > 1<<30 || h > 1<<30 {
		return 0, 0, corrupt("ispe %dx%d", w, h)
	}
	return w, h, nil
}

func applyPrimary(info *Info, props [][]byte, idx []uint16) error {
	transforms := 0
	for _, i := range idx {
		p, err := prop(props, i)
		if err != nil {
			return err
		}
		if p == nil {
			continue
		}
		typ := string(p[4:8])
		if typ != "ispe" && typ != "irot" && typ != "imir" && typ != "clap" {
			continue
		}
		if typ != "ispe" {
			if info.Width == 0 {
				return corrupt("%s before ispe", typ)
			}
			if transforms++; transforms > maxTransforms {
				return unsupported("more than %d transforms", maxTransforms)
			}
		}
		body := propBody(p)
		switch typ {
		case "ispe":
			if info.Width != 0 {
				return corrupt("two ispe properties")
			}
			w, h, err := parseIspe(p)
			if err != nil {
				return err
			}
			info.Width, info.Height = int(w), int(h)
			info.dispW, info.dispH = info.Width, info.Height
		case "irot":
			if len(body) < 1 {
				return corrupt("irot truncated")
			}
			if info.Rotation != 0 {
				return unsupported("two irot properties")
			}
			info.Rotation = int(body[0]&3) * 90
			if info.Rotation%180 != 0 {
				info.dispW, info.dispH = info.dispH, info.dispW
			}
		case "imir":
			if len(body) < 1 {
				return corrupt("imir truncated")
			}
			if info.Mirror >= 0 {
				return unsupported("two imir properties")
			}
			info.Mirror = int(body[0] & 1)
			info.MirrorFirst = info.Rotation == 0
		case "clap":
			w, h, err := parseClap(body, info.dispW, info.dispH)
			if err != nil {
				return err
			}
			info.dispW, info.dispH = w, h
		}
	}
	return nil
}

// parseClap returns the clean-aperture size, rounded as libheif does.
func parseClap(body []byte, w, h int) (int, int, error) {
	r := reader{b: body, typ: "clap"}
	wn, wd, hn, hd := r.uint(4), r.uint(4), r.uint(4), r.uint(4)
	if r.err != nil {
		return 0, 0, r.err
	}
	if wd == 0 || hd == 0 {
		return 0, 0, corrupt("clap with zero denominator")
	}
	// The numerators are signed in the standard; negative means invalid.
	if int32(wn) <= 0 || int32(hn) <= 0 || int32(wd) < 0 || int32(hd) < 0 {
		return 0, 0, corrupt("clap %d/%d x %d/%d", int32(wn), int32(wd), int32(hn), int32(hd))
	}
	cw := int((uint64(wn) + uint64(wd)/2) / uint64(wd))
	ch := int((uint64(hn) + uint64(hd)/2) / uint64(hd))
	if cw == 0 || ch == 0 || cw > w || ch > h {
		return 0, 0, corrupt("clap %dx%d outside the %dx%d image", cw, ch, w, h)
	}
	return cw, ch, nil
}
