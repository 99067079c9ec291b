//go:build ignore

// mkheif wraps HEVC Annex B streams (from x265, or extracted from heif-enc
// output) into HEIF files with the layouts the native-decoder tests of
// internal/heif need and that heif-enc (libheif 1.15) cannot write: item
// data in idat (iloc construction method 1) or split into several extents,
// NAL length sizes of 1, 2 or 4 bytes, clap/irot/imir/colr properties in a
// chosen order, grids, and auxiliary (alpha, depth) images.
//
//	go run mkheif.go -o out.heic [-t PROPS] [-idat] [-extents N] [-lensize 1|2|4] in.hevc
//	go run mkheif.go -o out.heic -grid COLSxROWS -size WxH [-t PROPS] [-tt PROPS] t0.hevc t1.hevc ...
//	go run mkheif.go -o out.heic -aux urn:mpeg:hevc:2015:auxid:1 -auxin a.hevc in.hevc
//
// PROPS is a comma-separated list of properties added to the primary (-t)
// or every tile (-tt) item, in that order: rN irot N*90 degrees
// anti-clockwise; mA imir axis A; nclx:P:T:M:F colr nclx (primaries,
// transfer, matrix, full range 0/1); icc colr prof with a minimal ICC
// profile (a valid header, no tags); clap:W:H:HO:VO clean aperture W x H with the centre offset
// HO, VO (integers), clap:W:H:HO:VO:D the offsets HO/D, VO/D.
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

// splitAnnexB returns the NAL units of an Annex B stream.
func splitAnnexB(s []byte) [][]byte {
	var out [][]byte
	sc := []byte{0, 0, 1}
	i := bytes.Index(s, sc)
	for i >= 0 {
		start := i + 3
		n := bytes.Index(s[start:], sc)
		end := len(s)
		if n >= 0 {
			end = start + n
		}
		nal := bytes.TrimRight(s[start:end], "\x00")
		if len(nal) > 0 {
			out = append(out, nal)
		}
		if n < 0 {
			break
		}
		i = start + n
	}
	return out
}

type bits struct {
	b   []byte
	pos int
}

func (r *bits) u(n int) int {
	v := 0
	for range n {
		if r.pos >= len(r.b)*8 {
			log.Fatal("SPS truncated")
		}
		v = v<<1 | int(r.b[r.pos>>3]>>(7-r.pos&7)&1)
		r.pos++
	}
	return v
}

func (r *bits) ue() int {
	z := 0
	for r.u(1) == 0 {
		z++
	}
	return 1<<z - 1 + r.u(z)
}

func unescape(b []byte) []byte {
	var out []byte
	zeros := 0
	for _, c := range b {
		if zeros >= 2 && c == 3 {
			zeros = 0
			continue
		}
		if c == 0 {
			zeros++
		} else {
			zeros = 0
		}
		out = append(out, c)
	}
	return out
}

// stream is one coded picture: its parameter sets, slice NAL units and
// what the hvcC and ispe need from the SPS.
type stream struct {
	params      [][]byte
	slices      [][]byte
	ptl         []byte // 12 bytes: general profile_tier_level
	chroma      int
	bdl, bdc    int
	width, high int // cropped
}

func readStream(path string) stream {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	var s stream
	for _, nal := range splitAnnexB(b) {
		typ := int(nal[0] >> 1 & 63)
		switch {
		case typ >= 32 && typ <= 34:
			s.params = append(s.params, nal)
			if typ == 33 {
				s.parseSPS(unescape(nal[2:]))
			}
		case typ < 32:
			s.slices = append(s.slices, nal)
		}
	}
	if s.ptl == nil || len(s.slices) == 0 {
		log.Fatalf("%s: no SPS or no slice", path)
	}
	return s
}

func (s *stream) parseSPS(rbsp []byte) {
	if rbsp[0]>>1&7 != 0 {
		log.Fatal("SPS with sub-layers")
	}
	s.ptl = rbsp[1:13]
	r := &bits{b: rbsp, pos: 13 * 8}
	r.ue() // sps_seq_parameter_set_id
	s.chroma = r.ue()
	if s.chroma == 3 {
		r.u(1)
	}
	w, h := r.ue(), r.ue()
	if r.u(1) == 1 {
		sw, sh := 2, 2
		switch s.chroma {
		case 0, 3:
			sw, sh = 1, 1
		case 2:
			sh = 1
		}
		l, rt, t, bt := r.ue(), r.ue(), r.ue(), r.ue()
		w -= sw * (l + rt)
		h -= sh * (t + bt)
	}
	s.width, s.high = w, h
	s.bdl, s.bdc = r.ue()+8, r.ue()+8
}

func (s stream) hvcC(lenSize int) []byte {
	p := []byte{1}
	p = append(p, s.ptl[:12]...)
	p = append(p, 0xf0, 0x00, 0xfc, 0xfc|byte(s.chroma), 0xf8|byte(s.bdl-8), 0xf8|byte(s.bdc-8), 0, 0)
	p = append(p, 1<<3|1<<2|byte(lenSize-1), byte(len(s.params)))
	for _, nal := range s.params {
		p = append(p, 0x80|nal[0]>>1&63)
		p = append(p, u16(1)...)
		p = append(p, u16(len(nal))...)
		p = append(p, nal...)
	}
	return box("hvcC", p)
}

func (s stream) data(lenSize int) []byte {
	var out []byte
	for _, nal := range s.slices {
		if len(nal) >= 1<<(8*lenSize) {
			log.Fatalf("NAL unit of %d bytes does not fit a %d-byte length", len(nal), lenSize)
		}
		for i := lenSize - 1; i >= 0; i-- {
			out = append(out, byte(len(nal)>>(8*i)))
		}
		out = append(out, nal...)
	}
	return out
}

func props(spec string) [][]byte {
	var out [][]byte
	for _, t := range strings.Split(spec, ",") {
		if t == "" {
			continue
		}
		f := strings.Split(t, ":")
		num := func(i int) int {
			n, err := strconv.Atoi(f[i])
			if err != nil {
				log.Fatalf("bad property %q", t)
			}
			return n
		}
		switch {
		case f[0] == "icc":
			out = append(out, box("colr", []byte("prof"), minimalICC()))
		case f[0] == "nclx" && len(f) == 5:
			out = append(out, box("colr", []byte("nclx"), u16(num(1)), u16(num(2)), u16(num(3)), []byte{byte(num(4) << 7)}))
		case f[0] == "clap" && (len(f) == 5 || len(f) == 6):
			d := 1
			if len(f) == 6 {
				d = num(5)
			}
			out = append(out, box("clap", u32(num(1)), u32(1), u32(num(2)), u32(1), u32(num(3)), u32(d), u32(num(4)), u32(d)))
		case (t[0] == 'r' || t[0] == 'm') && len(f) == 1:
			n, err := strconv.Atoi(t[1:])
			if err != nil {
				log.Fatalf("bad property %q", t)
			}
			if t[0] == 'r' {
				out = append(out, box("irot", []byte{byte(n & 3)}))
			} else {
				out = append(out, box("imir", []byte{byte(n & 1)}))
			}
		default:
			log.Fatalf("bad property %q", t)
		}
	}
	return out
}

// minimalICC returns a 132-byte ICC v2 display profile header with an
// empty tag table: enough for libpng (heif-convert) to accept it.
func minimalICC() []byte {
	p := make([]byte, 136)
	binary.BigEndian.PutUint32(p[0:], 136)
	binary.BigEndian.PutUint32(p[8:], 0x02100000)
	copy(p[12:], "mntrRGB XYZ ")
	copy(p[36:], "acsp")
	binary.BigEndian.PutUint32(p[68:], 0x0000F6D6) // D50 illuminant X
	binary.BigEndian.PutUint32(p[72:], 0x00010000) // Y
	binary.BigEndian.PutUint32(p[76:], 0x0000D32D) // Z
	return p
}

func ispe(w, h int) []byte { return fullbox("ispe", 0, 0, u32(w), u32(h)) }

type itemSpec struct {
	id    int
	typ   string
	props [][]byte // property boxes (deduplicated into ipco)
	ess   []bool
	data  []byte
	idat  bool
	split int // extents
}

func main() {
	out := flag.String("o", "", "output file")
	t := flag.String("t", "", "properties of the primary item")
	tt := flag.String("tt", "", "properties of every grid tile")
	useIdat := flag.Bool("idat", false, "store the primary hvc1 item's data in idat (construction method 1)")
	extents := flag.Int("extents", 1, "split every coded item into N extents, stored in reverse order")
	lenSize := flag.Int("lensize", 4, "NAL unit length size (1, 2 or 4)")
	grid := flag.String("grid", "", "COLSxROWS: the inputs are tiles of a grid")
	size := flag.String("size", "", "grid output size WxH")
	auxType := flag.String("aux", "", "auxiliary image type (auxC) attached to the primary item")
	auxIn := flag.String("auxin", "", "auxiliary image stream")
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		log.Fatal("usage: mkheif -o out.heic [options] in.hevc...")
	}
	var items []itemSpec
	primary := 1
	if *grid == "" {
		s := readStream(flag.Arg(0))
		p := append([][]byte{s.hvcC(*lenSize), ispe(s.width, s.high)}, props(*t)...)
		items = append(items, itemSpec{id: 1, typ: "hvc1", props: p, data: s.data(*lenSize), idat: *useIdat, split: *extents})
	} else {
		var c, r, w, h int
		fmt.Sscanf(*grid, "%dx%d", &c, &r)
		fmt.Sscanf(*size, "%dx%d", &w, &h)
		if c*r != flag.NArg() || w == 0 {
			log.Fatal("bad -grid/-size")
		}
		for i, f := range flag.Args() {
			s := readStream(f)
			p := append([][]byte{s.hvcC(*lenSize), ispe(s.width, s.high)}, props(*tt)...)
			items = append(items, itemSpec{id: i + 1, typ: "hvc1", props: p, data: s.data(*lenSize), split: *extents})
		}
		primary = len(items) + 1
		flags := 0
		if w > 65535 || h > 65535 {
			flags = 1
		}
		desc := []byte{0, byte(flags), byte(r - 1), byte(c - 1)}
		if flags == 1 {
			desc = append(desc, append(u32(w), u32(h)...)...)
		} else {
			desc = append(desc, append(u16(w), u16(h)...)...)
		}
		p := append([][]byte{ispe(w, h)}, props(*t)...)
		items = append(items, itemSpec{id: primary, typ: "grid", props: p, data: desc, idat: true, split: 1})
	}
	var irefs [][]byte
	if *grid != "" {
		ref := append(u16(primary), u16(len(items)-1)...)
		for i := 1; i < primary; i++ {
			ref = append(ref, u16(i)...)
		}
		irefs = append(irefs, box("dimg", ref))
	}
	if *auxIn != "" {
		s := readStream(*auxIn)
		id := len(items) + 1
		auxC := fullbox("auxC", 0, 0, append([]byte(*auxType), 0))
		items = append(items, itemSpec{id: id, typ: "hvc1", props: [][]byte{s.hvcC(*lenSize), ispe(s.width, s.high), auxC}, data: s.data(*lenSize), split: 1})
		irefs = append(irefs, box("auxl", u16(id), u16(1), u16(primary)))
	}

	// ipco with deduplicated properties; essential: hvcC, irot, imir, clap.
	var ipco [][]byte
	index := func(p []byte) int {
		for i, q := range ipco {
			if bytes.Equal(p, q) {
				return i + 1
			}
		}
		ipco = append(ipco, p)
		return len(ipco)
	}
	var assoc []byte
	for _, it := range items {
		assoc = append(assoc, u16(it.id)...)
		assoc = append(assoc, byte(len(it.props)))
		for _, p := range it.props {
			v := index(p)
			if v > 127 {
				log.Fatal("too many properties")
			}
			switch string(p[4:8]) {
			case "hvcC", "irot", "imir", "clap":
				v |= 0x80
			}
			assoc = append(assoc, byte(v))
		}
	}
	ipma := fullbox("ipma", 0, 0, u32(len(items)), assoc)
	iprp := box("iprp", box("ipco", bytes.Join(ipco, nil)), ipma)

	var infes []byte
	for _, it := range items {
		flags := uint32(0)
		if it.id != primary && *grid != "" && it.id < primary {
			flags = 1 // hidden tiles
		}
		infes = append(infes, fullbox("infe", 2, flags, u16(it.id), u16(0), []byte(it.typ), []byte{0})...)
	}
	iinf := fullbox("iinf", 0, 0, u16(len(items)), infes)
	hdlr := fullbox("hdlr", 0, 0, u32(0), []byte("pict"), make([]byte, 12), []byte{0})
	pitm := fullbox("pitm", 0, 0, u16(primary))
	var iref []byte
	if len(irefs) > 0 {
		iref = fullbox("iref", 0, 0, irefs...)
	}

	// Layout: idat holds the items stored there; mdat holds the others,
	// each split into extents written in reverse order with 3 filler
	// bytes before each.
	var idatBody, mdatBody []byte
	type ext struct{ off, n int }
	locs := make([][]ext, len(items))
	mdatRel := make([]bool, len(items))
	for i, it := range items {
		if it.idat {
			locs[i] = []ext{{len(idatBody), len(it.data)}}
			idatBody = append(idatBody, it.data...)
			continue
		}
		n := max(it.split, 1)
		chunk := (len(it.data) + n - 1) / n
		var parts []ext
		for k := 0; k < n; k++ {
			lo, hi := min(k*chunk, len(it.data)), min((k+1)*chunk, len(it.data))
			parts = append(parts, ext{lo, hi - lo})
		}
		es := make([]ext, len(parts))
		for k := len(parts) - 1; k >= 0; k-- {
			mdatBody = append(mdatBody, 0xAB, 0xCD, 0xEF)
			es[k] = ext{len(mdatBody), parts[k].n}
			mdatBody = append(mdatBody, it.data[parts[k].off:parts[k].off+parts[k].n]...)
		}
		locs[i] = es
		mdatRel[i] = true
	}
	iloc := func(mdatStart int) []byte {
		p := []byte{0x44, 0x00}
		p = append(p, u16(len(items))...)
		for i, it := range items {
			p = append(p, u16(it.id)...)
			if it.idat {
				p = append(p, u16(1)...)
			} else {
				p = append(p, u16(0)...)
			}
			p = append(p, u16(0)...) // data_reference_index
			p = append(p, u16(len(locs[i]))...)
			for _, e := range locs[i] {
				off := e.off
				if mdatRel[i] {
					off += mdatStart
				}
				p = append(p, u32(off)...)
				p = append(p, u32(e.n)...)
			}
		}
		return fullbox("iloc", 1, 0, p)
	}
	var idat []byte
	if len(idatBody) > 0 {
		idat = box("idat", idatBody)
	}
	ftyp := box("ftyp", []byte("heic"), u32(0), []byte("mif1heicmiaf"))
	meta := func(mdatStart int) []byte {
		return fullbox("meta", 0, 0, hdlr, pitm, iinf, iref, iprp, idat, iloc(mdatStart))
	}
	start := len(ftyp) + len(meta(0)) + 8
	file := bytes.Join([][]byte{ftyp, meta(start), box("mdat", mdatBody)}, nil)
	if err := os.WriteFile(*out, file, 0o644); err != nil {
		log.Fatal(err)
	}
}
