package heif

import (
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"math"
	"testing"
)

// TestParseNativeFixtures: the layout of every fixture, without decoding:
// refusals that the header already shows, grids and their tiles, the
// orientation, and that coded bytes alias the file.
func TestParseNativeFixtures(t *testing.T) {
	refusedByHeader := map[string]error{
		"truncated.heic":           ErrCorrupt,
		"native/r1-clap.heic":      ErrUnsupported,
		"native/clap-frac.heic":    ErrUnsupported,
		"native/alpha.heic":        ErrUnsupported,
		"native/b10.heic":          ErrUnsupported,
		"grid/grid-nclx.heic":      nil, // refused when the tiles' VUI is known
		"grid/grid-tile-nclx.heic": nil,
	}
	tiles := map[string]int{
		"grid.heic": 4, "grid-irot90.heic": 4, "grid1x1.heic": 1, "grid/grid-3x2-r3m1.heic": 6,
		"grid/grid-nclx.heic": 4, "grid/grid-tile-nclx.heic": 4, "native/grid-nclx-same.heic": 4,
		"native/grid-lim709-r2.heic": 4, "native/grid-depth.heic": 4, "native/grid-clap-m0.heic": 4, "native/grid512.heic": 4,
	}
	for _, tt := range nativeTests {
		t.Run(tt.file, func(t *testing.T) {
			b := nativeFixture(t, tt.file)
			l, err := parseNative(b)
			want, listed := refusedByHeader[tt.file]
			if listed && want != nil {
				if !errors.Is(err, want) {
					t.Fatalf("parseNative error %v, want %v", err, want)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseNative: %v", err)
			}
			if n := tiles[tt.file]; l.grid != (n > 0) || (n > 0 && len(l.items) != n) {
				t.Errorf("grid %v with %d items, want %d tiles", l.grid, len(l.items), n)
			}
			if tt.want == nil && l.orientation != tt.orient {
				t.Errorf("orientation %d, want %d", l.orientation, tt.orient)
			}
			for i, it := range l.items {
				if len(it.params) < 3 || it.lengthSize == 0 || len(it.data) == 0 {
					t.Errorf("item %d: %d params, length size %d, %d bytes", i, len(it.params), it.lengthSize, len(it.data))
				}
				if tt.file != "native/extents3.heic" && !within(it.data, b) {
					t.Errorf("item %d: data copied, not a sub-slice of the file", i)
				}
				for _, p := range it.params {
					if !within(p, b) {
						t.Errorf("item %d: parameter set copied", i)
					}
				}
			}
		})
	}
}

// within reports whether s lies inside b's memory.
func within(s, b []byte) bool {
	if len(s) == 0 || len(b) == 0 {
		return false
	}
	for i := range b {
		if &b[i] == &s[0] {
			return i+len(s) <= len(b)
		}
	}
	return false
}

// TestOrientationOf: every sequence of up to three irot/imir steps gives
// the EXIF orientation that moves pixels as the grid path's placement
// (grid.go, an independent composition) does.
func TestOrientationOf(t *testing.T) {
	steps := [][2]byte{{'r', 0}, {'r', 1}, {'r', 2}, {'r', 3}, {'m', 0}, {'m', 1}}
	// A 5x3 image with distinct pixels.
	src := image.NewNRGBA(image.Rect(0, 0, 5, 3))
	for i := range 15 {
		src.SetNRGBA(i%5, i/5, color.NRGBA{uint8(i), 0, 0, 255})
	}
	var seqs [][]byte
	for _, a := range steps {
		seqs = append(seqs, []byte{a[0], a[1]})
		for _, b := range steps {
			seqs = append(seqs, []byte{a[0], a[1], b[0], b[1]})
			for _, c := range steps {
				seqs = append(seqs, []byte{a[0], a[1], b[0], b[1], c[0], c[1]})
			}
		}
	}
	for _, s := range seqs {
		g := &gridLayout{outW: 5, outH: 3}
		for i := 0; i < len(s); i += 2 {
			typ := "irot"
			if s[i] == 'm' {
				typ = "imir"
			}
			g.transforms = append(g.transforms, box(typ, u8(s[i+1])))
		}
		pl, err := newPlacement(g)
		if err != nil {
			t.Fatal(err)
		}
		want := image.NewNRGBA(image.Rect(0, 0, pl.w, pl.h))
		for y := range 3 {
			for x := range 5 {
				want.SetNRGBA(pl.ax*x+pl.bx*y+pl.cx, pl.ay*x+pl.by*y+pl.cy, src.NRGBAAt(x, y))
			}
		}
		o := orientationOf(s)
		if got := orientNRGBA(src, o); got.Bounds() != want.Bounds() || string(got.Pix) != string(want.Pix) {
			t.Errorf("steps %q: orientation %d moves pixels unlike the placement", s, o)
		}
	}
}

// hvcCBody builds an hvcC payload: chroma format, luma/chroma bit depths,
// NAL length size and arrays of (type, NAL units).
func hvcCBody(chroma, bdl, bdc, lengthSize int, arrays ...[]byte) []byte {
	b := make([]byte, 23)
	b[0] = 1
	b[16] = 0xfc | byte(chroma)
	b[17] = 0xf8 | byte(bdl-8)
	b[18] = 0xf8 | byte(bdc-8)
	b[21] = 0x0c | byte(lengthSize-1)
	b[22] = byte(len(arrays))
	for _, a := range arrays {
		b = append(b, a...)
	}
	return b
}

// nalArray is one hvcC array of NAL units of the given type.
func nalArray(typ byte, nals ...[]byte) []byte {
	a := []byte{0x80 | typ}
	a = binary.BigEndian.AppendUint16(a, uint16(len(nals)))
	for _, n := range nals {
		a = binary.BigEndian.AppendUint16(a, uint16(len(n)))
		a = append(a, n...)
	}
	return a
}

func TestParseHvcC(t *testing.T) {
	vps, sps, pps, sei := []byte{0x40, 1, 0xaa}, []byte{0x42, 1, 0xbb, 0xcc}, []byte{0x44, 1, 0xdd}, []byte{0x4e, 1, 5}
	good := hvcCBody(1, 8, 8, 4, nalArray(32, vps), nalArray(33, sps), nalArray(34, pps), nalArray(39, sei))
	tests := []struct {
		name string
		c    []byte
		want error
		ls   int
	}{
		{"4:2:0 8-bit", good, nil, 4},
		{"length size 2", hvcCBody(1, 8, 8, 2, nalArray(33, sps)), nil, 2},
		{"length size 1", hvcCBody(1, 8, 8, 1, nalArray(33, sps)), nil, 1},
		{"4:0:0 with chroma depth 0", hvcCBody(0, 8, 8, 4, nalArray(33, sps)), nil, 4},
		{"length size 3", hvcCBody(1, 8, 8, 3, nalArray(33, sps)), ErrCorrupt, 0},
		{"10-bit", hvcCBody(1, 10, 10, 4, nalArray(33, sps)), ErrUnsupported, 0},
		{"8-bit luma 10-bit chroma", hvcCBody(1, 8, 10, 4, nalArray(33, sps)), ErrUnsupported, 0},
		{"4:2:2", hvcCBody(2, 8, 8, 4, nalArray(33, sps)), ErrUnsupported, 0},
		{"4:4:4", hvcCBody(3, 8, 8, 4, nalArray(33, sps)), ErrUnsupported, 0},
		{"no parameter sets", hvcCBody(1, 8, 8, 4, nalArray(39, sei)), ErrCorrupt, 0},
		{"version 2", append([]byte{2}, good[1:]...), ErrUnsupported, 0},
		{"NAL unit count without bytes", hvcCBody(1, 8, 8, 4, []byte{0xa1, 0xff, 0xff}), ErrCorrupt, 0},
		{"NAL unit longer than the box", hvcCBody(1, 8, 8, 4, []byte{0xa1, 0, 1, 0xff, 0xff, 0x42}), ErrCorrupt, 0},
		{"more arrays than present", append(hvcCBody(1, 8, 8, 4, nalArray(33, sps))[:22], 9), ErrCorrupt, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var it hvcItem
			err := parseHvcC(tt.c, &it)
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Fatalf("error %v, want %v", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if it.lengthSize != tt.ls {
				t.Errorf("length size %d, want %d", it.lengthSize, tt.ls)
			}
			for _, p := range it.params {
				if typ := p[0] >> 1 & 63; typ < 32 || typ > 34 || !within(p, tt.c) {
					t.Errorf("parameter set %x: type %d or not a sub-slice", p, typ)
				}
			}
		})
	}
	// Every truncation of a good record is an error, never a panic.
	for n := range len(good) {
		var it hvcItem
		if err := parseHvcC(good[:n], &it); !errors.Is(err, ErrCorrupt) {
			t.Errorf("hvcC cut to %d bytes: %v", n, err)
		}
	}
}

func TestItemData(t *testing.T) {
	file := []byte("0123456789abcdefghij")
	idat := []byte("IDATDATA")
	loc := func(method int, ext ...[2]uint64) map[uint32]ilocEntry {
		return map[uint32]ilocEntry{7: {method: method, extents: ext}}
	}
	tests := []struct {
		name  string
		locs  map[uint32]ilocEntry
		want  string
		err   error
		alias bool
	}{
		{"one extent aliases the file", loc(0, [2]uint64{2, 5}), "23456", nil, true},
		{"extents joined in order", loc(0, [2]uint64{10, 3}, [2]uint64{0, 2}), "abc01", nil, false},
		{"length 0 runs to the end", loc(0, [2]uint64{16, 0}), "ghij", nil, true},
		{"idat", loc(1, [2]uint64{4, 4}), "DATA", nil, true},
		{"outside the file", loc(0, [2]uint64{18, 5}), "", ErrCorrupt, false},
		{"offset past the end", loc(0, [2]uint64{21, 1}), "", ErrCorrupt, false},
		{"huge length", loc(0, [2]uint64{1, math.MaxUint64}), "", ErrCorrupt, false},
		{"extents total more than the file", loc(0, [2]uint64{0, 15}, [2]uint64{0, 15}), "", ErrCorrupt, false},
		{"no extents", loc(0), "", ErrCorrupt, false},
		{"construction method 2", loc(2, [2]uint64{0, 1}), "", ErrUnsupported, false},
		{"another file", loc(-1, [2]uint64{0, 1}), "", ErrUnsupported, false},
		{"no location", map[uint32]ilocEntry{}, "", ErrCorrupt, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := itemData(file, idat, tt.locs, 7)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("error %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
			if a := within(got, file) || within(got, idat); a != tt.alias {
				t.Errorf("aliases the source: %v, want %v", a, tt.alias)
			}
		})
	}
}

func TestClapRect(t *testing.T) {
	clap := func(f ...int32) []byte {
		var b []byte
		for _, v := range f {
			b = binary.BigEndian.AppendUint32(b, uint32(v))
		}
		return b
	}
	tests := []struct {
		name       string
		body       []byte
		x, y, w, h int
		err        error
	}{
		{"centred", clap(64, 1, 48, 1, 0, 1, 0, 1), 16, 8, 64, 48, nil},
		{"offset", clap(64, 1, 48, 1, -4, 1, -2, 1), 12, 6, 64, 48, nil},
		{"odd corner", clap(64, 1, 48, 1, -3, 1, -2, 1), 13, 6, 64, 48, nil},
		{"odd size, half offset", clap(63, 1, 47, 1, 1, 2, 1, 2), 17, 9, 63, 47, nil},
		{"whole image in halves", clap(192, 2, 128, 2, 0, 2, 0, 2), 0, 0, 96, 64, nil},
		{"half-pixel corner", clap(64, 1, 48, 1, 1, 2, 0, 1), 0, 0, 0, 0, ErrUnsupported},
		{"fractional size", clap(129, 2, 48, 1, 0, 1, 0, 1), 0, 0, 0, 0, ErrUnsupported},
		{"zero denominator", clap(64, 0, 48, 1, 0, 1, 0, 1), 0, 0, 0, 0, ErrCorrupt},
		{"negative denominator", clap(64, 1, 48, -1, 0, 1, 0, 1), 0, 0, 0, 0, ErrCorrupt},
		{"outside", clap(64, 1, 48, 1, 30, 1, 0, 1), 0, 0, 0, 0, ErrCorrupt},
		{"larger than the image", clap(98, 1, 48, 1, 0, 1, 0, 1), 0, 0, 0, 0, ErrCorrupt},
		{"zero width", clap(0, 1, 48, 1, 0, 1, 0, 1), 0, 0, 0, 0, ErrCorrupt},
		{"truncated", clap(64, 1, 48, 1, 0, 1, 0), 0, 0, 0, 0, ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, y, w, h, err := clapRect(tt.body, 96, 64)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("error %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil || x != tt.x || y != tt.y || w != tt.w || h != tt.h {
				t.Fatalf("got %d,%d %dx%d, %v; want %d,%d %dx%d", x, y, w, h, err, tt.x, tt.y, tt.w, tt.h)
			}
		})
	}
}

// TestRGBTables: the conversion (libheif's arithmetic) stays within 2 of
// the textbook formula (exact 255/219 and 255/224 range expansion) for
// every supported matrix and range, over a grid of samples.
func TestRGBTables(t *testing.T) {
	for _, m := range []int{1, 2, 4, 5, 6, 7, 9, 10} {
		for _, full := range []bool{false, true} {
			c := colour{matrix: m, fullRange: full}
			tab, err := newRGBTables(c)
			if err != nil {
				t.Fatal(err)
			}
			kr32, kb32, _ := krkb(m)
			kr, kb := float64(kr32), float64(kb32)
			worstD := 0.0
			for y := 0; y < 256; y += 3 {
				for u := 0; u < 256; u += 5 {
					for v := 0; v < 256; v += 7 {
						Y, U, V := float64(y), float64(u-128), float64(v-128)
						if !full {
							Y, U, V = (Y-16)*255/219, U*255/224, V*255/224
						}
						r := Y + 2*(1-kr)*V
						b := Y + 2*(1-kb)*U
						g := (Y - kr*r - kb*b) / (1 - kr - kb)
						yv := tab.y[y]
						got := [3]uint8{clip8(yv + tab.rv[v]), clip8(yv + tab.gu[u] + tab.gv[v]), clip8(yv + tab.bu[u])}
						for k, ref := range [3]float64{r, g, b} {
							ref = math.Max(0, math.Min(255, math.Round(ref)))
							worstD = math.Max(worstD, math.Abs(ref-float64(got[k])))
						}
					}
				}
			}
			if worstD > 2 {
				t.Errorf("matrix %d full %v: %v from the textbook formula", m, full, worstD)
			}
		}
	}
	for _, m := range []int{0, 3, 8, 11, 12, 13, 14, 15} {
		if _, err := newRGBTables(colour{matrix: m}); !errors.Is(err, ErrUnsupported) {
			t.Errorf("matrix %d: %v, want ErrUnsupported", m, err)
		}
	}
}

// TestPlanesImage: the output model and crop for 4:0:0, JFIF colour at
// even and odd corners, and other colour.
func TestPlanesImage(t *testing.T) {
	p := &planes{w: 6, h: 4, chroma: 1, yStride: 8, cStride: 4,
		y: make([]byte, 8*4), cb: make([]byte, 4*2), cr: make([]byte, 4*2)}
	for i := range p.y {
		p.y[i] = byte(16 + 7*i)
	}
	for i := range p.cb {
		p.cb[i], p.cr[i] = byte(100+9*i), byte(150-5*i)
	}
	jfif := colour{matrix: 6, fullRange: true}
	tests := []struct {
		name       string
		p          planes
		c          colour
		x, y, w, h int
		model      string
	}{
		{"JFIF", *p, jfif, 0, 0, 6, 4, "ycbcr"},
		{"JFIF even crop", *p, jfif, 2, 2, 3, 2, "ycbcr"},
		{"JFIF odd crop", *p, jfif, 1, 1, 4, 3, "nrgba"},
		{"unspecified matrix full range", *p, colour{matrix: 2, fullRange: true}, 0, 0, 6, 4, "ycbcr"},
		{"limited range", *p, colour{matrix: 6}, 0, 0, 6, 4, "nrgba"},
		{"BT.709", *p, colour{matrix: 1, fullRange: true}, 0, 0, 6, 4, "nrgba"},
		{"4:0:0", planes{w: 6, h: 4, y: p.y, yStride: 8}, colour{}, 1, 1, 5, 3, "gray"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := tt.p.image(tt.c, tt.x, tt.y, tt.w, tt.h, 2)
			if err != nil {
				t.Fatal(err)
			}
			if got := modelOf(img); got != tt.model {
				t.Fatalf("model %s, want %s", got, tt.model)
			}
			if img.Bounds() != image.Rect(0, 0, tt.w, tt.h) {
				t.Fatalf("bounds %v", img.Bounds())
			}
			// Every pixel is the source sample (or its conversion) at
			// the crop offset, with chroma from the co-sited sample.
			tab, _ := newRGBTables(tt.c)
			for y := range tt.h {
				for x := range tt.w {
					sx, sy := tt.x+x, tt.y+y
					yv := tt.p.y[sy*tt.p.yStride+sx]
					switch m := img.(type) {
					case *image.Gray:
						if m.GrayAt(x, y).Y != yv {
							t.Fatalf("(%d,%d) = %d, want %d", x, y, m.GrayAt(x, y).Y, yv)
						}
					case *image.YCbCr:
						got := m.YCbCrAt(x, y)
						ci := sy/2*tt.p.cStride + sx/2
						if got != (color.YCbCr{Y: yv, Cb: tt.p.cb[ci], Cr: tt.p.cr[ci]}) {
							t.Fatalf("(%d,%d) = %v", x, y, got)
						}
					case *image.NRGBA:
						ci := sy/2*tt.p.cStride + sx/2
						u, v := tt.p.cb[ci], tt.p.cr[ci]
						want := color.NRGBA{clip8(tab.y[yv] + tab.rv[v]), clip8(tab.y[yv] + tab.gu[u] + tab.gv[v]), clip8(tab.y[yv] + tab.bu[u]), 255}
						if m.NRGBAAt(x, y) != want {
							t.Fatalf("(%d,%d) = %v, want %v", x, y, m.NRGBAAt(x, y), want)
						}
					}
				}
			}
		})
	}
}
