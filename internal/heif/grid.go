package heif

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// errNoTilePath marks a grid the tile-wise decoder does not handle (the
// whole-file decode is used instead); it never reaches callers.
var errNoTilePath = errors.New("heif: grid not decodable tile by tile")

func noTiles(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errNoTilePath}, a...)...)
}

// maxGridTiles bounds the tiles the tile path accepts (a 200 MP grid of
// 512-px tiles has 763).
const maxGridTiles = 4096

// maxExtents bounds the iloc extents read, in all (an iPhone file has one
// per item).
const maxExtents = 1 << 16

// gridLayout is what the tile-wise decoder needs from a grid file.
type gridLayout struct {
	rows, cols   int
	outW, outH   int // the grid's output size (before the transforms)
	tileW, tileH int
	tiles        []tileItem // raster order
	// transforms: the primary item's irot and imir properties, in order.
	transforms [][]byte
	// single: the primary item is one hvc1 image, read as a 1x1 grid.
	single bool
	// nclx: the grid item's colr nclx property, or nil. The decoder
	// converts every tile of a grid with the grid's colr nclx (its matrix
	// and range) and ignores the tiles' own colr, so each tile file gets
	// the grid's instead of its own (checked by grid-nclx.heic).
	nclx []byte
}

// tileItem is one coded tile: where its bytes are and the properties its
// standalone file needs.
type tileItem struct {
	extents [][2]uint64 // file offset, length
	props   [][]byte    // whole ipco boxes, in association order
	ess     []bool      // essential flags of props
}

// ilocEntry is one iloc item (construction methods 0 and 1 only).
type ilocEntry struct {
	method  int
	extents [][2]uint64 // offset (base included), length
}

// parseLayout reads everything the tile path needs from a grid file, or
// returns an error wrapping errNoTilePath (or ErrCorrupt/ErrUnsupported)
// when the file must take the whole-file path. Work and allocation are
// bounded by the size of the meta box.
func parseLayout(b []byte) (*gridLayout, error) {
	meta, err := findMeta(b)
	if err != nil {
		return nil, err
	}
	m, err := splitMeta(meta)
	if err != nil {
		return nil, err
	}
	primary, err := m.primary()
	if err != nil {
		return nil, err
	}
	items, err := parseIinf(m.iinfV, m.iinf)
	if err != nil {
		return nil, err
	}
	g := &gridLayout{}
	var tileIDs []uint32
	switch typeOf(items, primary) {
	case "grid":
		if tileIDs, _, err = parseIref(m.irefV, m.iref, primary, items); err != nil {
			return nil, err
		}
	case "hvc1":
		// A single image is read as a 1x1 grid of itself (tests use it to
		// check the transforms against the decoder's).
		g.single = true
		tileIDs = []uint32{primary}
		g.rows, g.cols = 1, 1
	default:
		return nil, noTiles("primary item is not a grid")
	}
	if len(tileIDs) == 0 || len(tileIDs) > maxGridTiles {
		return nil, noTiles("%d tiles", len(tileIDs))
	}
	locs, err := parseIloc(m.iloc)
	if err != nil {
		return nil, err
	}
	if !g.single {
		desc, err := itemBytes(b, m.idat, locs, primary, 12)
		if err != nil {
			return nil, err
		}
		if err := g.descriptor(desc, len(tileIDs)); err != nil {
			return nil, err
		}
	}
	props, err := splitProps(m.ipco)
	if err != nil {
		return nil, err
	}
	sorted := slices.Clone(tileIDs)
	slices.Sort(sorted)
	assoc := map[uint32][]uint16{}
	err = m.forEachAssoc(func(id uint32, idx []uint16) error {
		if _, tile := slices.BinarySearch(sorted, id); id != primary && !tile {
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
	if err := checkAux(m.irefV, m.iref, primary, sorted); err != nil {
		return nil, err
	}
	if err := g.primaryProps(props, assoc[primary]); err != nil {
		return nil, err
	}
	g.tiles = make([]tileItem, len(tileIDs))
	for i, id := range tileIDs {
		t, err := g.tile(b, id, locs, props, assoc[id])
		if err != nil {
			return nil, err
		}
		g.tiles[i] = t
	}
	return g, nil
}

// descriptor reads the grid item's payload (ISO/IEC 23008-12 6.6.2.3.2).
func (g *gridLayout) descriptor(d []byte, tiles int) error {
	r := reader{b: d, typ: "grid"}
	version, flags := r.uint(1), r.uint(1)
	rows, cols := int(r.uint(1))+1, int(r.uint(1))+1
	n := 2
	if flags&1 != 0 {
		n = 4
	}
	g.outW, g.outH = int(r.uint(n)), int(r.uint(n))
	if r.err != nil {
		return r.err
	}
	if version != 0 {
		return noTiles("grid version %d", version)
	}
	if rows*cols != tiles {
		return noTiles("grid of %dx%d with %d tiles", cols, rows, tiles)
	}
	g.rows, g.cols = rows, cols
	return nil
}

// primaryProps checks the grid item's size and keeps its irot/imir.
func (g *gridLayout) primaryProps(props [][]byte, idx []uint16) error {
	var nclx []byte
	for _, i := range idx {
		p, err := prop(props, i)
		if err != nil {
			return err
		}
		if p == nil { // index 0: no property
			continue
		}
		switch string(p[4:8]) {
		case "ispe":
			w, h, err := parseIspe(p)
			if err != nil {
				return err
			}
			if g.single {
				g.outW, g.outH = int(w), int(h)
			}
			if int(w) != g.outW || int(h) != g.outH {
				return noTiles("grid ispe %dx%d, output %dx%d", w, h, g.outW, g.outH)
			}
		case "irot", "imir":
			g.transforms = append(g.transforms, p)
		case "clap":
			return noTiles("clap on the grid")
		case "colr":
			if b := propBody(p); len(b) >= 4 && string(b[:4]) == "nclx" {
				nclx = p
			}
		}
	}
	if !g.single {
		g.nclx = nclx
	}
	return nil
}

// tile collects one tile's data extents and properties.
func (g *gridLayout) tile(b []byte, id uint32, locs map[uint32]ilocEntry, props [][]byte, idx []uint16) (tileItem, error) {
	loc, ok := locs[id]
	if !ok {
		return tileItem{}, corrupt("tile %d has no location", id)
	}
	if loc.method != 0 {
		return tileItem{}, noTiles("tile %d stored with construction method %d", id, loc.method)
	}
	var t tileItem
	var total uint64
	for _, e := range loc.extents {
		if e[1] == 0 || e[0] > uint64(len(b)) || e[1] > uint64(len(b))-e[0] {
			return tileItem{}, corrupt("tile %d: extent %d+%d outside the %d-byte file", id, e[0], e[1], len(b))
		}
		total += e[1]
	}
	if total == 0 || total > uint64(len(b)) {
		return tileItem{}, corrupt("tile %d has %d bytes of data in a %d-byte file", id, total, len(b))
	}
	t.extents = loc.extents
	var hvcC, ispe bool
	for _, i := range idx {
		p, err := prop(props, i)
		if err != nil {
			return tileItem{}, err
		}
		if p == nil {
			continue
		}
		switch string(p[4:8]) {
		case "irot", "imir", "clap":
			if g.single {
				continue // in g.transforms
			}
			return tileItem{}, noTiles("tile %d has a transform", id)
		case "colr":
			if !g.single {
				continue // the grid's colr applies, see gridLayout.nclx
			}
		case "hvcC":
			hvcC = true
		case "ispe":
			w, h, err := parseIspe(p)
			if err != nil {
				return tileItem{}, err
			}
			if g.tileW == 0 {
				g.tileW, g.tileH = int(w), int(h)
			} else if int(w) != g.tileW || int(h) != g.tileH {
				return tileItem{}, noTiles("tiles of %dx%d and %dx%d", g.tileW, g.tileH, w, h)
			}
			ispe = true
		}
		t.props = append(t.props, p)
		t.ess = append(t.ess, i&0x8000 != 0)
	}
	if !hvcC || !ispe {
		return tileItem{}, noTiles("tile %d lacks hvcC or ispe", id)
	}
	if g.nclx != nil {
		t.props = append(t.props, g.nclx)
		t.ess = append(t.ess, false)
	}
	if g.cols*g.tileW < g.outW || g.rows*g.tileH < g.outH ||
		(g.cols-1)*g.tileW >= g.outW || (g.rows-1)*g.tileH >= g.outH {
		return tileItem{}, noTiles("%dx%d tiles of %dx%d do not cover %dx%d", g.cols, g.rows, g.tileW, g.tileH, g.outW, g.outH)
	}
	return t, nil
}

// checkAux refuses grids with an auxiliary image (alpha, depth) attached
// to the grid or a tile (sorted IDs): the decoder may use it.
func checkAux(version byte, body []byte, primary uint32, sorted []uint32) error {
	rest := body
	for len(rest) > 0 {
		typ, b, next, err := nextBox(rest)
		if err != nil {
			return err
		}
		rest = next
		if typ != "auxl" && typ != "prem" {
			continue
		}
		r := reader{b: b, typ: "iref/" + typ}
		r.id(version != 0)
		n := int(r.uint(2))
		for range n {
			to := r.id(version != 0)
			if _, tile := slices.BinarySearch(sorted, to); to == primary || tile {
				return noTiles("auxiliary image attached")
			}
		}
		if r.err != nil {
			return r.err
		}
	}
	return nil
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

// itemBytes returns the payload of a small item (at most max bytes), from
// the file or from idat.
func itemBytes(b, idat []byte, locs map[uint32]ilocEntry, id uint32, max int) ([]byte, error) {
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
		return nil, noTiles("item %d with construction method %d", id, loc.method)
	}
	var out []byte
	for _, e := range loc.extents {
		if e[1] == 0 {
			e[1] = uint64(len(src)) - min(e[0], uint64(len(src)))
		}
		if e[0] > uint64(len(src)) || e[1] > uint64(len(src))-e[0] || uint64(len(out))+e[1] > uint64(max) {
			return nil, corrupt("item %d: extent %d+%d outside its %d bytes (or over %d)", id, e[0], e[1], len(src), max)
		}
		out = append(out, src[e[0]:e[0]+e[1]]...)
	}
	return out, nil
}

// uint64 reads an n-byte field (n is 0, 4 or 8).
func (r *reader) uint64(n int) uint64 {
	if n <= 4 {
		return uint64(r.uint(n))
	}
	hi := uint64(r.uint(4))
	return hi<<32 | uint64(r.uint(4))
}

// tileFile builds a standalone HEIF holding only tile t as its primary hvc1
// item (ftyp, meta with hdlr/pitm/iinf/iprp/iloc, mdat), the tile's data
// copied into the mdat.
func tileFile(b []byte, t tileItem) ([]byte, error) {
	var size uint64
	for _, e := range t.extents {
		size += e[1]
	}
	var ipco, assoc []byte
	for k, p := range t.props {
		ipco = append(ipco, p...)
		v := byte(k + 1)
		if t.ess[k] {
			v |= 0x80
		}
		assoc = append(assoc, v)
	}
	if len(t.props) > 127 {
		return nil, noTiles("%d tile properties", len(t.props))
	}
	if size > 1<<31 {
		return nil, noTiles("tile of %d bytes", size)
	}
	ftyp := appendBox(nil, "ftyp", []byte("heic\x00\x00\x00\x00mif1heic"))
	hdlr := appendFull(nil, "hdlr", 0, []byte("\x00\x00\x00\x00pict\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	pitm := appendFull(nil, "pitm", 0, []byte{0, 1})
	infe := appendFull(nil, "infe", 2<<24, []byte("\x00\x01\x00\x00hvc1\x00"))
	iinf := appendFull(nil, "iinf", 0, append([]byte{0, 1}, infe...))
	ipma := appendFull(nil, "ipma", 0, append([]byte{0, 0, 0, 1, 0, 1, byte(len(assoc))}, assoc...))
	iprp := appendBox(nil, "iprp", append(appendBox(nil, "ipco", ipco), ipma...))
	iloc := func(off uint64) []byte {
		// Version 0: offset and length of 8 bytes, no base offset; item 1,
		// data reference 0, one extent.
		p := []byte{0x88, 0x00, 0, 1, 0, 1, 0, 0, 0, 1}
		p = binary.BigEndian.AppendUint64(p, off)
		p = binary.BigEndian.AppendUint64(p, size)
		return appendFull(nil, "iloc", 0, p)
	}
	metaBody := bytes.Join([][]byte{hdlr, pitm, iinf, iprp, iloc(0)}, nil)
	metaLen := 12 + len(metaBody)
	dataOff := uint64(len(ftyp) + metaLen + 8)
	metaBody = bytes.Join([][]byte{hdlr, pitm, iinf, iprp, iloc(dataOff)}, nil)
	out := make([]byte, 0, int(dataOff)+int(size))
	out = append(out, ftyp...)
	out = appendFull(out, "meta", 0, metaBody)
	out = binary.BigEndian.AppendUint32(out, uint32(8+size))
	out = append(out, "mdat"...)
	for _, e := range t.extents {
		out = append(out, b[e[0]:e[0]+e[1]]...)
	}
	return out, nil
}

func appendBox(dst []byte, typ string, payload []byte) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(8+len(payload)))
	return append(append(dst, typ...), payload...)
}

// appendFull appends a full box; vf is version<<24 | flags.
func appendFull(dst []byte, typ string, vf uint32, payload []byte) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(12+len(payload)))
	dst = append(dst, typ...)
	dst = binary.BigEndian.AppendUint32(dst, vf)
	return append(dst, payload...)
}
