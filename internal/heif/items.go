package heif

import (
	"math"
	"slices"
)

// This file reads the item structure both pixel paths share (DecodeNative's
// parseNative and Decode's tile path, parseLayout; Parse uses openMeta):
// the meta box's children, the primary item and the item list, the grid
// descriptor, item locations and data, property associations and attached
// auxiliary images. Each path applies its own checks to the results.

// Limits of the item structure beyond Parse's.
const (
	// maxTiles bounds a grid's tiles (a 200 MP grid of 512-px tiles has
	// 763).
	maxTiles = 4096
	// maxExtents bounds the iloc extents read, in all (an iPhone file has
	// one per item).
	maxExtents = 1 << 16
)

// openItems finds the meta box of file b and reads it with openMeta.
func openItems(b []byte) (metaBoxes, uint32, []item, error) {
	meta, err := findMeta(b)
	if err != nil {
		return metaBoxes{}, 0, nil, err
	}
	return openMeta(meta)
}

// openMeta splits a meta box into its children and reads the primary
// item's ID and the item list.
func openMeta(meta []byte) (m metaBoxes, primary uint32, items []item, err error) {
	if m, err = splitMeta(meta); err != nil {
		return metaBoxes{}, 0, nil, err
	}
	if primary, err = m.primary(); err != nil {
		return metaBoxes{}, 0, nil, err
	}
	if items, err = parseIinf(m.iinfV, m.iinf); err != nil {
		return metaBoxes{}, 0, nil, err
	}
	return m, primary, items, nil
}

// gridDesc is a grid item's payload (ISO/IEC 23008-12 6.6.2.3.2).
type gridDesc struct {
	version    int
	rows, cols int
	w, h       int // output size
}

// parseGridDesc reads a grid item's payload; the callers check it.
func parseGridDesc(d []byte) (gridDesc, error) {
	r := reader{b: d, typ: "grid"}
	version, flags := r.uint(1), r.uint(1)
	g := gridDesc{version: int(version)}
	g.rows, g.cols = int(r.uint(1))+1, int(r.uint(1))+1
	n := 2
	if flags&1 != 0 {
		n = 4
	}
	g.w, g.h = int(r.uint(n)), int(r.uint(n))
	return g, r.err
}

// itemSet is what both paths read about the primary item and the items it
// is made of (its tiles, or itself for a single image).
type itemSet struct {
	locs  map[uint32]ilocEntry
	props [][]byte // ipco's boxes
	// assoc: the property indexes of the primary item, its tiles and the
	// auxiliary images attached to them.
	assoc map[uint32][]uint16
	aux   []uint32 // auxiliary images (auxl) of the primary item or a tile
}

// readItems reads the item locations, then for a grid (checkDesc not nil)
// its descriptor, at most descMax bytes, which checkDesc checks, then the
// properties, the auxiliary images attached to the primary item or a tile
// of ids, and the property associations of all of them, in this order.
func readItems(b []byte, m *metaBoxes, primary uint32, ids []uint32, descMax uint64, checkDesc func([]byte) error) (*itemSet, error) {
	locs, err := parseIloc(m.iloc)
	if err != nil {
		return nil, err
	}
	if checkDesc != nil {
		d, err := itemDataMax(b, m.idat, locs, primary, descMax)
		if err != nil {
			return nil, err
		}
		if err := checkDesc(d); err != nil {
			return nil, err
		}
	}
	s := &itemSet{locs: locs}
	if s.props, err = splitProps(m.ipco); err != nil {
		return nil, err
	}
	if s.aux, err = auxSources(m.irefV, m.iref, primary, ids); err != nil {
		return nil, err
	}
	want := append(slices.Clone(ids), primary)
	want = append(want, s.aux...)
	slices.Sort(want)
	if s.assoc, err = m.assocOf(want); err != nil {
		return nil, err
	}
	return s, nil
}

// assocOf returns the property indexes associated with the items of want
// (sorted IDs; duplicates allowed), refusing an item listed twice.
func (m *metaBoxes) assocOf(want []uint32) (map[uint32][]uint16, error) {
	assoc := map[uint32][]uint16{}
	err := m.forEachAssoc(func(id uint32, idx []uint16) error {
		if _, ok := slices.BinarySearch(want, id); !ok {
			return nil
		}
		if _, dup := assoc[id]; dup {
			return corrupt("item %d listed twice in ipma", id)
		}
		assoc[id] = slices.Clone(idx)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return assoc, nil
}

// ilocEntry is one iloc item (construction methods 0 and 1 only).
type ilocEntry struct {
	method  int
	extents [][2]uint64 // offset (base included), length
}

// parseIloc reads the item locations (ISO/IEC 14496-12 8.11.3, versions 0
// to 2). Items are bounded by the bytes present.
func parseIloc(body []byte) (map[uint32]ilocEntry, error) {
	if body == nil {
		return nil, corrupt("no item locations (iloc)")
	}
	version, _, rest, err := fullBox("iloc", body)
	if err != nil {
		return nil, err
	}
	if version > 2 {
		return nil, unsupported("iloc version %d", version)
	}
	r := reader{b: rest, typ: "iloc"}
	sizes := r.uint(2)
	offSize, lenSize, baseSize, idxSize := int(sizes>>12), int(sizes>>8&15), int(sizes>>4&15), int(sizes&15)
	if version == 0 {
		idxSize = 0
	}
	for _, s := range []int{offSize, lenSize, baseSize, idxSize} {
		if s != 0 && s != 4 && s != 8 {
			return nil, corrupt("iloc field size %d", s)
		}
	}
	var n uint32
	if version < 2 {
		n = r.uint(2)
	} else {
		n = r.uint(4)
	}
	locs := map[uint32]ilocEntry{}
	extents := 0
	for range n {
		id := r.id(version == 2)
		var e ilocEntry
		if version >= 1 {
			e.method = int(r.uint(2) & 15)
		}
		dref := r.uint(2)
		base := r.uint64(baseSize)
		ne := int(r.uint(2))
		if r.err != nil {
			return nil, r.err
		}
		if ne*(offSize+lenSize+idxSize) > len(r.b) {
			return nil, corrupt("iloc item %d: %d extents, bytes for fewer", id, ne)
		}
		if extents += ne; extents > maxExtents {
			return nil, unsupported("more than %d iloc extents", maxExtents)
		}
		for range ne {
			r.uint64(idxSize)
			off, l := r.uint64(offSize), r.uint64(lenSize)
			if off > 1<<62 || base > 1<<62 {
				return nil, corrupt("iloc offset out of range")
			}
			e.extents = append(e.extents, [2]uint64{base + off, l})
		}
		if r.err != nil {
			return nil, r.err
		}
		if dref != 0 {
			e.method = -1 // data in another file: never read
		}
		if _, dup := locs[id]; dup {
			return nil, corrupt("iloc lists item %d twice", id)
		}
		locs[id] = e
	}
	return locs, nil
}

// uint64 reads an n-byte field (n is 0, 4 or 8).
func (r *reader) uint64(n int) uint64 {
	if n <= 4 {
		return uint64(r.uint(n))
	}
	hi := uint64(r.uint(4))
	return hi<<32 | uint64(r.uint(4))
}

// itemData returns an item's bytes: a sub-slice of the file (construction
// method 0) or of idat (method 1) when the item has one extent, else a copy
// of its extents joined. An extent length of 0 means "to the end". The
// total is bounded by the source's size, whatever the extents claim.
func itemData(b, idat []byte, locs map[uint32]ilocEntry, id uint32) ([]byte, error) {
	return itemDataMax(b, idat, locs, id, math.MaxUint64)
}

// itemDataMax is itemData for an item of at most max bytes (checked before
// anything is copied).
func itemDataMax(b, idat []byte, locs map[uint32]ilocEntry, id uint32, max uint64) ([]byte, error) {
	loc, ok := locs[id]
	if !ok {
		return nil, corrupt("item %d has no location", id)
	}
	var src []byte
	switch loc.method {
	case 0:
		src = b
	case 1:
		src = idat
	default:
		return nil, unsupported("item %d stored with construction method %d or in another file", id, loc.method)
	}
	if len(loc.extents) == 0 {
		return nil, corrupt("item %d has no extents", id)
	}
	n := uint64(len(src))
	var total uint64
	for i, e := range loc.extents {
		if e[0] > n {
			return nil, corrupt("item %d: extent at %d outside its %d-byte source", id, e[0], n)
		}
		if e[1] == 0 {
			e[1] = n - e[0]
			loc.extents[i] = e
		}
		if e[1] > n-e[0] {
			return nil, corrupt("item %d: extent %d+%d outside its %d-byte source", id, e[0], e[1], n)
		}
		if total += e[1]; total > n {
			return nil, corrupt("item %d: extents total more than its %d-byte source", id, n)
		}
		if total > max {
			return nil, corrupt("item %d of more than %d bytes", id, max)
		}
	}
	if total == 0 {
		return nil, corrupt("item %d is empty", id)
	}
	if len(loc.extents) == 1 {
		e := loc.extents[0]
		return src[e[0] : e[0]+e[1] : e[0]+e[1]], nil
	}
	out := make([]byte, 0, total)
	for _, e := range loc.extents {
		out = append(out, src[e[0]:e[0]+e[1]]...)
	}
	return out, nil
}

// auxSources returns the items attached to the primary item or a tile as
// auxiliary images (auxl), and refuses premultiplied alpha (prem). Both
// decode paths read it: the native one checks the auxiliary images' types,
// the tile path declines any.
func auxSources(version byte, body []byte, primary uint32, tiles []uint32) ([]uint32, error) {
	var out []uint32
	sorted := slices.Sorted(slices.Values(tiles))
	rest := body
	for len(rest) > 0 {
		typ, b, next, err := nextBox(rest)
		if err != nil {
			return nil, err
		}
		rest = next
		if typ != "auxl" && typ != "prem" {
			continue
		}
		r := reader{b: b, typ: "iref/" + typ}
		from := r.id(version != 0)
		n := int(r.uint(2))
		size := 2
		if version != 0 {
			size = 4
		}
		if r.err != nil || n*size > len(r.b) {
			return nil, corrupt("iref %q of item %d: %d references, bytes for fewer", typ, from, n)
		}
		for range n {
			to := r.id(version != 0)
			if _, tile := slices.BinarySearch(sorted, to); to != primary && !tile {
				continue
			}
			if typ == "prem" {
				return nil, unsupported("premultiplied alpha")
			}
			if len(out) == 64 {
				return nil, unsupported("more than 64 auxiliary images")
			}
			out = append(out, from)
		}
	}
	return out, nil
}
