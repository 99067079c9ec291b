package jpegenc

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestQuant1Exact checks reciprocal quantisation against image/jpeg's
// rounded division for every quantiser value and every DCT output the
// forward DCT can produce (|v| ≤ 8160, tested to ±2^15).
func TestQuant1Exact(t *testing.T) {
	div := func(a, b int32) int32 { // image/jpeg's div
		if a >= 0 {
			return (a + (b >> 1)) / b
		}
		return -((-a + (b >> 1)) / b)
	}
	var q [blockSize]uint8
	for d := 1; d <= 255; d++ {
		for i := range q {
			q[i] = uint8(d)
		}
		z := newQuantizer(&q)
		step := int32(1)
		if testing.Short() {
			step = 7
		}
		for v := int32(-1 << 15); v <= 1<<15; v += step {
			if got, want := quant1(v, z.half[0], z.recip[0]), div(v, 8*int32(d)); got != want {
				t.Fatalf("quant1(%d) with q=%d: %d, want %d", v, d, got, want)
			}
		}
	}
}

// TestFdctRowsQuantize checks the generated fused row DCT + quantiser
// against fdct followed by the quantize loop, on random and extreme
// blocks.
func TestFdctRowsQuantize(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, quality := range []int{1, 50, 90, 100} {
		q := scaledQuant(quality)
		for tab := range q {
			z := newQuantizer(&q[tab])
			for n := range 300 {
				var pix [blockSize]byte
				for i := range pix {
					switch n % 3 {
					case 0:
						pix[i] = byte(r.IntN(256))
					case 1: // extremes: checkerboards of 0 and 255
						pix[i] = byte(255 * ((i/8 + i%8 + n/3) & 1))
					default: // smooth
						pix[i] = byte(n + i)
					}
				}
				var b1, b2 block
				var z1, z2 [blockSize]int32
				fdct(&b1, pix[:], 0, 8)
				m1 := quantize(&z1, &b1, z)
				fdctCols(&b2, pix[:], 0, 8)
				m2 := fdctRowsQuantize(&b2, &z2, z)
				if z1 != z2 || m1 != m2 {
					t.Fatalf("quality %d table %d block %d: fused result differs", quality, tab, n)
				}
			}
		}
	}
}

// TestScaledQuantMatchesStdlib checks our DQT against image/jpeg's for
// every quality, by reading the tables back out of image/jpeg's output.
func TestScaledQuantMatchesStdlib(t *testing.T) {
	m := image.NewGray(image.Rect(0, 0, 8, 8))
	for quality := 1; quality <= 100; quality++ {
		var b bytes.Buffer
		if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: quality}); err != nil {
			t.Fatal(err)
		}
		i := bytes.Index(b.Bytes(), []byte{0xff, 0xdb})
		got := b.Bytes()[i+4:]
		q := scaledQuant(quality)
		if !bytes.Equal(got[1:65], q[0][:]) || !bytes.Equal(got[66:130], q[1][:]) {
			t.Fatalf("quality %d: tables differ from image/jpeg's", quality)
		}
	}
}

// TestBuildHuffSpec checks optimal tables: lengths ≤ 16, every used symbol
// exactly once, the Kraft sum below 1 (no all-ones code), and shorter codes
// for more frequent symbols.
func TestBuildHuffSpec(t *testing.T) {
	fib := func() (f [256]uint32) { // forces lengths over 16 before folding
		a, b := uint32(1), uint32(1)
		for i := range 40 {
			f[i] = a
			a, b = b, a+b
		}
		return f
	}
	tests := []struct {
		name string
		freq [256]uint32
	}{
		{"one symbol", [256]uint32{7: 100}},
		{"two symbols", [256]uint32{0: 1, 200: 1}},
		{"uniform 256", func() (f [256]uint32) {
			for i := range f {
				f[i] = 5
			}
			return f
		}()},
		{"fibonacci 40", fib()},
		{"skewed", [256]uint32{0: 1 << 30, 1: 1, 2: 1, 3: 2, 0xf0: 3, 0x11: 1000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := buildHuffSpec(&tt.freq)
			var n int
			var kraft float64
			for i, c := range s.count {
				n += int(c)
				kraft += float64(c) / float64(uint(1)<<(i+1))
			}
			if n != len(s.value) {
				t.Fatalf("counts sum to %d, %d values", n, len(s.value))
			}
			if kraft >= 1 {
				t.Errorf("Kraft sum %v, want < 1", kraft)
			}
			seen := map[uint8]bool{}
			for _, v := range s.value {
				if seen[v] || tt.freq[v] == 0 {
					t.Errorf("symbol %#x listed twice or unused", v)
				}
				seen[v] = true
			}
			for v, f := range tt.freq {
				if f > 0 && !seen[uint8(v)] {
					t.Errorf("symbol %#x (freq %d) has no code", v, f)
				}
			}
			// Frequency order is only guaranteed before lengths are folded
			// to 16 (ties in the original lengths go by symbol value).
			lut := s.lut()
			if s.count[15] != 0 {
				return
			}
			for a, fa := range tt.freq {
				for b, fb := range tt.freq {
					if fa > 0 && fb > 0 && fa > fb && lut[a]>>16 > lut[b]>>16 {
						t.Fatalf("freq %d symbol %#x has a longer code than freq %d symbol %#x", fa, a, fb, b)
					}
				}
			}
		})
	}
}

// TestErrors checks that bad input gets the right typed error, never a panic.
func TestErrors(t *testing.T) {
	ok := image.NewYCbCr(image.Rect(0, 0, 16, 16), image.YCbCrSubsampleRatio420)
	short := *ok
	short.Y = short.Y[:100]
	shortC := *ok
	shortC.Cr = shortC.Cr[:10]
	badStride := *ok
	badStride.YStride = 3
	badRatio := *ok
	badRatio.SubsampleRatio = image.YCbCrSubsampleRatio(99)
	shortGray := image.NewGray(image.Rect(0, 0, 10, 10))
	shortGray.Pix = shortGray.Pix[:95]
	hugeStride := *ok
	hugeStride.YStride = 1 << 62
	tests := []struct {
		name string
		img  image.Image
		o    *Options
		want error
	}{
		{"RGBA", image.NewRGBA(image.Rect(0, 0, 4, 4)), nil, ErrUnsupported},
		{"NRGBA", image.NewNRGBA(image.Rect(0, 0, 4, 4)), nil, ErrUnsupported},
		{"nil image", nil, nil, ErrUnsupported},
		{"nil YCbCr", (*image.YCbCr)(nil), nil, ErrInvalid},
		{"nil Gray", (*image.Gray)(nil), nil, ErrInvalid},
		{"bad ratio", &badRatio, nil, ErrUnsupported},
		{"empty", image.NewYCbCr(image.Rect(0, 0, 0, 5), image.YCbCrSubsampleRatio420), nil, ErrInvalid},
		{"empty gray", image.NewGray(image.Rect(3, 3, 3, 3)), nil, ErrInvalid},
		{"too wide", &image.Gray{Rect: image.Rect(0, 0, 65536, 1), Stride: 65536}, nil, ErrInvalid},
		{"too tall", &image.Gray{Rect: image.Rect(0, 0, 1, 70000), Stride: 1}, nil, ErrInvalid},
		{"short luma", &short, nil, ErrInvalid},
		{"short chroma", &shortC, nil, ErrInvalid},
		{"stride below width", &badStride, nil, ErrInvalid},
		{"stride overflow", &hugeStride, nil, ErrInvalid},
		{"short gray", shortGray, nil, ErrInvalid},
		{"quality -1", ok, &Options{Quality: -1}, ErrInvalid},
		{"quality 101", ok, &Options{Quality: 101}, ErrInvalid},
		{"workers -1", ok, &Options{Workers: -1}, ErrInvalid},
		{"APP marker", ok, &Options{APP: []Segment{{Marker: 0xdb, Data: []byte("x")}}}, ErrInvalid},
		{"APP too long", ok, &Options{APP: []Segment{{Marker: 0xe2, Data: make([]byte, 65534)}}}, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := []byte("keep")
			out, err := Append(dst, tt.img, tt.o)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if string(out) != "keep" {
				t.Errorf("dst changed on error: %q", out)
			}
		})
	}
}

// TestAPPSegments checks the optional JFIF APP0 and extra APPn segments
// are written right after SOI, in that order, that nothing else changes,
// and that the image still decodes.
func TestAPPSegments(t *testing.T) {
	m := newGray(patterns["gradient"], image.Rect(0, 0, 20, 20), 1)
	icc := append([]byte("ICC_PROFILE\x00\x01\x01"), bytes.Repeat([]byte{0xab}, 300)...)
	app2 := append([]byte{0xff, 0xe2, byte((len(icc) + 2) >> 8), byte(len(icc) + 2)}, icc...)
	plain, err := Append(nil, m, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		o      *Options
		insert []byte
	}{
		{"none", &Options{}, nil},
		{"JFIF", &Options{JFIF: true}, jfifAPP0},
		{"APP2", &Options{APP: []Segment{{Marker: 0xe2, Data: icc}}}, app2},
		{"JFIF+APP2", &Options{JFIF: true, APP: []Segment{{Marker: 0xe2, Data: icc}}}, append(slices.Clone(jfifAPP0), app2...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Append(nil, m, tt.o)
			if err != nil {
				t.Fatal(err)
			}
			want := slices.Concat(plain[:2], tt.insert, plain[2:])
			if !bytes.Equal(out, want) {
				t.Errorf("output is not SOI, %d inserted bytes, then the plain output", len(tt.insert))
			}
			decode(t, out)
		})
	}
}

// TestAppendKeepsPrefix checks Append appends to dst.
func TestAppendKeepsPrefix(t *testing.T) {
	m := newYCbCr(patterns["photo"], image.Rect(0, 0, 400, 300), image.YCbCrSubsampleRatio420, 1)
	for _, o := range []*Options{nil, {Workers: 1}, {OptimizeHuffman: true}} {
		out, err := Append([]byte("prefix"), m, o)
		if err != nil {
			t.Fatal(err)
		}
		if string(out[:6]) != "prefix" {
			t.Fatalf("prefix lost")
		}
		decode(t, out[6:])
	}
}

// TestAllocs guards the steady state: Append into a pre-sized dst
// allocates at most a small constant.
func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under -race")
	}
	m := newYCbCr(patterns["photo"], image.Rect(0, 0, 640, 480), image.YCbCrSubsampleRatio420, 1)
	tests := []struct {
		name string
		o    *Options
		max  float64
	}{
		{"workers 1", &Options{Workers: 1}, 1},
		{"workers 2", &Options{Workers: 2}, 6},
		{"optimize workers 1", &Options{Workers: 1, OptimizeHuffman: true}, 5},
		{"gray", &Options{Workers: 1}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var img image.Image = m
			if tt.name == "gray" {
				img = lumaOf(m)
			}
			dst := make([]byte, 0, 1<<20)
			for range 3 { // warm the pools
				if _, err := Append(dst, img, tt.o); err != nil {
					t.Fatal(err)
				}
			}
			n := testing.AllocsPerRun(10, func() {
				if _, err := Append(dst, img, tt.o); err != nil {
					t.Fatal(err)
				}
			})
			t.Logf("%.1f allocations per Append", n)
			if n > tt.max {
				t.Errorf("%.1f allocations per Append, want ≤ %.0f", n, tt.max)
			}
		})
	}
}

// TestConcurrentAppend runs Append from several goroutines at once (run
// with -race): every result must equal the sequential one.
func TestConcurrentAppend(t *testing.T) {
	m := newYCbCr(patterns["photo"], image.Rect(0, 0, 320, 256), image.YCbCrSubsampleRatio420, 9)
	opts := []*Options{{Workers: 1}, {Workers: 2}, {OptimizeHuffman: true, Workers: 2}}
	want := make([][]byte, len(opts))
	for i, o := range opts {
		var err error
		if want[i], err = Append(nil, m, o); err != nil {
			t.Fatal(err)
		}
	}
	errc := make(chan error, 8)
	for g := range 8 {
		go func() {
			o := opts[g%len(opts)]
			for range 3 {
				got, err := Append(nil, m, o)
				if err == nil && !bytes.Equal(got, want[g%len(opts)]) {
					err = errors.New("output differs from the sequential encode")
				}
				if err != nil {
					errc <- err
					return
				}
			}
			errc <- nil
		}()
	}
	for range 8 {
		if err := <-errc; err != nil {
			t.Error(err)
		}
	}
}

// TestDeterministicAcrossWorkers checks the output does not depend on the
// number of workers, for every sampling (also those image/jpeg cannot
// write) and with optimised tables.
func TestDeterministicAcrossWorkers(t *testing.T) {
	for _, r := range ratios {
		m := newYCbCr(patterns["photo"], image.Rect(0, 0, 400, 320), r, 4)
		for _, opt := range []bool{false, true} {
			t.Run(fmt.Sprintf("%v/optimize=%v", r, opt), func(t *testing.T) {
				want, err := Append(nil, m, &Options{Workers: 1, OptimizeHuffman: opt})
				if err != nil {
					t.Fatal(err)
				}
				for _, w := range []int{2, 7} {
					got, err := Append(nil, m, &Options{Workers: w, OptimizeHuffman: opt})
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(got, want) {
						t.Errorf("Workers=%d output differs from Workers=1 at byte %d", w, firstDiff(got, want))
					}
				}
			})
		}
	}
}
