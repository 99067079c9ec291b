package heif

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// errNoTilePath marks a grid the tile-wise decoder does not handle (the
// whole-file decode is used instead); it never reaches callers.
var errNoTilePath = errors.New("heif: grid not decodable tile by tile")

func noTiles(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errNoTilePath}, a...)...)
}

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

// parseLayout reads everything the tile path needs from a grid file, or
// returns an error wrapping errNoTilePath (or ErrCorrupt/ErrUnsupported)
// when the file must take the whole-file path. Work and allocation are
// bounded by the size of the meta box.
func parseLayout(b []byte) (*gridLayout, error) {
	m, primary, items, err := openItems(b)
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
	if len(tileIDs) == 0 || len(tileIDs) > maxTiles {
		return nil, noTiles("%d tiles", len(tileIDs))
	}
	var desc func([]byte) error
	if !g.single {
		desc = func(d []byte) error { return g.descriptor(d, len(tileIDs)) }
	}
	s, err := readItems(b, &m, primary, tileIDs, 12, desc)
	if err != nil {
		return nil, err
	}
	// An auxiliary image (alpha, depth) attached to the grid or a tile:
	// the decoder may use it.
	if len(s.aux) > 0 {
		return nil, noTiles("auxiliary image attached")
	}
	if err := g.primaryProps(s.props, s.assoc[primary]); err != nil {
		return nil, err
	}
	g.tiles = make([]tileItem, len(tileIDs))
	for i, id := range tileIDs {
		t, err := g.tile(b, id, s.locs, s.props, s.assoc[id])
		if err != nil {
			return nil, err
		}
		g.tiles[i] = t
	}
	return g, nil
}

// descriptor reads the grid item's payload (ISO/IEC 23008-12 6.6.2.3.2).
func (g *gridLayout) descriptor(d []byte, tiles int) error {
	desc, err := parseGridDesc(d)
	if err != nil {
		return err
	}
	g.outW, g.outH = desc.w, desc.h
	if desc.version != 0 {
		return noTiles("grid version %d", desc.version)
	}
	if desc.rows*desc.cols != tiles {
		return noTiles("grid of %dx%d with %d tiles", desc.cols, desc.rows, tiles)
	}
	g.rows, g.cols = desc.rows, desc.cols
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
