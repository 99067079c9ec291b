//go:build ignore

// heic_transform rewrites heif-enc output into the HEIC variants the
// internal/heif tests need, because heif-enc (libheif 1.15) cannot write them:
//
//	go run heic_transform.go -in plain.heic -out rot90.heic -t r1
//	go run heic_transform.go -in plain.heic -out bomb.heic -ispe 60000x60000
//	go run heic_transform.go -grid 2x2 -size 96x128 -out grid.heic -t r1 t0.heic t1.heic t2.heic t3.heic
//
// -t is a comma-separated list of transforms added to the primary item in
// that order: rN adds irot with angle N*90 degrees anti-clockwise, mA adds
// imir with axis A (as libheif reads it: 0 exchanges top and bottom, 1 left
// and right). -ispe overwrites the primary item's ispe. -grid builds an
// iPhone-style `grid` item from single-image heif-enc outputs given in
// raster order (a tile whose hvcC differs gets its own property), the layout
// make_grid_heic.py writes.
package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"
)

type bx struct {
	typ        string
	start, end int // whole box
	body       int // after the header (and after version/flags for full boxes we know)
}

var fullBoxes = map[string]bool{"meta": true, "iinf": true, "iloc": true, "ipma": true, "pitm": true, "hdlr": true, "iref": true, "infe": true, "ispe": true}

func children(b []byte, off, end int) []bx {
	var out []bx
	for off+8 <= end {
		size := int(binary.BigEndian.Uint32(b[off:]))
		typ := string(b[off+4 : off+8])
		hdr := 8
		if size == 1 {
			size = int(binary.BigEndian.Uint64(b[off+8:]))
			hdr = 16
		} else if size == 0 {
			size = end - off
		}
		body := off + hdr
		if fullBoxes[typ] {
			body += 4
		}
		out = append(out, bx{typ, off, off + size, body})
		off += size
	}
	return out
}

func find(list []bx, typ string) bx {
	for _, x := range list {
		if x.typ == typ {
			return x
		}
	}
	log.Fatalf("no %s box", typ)
	return bx{}
}

func box(typ string, payload ...[]byte) []byte {
	p := bytes.Join(payload, nil)
	out := binary.BigEndian.AppendUint32(nil, uint32(8+len(p)))
	return append(append(out, typ...), p...)
}

func fullbox(typ string, ver byte, flags uint32, payload ...[]byte) []byte {
	vf := binary.BigEndian.AppendUint32(nil, uint32(ver)<<24|flags)
	return box(typ, append([][]byte{vf}, payload...)...)
}

func u16(v int) []byte { return binary.BigEndian.AppendUint16(nil, uint16(v)) }
func u32(v int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(v)) }

// transforms parses -t into irot/imir property boxes (and, for tests of
// colour handling, cN / fN: a colr nclx with matrix N, limited / full range).
func transforms(spec string) [][]byte {
	var out [][]byte
	for _, t := range strings.Split(spec, ",") {
		if t == "" {
			continue
		}
		n, err := strconv.Atoi(t[1:])
		if err != nil {
			log.Fatalf("bad transform %q", t)
		}
		switch t[0] {
		case 'r':
			out = append(out, box("irot", []byte{byte(n & 3)}))
		case 'm':
			out = append(out, box("imir", []byte{byte(n & 1)}))
		case 'c':
			// colr nclx: BT.709 primaries and transfer, matrix n, limited range.
			out = append(out, box("colr", []byte("nclx"), u16(1), u16(1), u16(n), []byte{0}))
		case 'f':
			// colr nclx: BT.709 primaries and transfer, matrix n, full range.
			out = append(out, box("colr", []byte("nclx"), u16(1), u16(1), u16(n), []byte{0x80}))
		default:
			log.Fatalf("bad transform %q", t)
		}
	}
	return out
}

type ilocEntry struct {
	id, cm   int
	extents  [][2]int // offset, length (absolute for cm 0 after base added)
	baseOffs int
}

func parseIloc(b []byte, x bx) (ver byte, entries []ilocEntry) {
	ver = b[x.body-4]
	p := x.body
	osz, lsz := int(b[p]>>4), int(b[p]&15)
	bsz, isz := int(b[p+1]>>4), 0
	if ver >= 1 {
		isz = int(b[p+1] & 15)
	}
	p += 2
	rd := func(k int) int {
		v := 0
		for i := 0; i < k; i++ {
			v = v<<8 | int(b[p+i])
		}
		p += k
		return v
	}
	var n int
	if ver < 2 {
		n = rd(2)
	} else {
		n = rd(4)
	}
	for i := 0; i < n; i++ {
		var e ilocEntry
		if ver < 2 {
			e.id = rd(2)
		} else {
			e.id = rd(4)
		}
		if ver >= 1 {
			e.cm = rd(2) & 15
		}
		rd(2) // data_reference_index
		e.baseOffs = rd(bsz)
		ne := rd(2)
		for j := 0; j < ne; j++ {
			rd(isz)
			off := rd(osz)
			ln := rd(lsz)
			e.extents = append(e.extents, [2]int{e.baseOffs + off, ln})
		}
		entries = append(entries, e)
	}
	return ver, entries
}

// ilocBox writes an iloc version 1 with 4-byte offsets and lengths.
func ilocBox(entries []ilocEntry) []byte {
	p := []byte{0x44, 0x00}
	p = append(p, u16(len(entries))...)
	for _, e := range entries {
		p = append(p, u16(e.id)...)
		p = append(p, u16(e.cm)...)
		p = append(p, u16(0)...)
		p = append(p, u16(len(e.extents))...)
		for _, x := range e.extents {
			p = append(p, u32(x[0])...)
			p = append(p, u32(x[1])...)
		}
	}
	return fullbox("iloc", 1, 0, p)
}

// itemData returns the concatenated extents of item id (construction method 0).
func itemData(b []byte, entries []ilocEntry, id int) []byte {
	for _, e := range entries {
		if e.id == id && e.cm == 0 {
			var d []byte
			for _, x := range e.extents {
				d = append(d, b[x[0]:x[0]+x[1]]...)
			}
			return d
		}
	}
	log.Fatalf("no data for item %d", id)
	return nil
}

type parsed struct {
	b    []byte
	meta []bx
	pitm int
	iloc []ilocEntry
	ipco []bx
	hvcC []byte
}

func parse(path string) parsed {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	top := children(b, 0, len(b))
	m := find(top, "meta")
	ps := parsed{b: b, meta: children(b, m.body, m.end)}
	pit := find(ps.meta, "pitm")
	ps.pitm = int(binary.BigEndian.Uint16(b[pit.body:]))
	_, ps.iloc = parseIloc(b, find(ps.meta, "iloc"))
	iprp := find(ps.meta, "iprp")
	ipco := find(children(b, iprp.body, iprp.end), "ipco")
	ps.ipco = children(b, ipco.body, ipco.end)
	ps.hvcC = b[find(ps.ipco, "hvcC").start:find(ps.ipco, "hvcC").end]
	return ps
}

// assemble writes ftyp + meta(hdlr pitm iinf [iref] iprp [idat] iloc) + mdat,
// with mdat holding datas in order and iloc pointing into it.
func assemble(pitm int, infes [][]byte, iref []byte, props [][]byte, ipma []byte, idat []byte, items []ilocEntry, datas [][]byte) []byte {
	ftyp := box("ftyp", []byte("heic"), u32(0), []byte("mif1heicmiaf"))
	hdlr := fullbox("hdlr", 0, 0, u32(0), []byte("pict"), make([]byte, 12), []byte{0})
	iinf := fullbox("iinf", 0, 0, append(u16(len(infes)), bytes.Join(infes, nil)...))
	iprp := box("iprp", box("ipco", props...), ipma)
	var idatBox []byte
	if idat != nil {
		idatBox = box("idat", idat)
	}
	build := func(start int) []byte {
		off := start
		var entries []ilocEntry
		di := 0
		for _, it := range items {
			if it.cm == 0 {
				it.extents = [][2]int{{off, len(datas[di])}}
				off += len(datas[di])
				di++
			}
			entries = append(entries, it)
		}
		return fullbox("meta", 0, 0, hdlr, fullbox("pitm", 0, 0, u16(pitm)), iinf, iref, iprp, idatBox, ilocBox(entries))
	}
	meta := build(0)
	meta = build(len(ftyp) + len(meta) + 8)
	return bytes.Join([][]byte{ftyp, meta, box("mdat", bytes.Join(datas, nil))}, nil)
}

func ipmaBox(assoc map[int][]int, order []int) []byte {
	p := u32(len(order))
	for _, id := range order {
		p = append(p, u16(id)...)
		p = append(p, byte(len(assoc[id])))
		for _, a := range assoc[id] {
			p = append(p, byte(a))
		}
	}
	return fullbox("ipma", 0, 0, p)
}

func infe(id int, typ string, hidden bool) []byte {
	flags := uint32(0)
	if hidden {
		flags = 1
	}
	return fullbox("infe", 2, flags, u16(id), u16(0), []byte(typ), []byte{0})
}

func ispe(w, h int) []byte { return fullbox("ispe", 0, 0, u32(w), u32(h)) }

// single rebuilds a one-image heif-enc output with extra transforms (and an
// optional ispe override), keeping every item (EXIF included).
func single(in string, ts [][]byte, ispeW, ispeH int) []byte {
	ps := parse(in)
	props := [][]byte{}
	ispeIdx := 0
	for i, p := range ps.ipco {
		if p.typ == "ispe" {
			ispeIdx = i + 1
		}
		props = append(props, ps.b[p.start:p.end])
	}
	if ispeW > 0 {
		props[ispeIdx-1] = ispe(ispeW, ispeH)
	}
	// Original ipma associations.
	iprp := find(ps.meta, "iprp")
	ipmaX := find(children(ps.b, iprp.body, iprp.end), "ipma")
	b := ps.b
	p := ipmaX.body
	n := int(binary.BigEndian.Uint32(b[p:]))
	p += 4
	assoc := map[int][]int{}
	var order []int
	for i := 0; i < n; i++ {
		id := int(binary.BigEndian.Uint16(b[p:]))
		k := int(b[p+2])
		p += 3
		for j := 0; j < k; j++ {
			assoc[id] = append(assoc[id], int(b[p]))
			p++
		}
		order = append(order, id)
	}
	for _, t := range ts {
		props = append(props, t)
		assoc[ps.pitm] = append(assoc[ps.pitm], len(props))
	}
	var infes [][]byte
	iinf := find(ps.meta, "iinf")
	for _, e := range children(b, iinf.body+2, iinf.end) {
		infes = append(infes, b[e.start:e.end])
	}
	var items []ilocEntry
	var datas [][]byte
	for _, e := range ps.iloc {
		if e.cm != 0 {
			items = append(items, e) // idat: offsets are relative to idat, kept as is
			continue
		}
		items = append(items, ilocEntry{id: e.id})
		datas = append(datas, itemData(b, ps.iloc, e.id))
	}
	var iref, idat []byte
	for _, x := range ps.meta {
		switch x.typ {
		case "iref":
			iref = b[x.start:x.end]
		case "idat":
			idat = b[x.body:x.end]
		}
	}
	return assemble(ps.pitm, infes, iref, props, ipmaBox(assoc, order), idat, items, datas)
}

// grid builds a grid item of cols x rows tiles (raster order), w x h output.
// Tiles whose hvcC differs (x265 may pick other parameters for flat tiles)
// each get their own hvcC property.
func grid(tiles []string, cols, rows, w, h int, ts, tileProps [][]byte) []byte {
	var props [][]byte
	var hvcIdx []int
	var datas [][]byte
	tw, th := 0, 0
	for _, t := range tiles {
		ps := parse(t)
		idx := 0
		for i, p := range props {
			if bytes.Equal(p, ps.hvcC) {
				idx = i + 1
			}
		}
		if idx == 0 {
			props = append(props, ps.hvcC)
			idx = len(props)
		}
		hvcIdx = append(hvcIdx, idx)
		is := find(ps.ipco, "ispe")
		tw = int(binary.BigEndian.Uint32(ps.b[is.body:]))
		th = int(binary.BigEndian.Uint32(ps.b[is.body+4:]))
		datas = append(datas, itemData(ps.b, ps.iloc, ps.pitm))
	}
	props = append(props, ispe(tw, th), ispe(w, h))
	ispeT, ispeG := len(props)-1, len(props)
	var extra []int // tileProps, associated with every tile
	for _, p := range tileProps {
		props = append(props, p)
		extra = append(extra, len(props))
	}
	n := len(tiles)
	gid := n + 1
	assoc := map[int][]int{}
	var order []int
	var infes [][]byte
	var items []ilocEntry
	refs := append(u16(gid), u16(n)...)
	for i := 1; i <= n; i++ {
		assoc[i] = append([]int{0x80 | hvcIdx[i-1], ispeT}, extra...)
		order = append(order, i)
		infes = append(infes, infe(i, "hvc1", true))
		items = append(items, ilocEntry{id: i})
		refs = append(refs, u16(i)...)
	}
	assoc[gid] = []int{ispeG}
	for _, t := range ts {
		props = append(props, t)
		assoc[gid] = append(assoc[gid], len(props))
	}
	order = append(order, gid)
	infes = append(infes, infe(gid, "grid", false))
	desc := []byte{0, 0, byte(rows - 1), byte(cols - 1)}
	desc = append(append(desc, u16(w)...), u16(h)...)
	items = append(items, ilocEntry{id: gid, cm: 1, extents: [][2]int{{0, len(desc)}}})
	iref := fullbox("iref", 0, 0, box("dimg", refs))
	return assemble(gid, infes, iref, props, ipmaBox(assoc, order), desc, items, datas)
}

func main() {
	in := flag.String("in", "", "heif-enc output to rewrite")
	out := flag.String("out", "", "output file")
	t := flag.String("t", "", "transforms: comma-separated rN (irot N*90 CCW), mA (imir axis A), cN/fN (colr nclx, matrix N, limited/full range), in order")
	is := flag.String("ispe", "", "override the primary ispe, WxH")
	g := flag.String("grid", "", "build a grid: COLSxROWS, tiles as arguments")
	size := flag.String("size", "", "grid output size WxH")
	tt := flag.String("tt", "", "grid: properties added to every tile (syntax of -t)")
	flag.Parse()
	wh := func(s string) (int, int) {
		var a, b int
		if _, err := fmt.Sscanf(s, "%dx%d", &a, &b); err != nil {
			log.Fatalf("bad size %q", s)
		}
		return a, b
	}
	var res []byte
	switch {
	case *g != "":
		c, r := wh(*g)
		w, h := wh(*size)
		if flag.NArg() != c*r {
			log.Fatalf("need %d tiles", c*r)
		}
		res = grid(flag.Args(), c, r, w, h, transforms(*t), transforms(*tt))
	case *in != "":
		w, h := 0, 0
		if *is != "" {
			w, h = wh(*is)
		}
		res = single(*in, transforms(*t), w, h)
	default:
		log.Fatal("need -in or -grid")
	}
	if err := os.WriteFile(*out, res, 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d bytes\n", *out, len(res))
}
