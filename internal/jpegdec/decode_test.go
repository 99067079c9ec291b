package jpegdec

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMain(m *testing.M) {
	// Exercise the parallel strategies on the small fixtures too.
	minParallelBlocks = 0
	os.Exit(m.Run())
}

// decodable lists the fixtures this decoder must handle.
var decodable = []string{
	"q75_420.jpg", "q92_420_opt.jpg", "q50_422.jpg", "q95_444.jpg", "q80_440.jpg",
	"q85_411.jpg", "q85_410.jpg", "q100_444.jpg", "q10_420.jpg", "q90_gray.jpg",
	"odd_37x23_420.jpg", "odd_37x23_422.jpg", "odd_37x23_gray.jpg",
	"mid_200x150_420.jpg", "mid_rst1row_420.jpg", "mid_rst3mcu_420.jpg",
	"odd_rst5mcu_444.jpg", "mid_rst7_gray.jpg",
}

// unsupportedFixtures must be refused with ErrUnsupported.
var unsupportedFixtures = []string{
	"unsup_progressive.jpg", "unsup_arithmetic.jpg", "unsup_rgb.jpg", "unsup_cmyk.jpg",
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// plane is one image plane with its visible size.
type plane struct {
	pix          []byte
	stride, w, h int
	name         string
}

func (p plane) at(x, y int) byte { return p.pix[y*p.stride+x] }

// planes returns the visible planes of a *image.Gray or *image.YCbCr.
func planes(t testing.TB, m image.Image) []plane {
	t.Helper()
	switch m := m.(type) {
	case *image.Gray:
		b := m.Bounds()
		return []plane{{pix: m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], stride: m.Stride, w: b.Dx(), h: b.Dy(), name: "gray"}}
	case *image.YCbCr:
		b := m.Bounds()
		cw, ch := chromaSize(b.Dx(), b.Dy(), m.SubsampleRatio)
		co := m.COffset(b.Min.X, b.Min.Y)
		return []plane{
			{pix: m.Y[m.YOffset(b.Min.X, b.Min.Y):], stride: m.YStride, w: b.Dx(), h: b.Dy(), name: "Y"},
			{pix: m.Cb[co:], stride: m.CStride, w: cw, h: ch, name: "Cb"},
			{pix: m.Cr[co:], stride: m.CStride, w: cw, h: ch, name: "Cr"},
		}
	}
	t.Fatalf("unexpected image type %T", m)
	return nil
}

// chromaSize mirrors image.NewYCbCr for a rectangle at the origin.
func chromaSize(w, h int, r image.YCbCrSubsampleRatio) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	case image.YCbCrSubsampleRatio411:
		return (w + 3) / 4, h
	case image.YCbCrSubsampleRatio410:
		return (w + 3) / 4, (h + 1) / 2
	}
	return w, h
}

func sameLayout(t *testing.T, got, want image.Image) {
	t.Helper()
	if got.Bounds() != want.Bounds() {
		t.Fatalf("bounds %v, want %v", got.Bounds(), want.Bounds())
	}
	if fmt.Sprintf("%T", got) != fmt.Sprintf("%T", want) {
		t.Fatalf("type %T, want %T", got, want)
	}
	if g, ok := got.(*image.YCbCr); ok {
		if w := want.(*image.YCbCr); g.SubsampleRatio != w.SubsampleRatio {
			t.Fatalf("subsampling %v, want %v", g.SubsampleRatio, w.SubsampleRatio)
		}
	}
}

func TestDecodeMatchesImageJPEG(t *testing.T) {
	for _, name := range decodable {
		b := readFixture(t, name)
		want, err := jpeg.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: image/jpeg: %v", name, err)
		}
		for _, workers := range []int{1, 2, 3} {
			t.Run(fmt.Sprintf("%s/workers=%d", name, workers), func(t *testing.T) {
				got, err := Decode(b, &Options{Workers: workers})
				if err != nil {
					t.Fatal(err)
				}
				sameLayout(t, got, want)
				gp, wp := planes(t, got), planes(t, want)
				for i := range wp {
					for y := 0; y < wp[i].h; y++ {
						for x := 0; x < wp[i].w; x++ {
							if g, w := gp[i].at(x, y), wp[i].at(x, y); g != w {
								t.Fatalf("%s(%d,%d) = %d, want %d", wp[i].name, x, y, g, w)
							}
						}
					}
				}
			})
		}
	}
}

func TestNilOptionsMeanDefaults(t *testing.T) {
	b := readFixture(t, "q75_420.jpg")
	a, err := Decode(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	z, err := Decode(b, &Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.(*image.YCbCr).Y, z.(*image.YCbCr).Y) || a.Bounds() != z.Bounds() {
		t.Fatal("nil and zero Options differ")
	}
}

// boxDown averages s×s boxes of p (partial boxes at the edges average the
// pixels that exist).
func boxDown(p plane, s int) plane {
	w, h := (p.w+s-1)/s, (p.h+s-1)/s
	out := plane{pix: make([]byte, w*h), stride: w, w: w, h: h, name: p.name}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sum, n := 0, 0
			for yy := y * s; yy < min(p.h, (y+1)*s); yy++ {
				for xx := x * s; xx < min(p.w, (x+1)*s); xx++ {
					sum += int(p.at(xx, yy))
					n++
				}
			}
			out.pix[y*w+x] = byte((sum + n/2) / n)
		}
	}
	return out
}

// psnr compares the common area of two planes.
func psnr(a, b plane) float64 {
	w, h := min(a.w, b.w), min(a.h, b.h)
	var se float64
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			d := float64(a.at(x, y)) - float64(b.at(x, y))
			se += d * d
		}
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255*float64(w*h)/se)
}

func TestDecodeScaledMatchesBoxDownscale(t *testing.T) {
	for _, name := range decodable {
		b := readFixture(t, name)
		ref, err := jpeg.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		for _, scale := range []int{2, 4, 8} {
			t.Run(fmt.Sprintf("%s/scale=%d", name, scale), func(t *testing.T) {
				got, err := Decode(b, &Options{Scale: scale})
				if err != nil {
					t.Fatal(err)
				}
				rb := ref.Bounds()
				if want := image.Rect(0, 0, (rb.Dx()+scale-1)/scale, (rb.Dy()+scale-1)/scale); got.Bounds() != want {
					t.Fatalf("bounds %v, want %v", got.Bounds(), want)
				}
				gp, rp := planes(t, got), planes(t, ref)
				if len(gp) != len(rp) {
					t.Fatalf("%d planes, want %d", len(gp), len(rp))
				}
				for i := range rp {
					want := boxDown(rp[i], scale)
					if gp[i].w != want.w || gp[i].h != want.h {
						t.Fatalf("%s plane %dx%d, want %dx%d", rp[i].name, gp[i].w, gp[i].h, want.w, want.h)
					}
					// Compare whole boxes only: at the right and bottom
					// edges the DCT-domain average includes the encoder's
					// padding beyond the image, the reference does not.
					full := want
					full.w, full.h = rp[i].w/scale, rp[i].h/scale
					if full.w == 0 || full.h == 0 {
						return
					}
					p := psnr(gp[i], full)
					t.Logf("%s PSNR %.1f dB", rp[i].name, p)
					if p < 35 {
						t.Errorf("%s PSNR %.1f dB against image/jpeg + box downscale, want ≥ 35", rp[i].name, p)
					}
				}
			})
		}
	}
}

// TestDecodeScaledAgainstDjpeg compares the luma plane with libjpeg-turbo's
// own DCT-domain scaling (djpeg -scale 1/N -grayscale), which uses N-point
// IDCTs of the low-frequency coefficients rather than a box average.
func TestDecodeScaledAgainstDjpeg(t *testing.T) {
	djpeg, err := execLookPath("djpeg")
	if err != nil {
		t.Skip("djpeg not installed")
	}
	for _, name := range decodable {
		b := readFixture(t, name)
		for _, scale := range []int{2, 4, 8} {
			t.Run(fmt.Sprintf("%s/scale=%d", name, scale), func(t *testing.T) {
				out, err := runCmd(djpeg, b, "-scale", fmt.Sprintf("1/%d", scale), "-grayscale", "-dct", "int", "-pnm")
				if err != nil {
					t.Fatal(err)
				}
				want, err := parsePGM(out)
				if err != nil {
					t.Fatal(err)
				}
				got, err := Decode(b, &Options{Scale: scale})
				if err != nil {
					t.Fatal(err)
				}
				y := planes(t, got)[0]
				if y.w != want.w || y.h != want.h {
					t.Fatalf("luma %dx%d, djpeg %dx%d", y.w, y.h, want.w, want.h)
				}
				p := psnr(y, want)
				t.Logf("luma PSNR %.1f dB", p)
				if p < 45 {
					t.Errorf("luma PSNR %.1f dB against djpeg, want ≥ 45", p)
				}
			})
		}
	}
}

// parsePGM parses a binary 8-bit PGM (P5) as written by djpeg.
func parsePGM(b []byte) (plane, error) {
	var w, h, maxv int
	var magic string
	n, err := fmt.Sscan(string(b[:min(len(b), 64)]), &magic, &w, &h, &maxv)
	if err != nil || n != 4 || magic != "P5" || maxv != 255 {
		return plane{}, fmt.Errorf("not an 8-bit PGM: %v", err)
	}
	// The header ends after the single whitespace following maxval.
	hdr := 0
	for fields := 0; hdr < len(b) && fields < 4; {
		for hdr < len(b) && strings.ContainsRune(" \t\r\n", rune(b[hdr])) {
			hdr++
		}
		for hdr < len(b) && !strings.ContainsRune(" \t\r\n", rune(b[hdr])) {
			hdr++
		}
		fields++
	}
	hdr++
	if len(b)-hdr != w*h {
		return plane{}, errors.New("PGM size mismatch")
	}
	return plane{pix: b[hdr:], stride: w, w: w, h: h, name: "djpeg"}, nil
}

func TestDecodeConfigMatchesImageJPEG(t *testing.T) {
	for _, name := range append(append([]string{}, decodable...), unsupportedFixtures...) {
		t.Run(name, func(t *testing.T) {
			b := readFixture(t, name)
			want, werr := jpeg.DecodeConfig(bytes.NewReader(b))
			got, err := DecodeConfig(b)
			if werr != nil {
				if !errors.Is(err, ErrUnsupported) {
					t.Fatalf("image/jpeg: %v; got %v, want ErrUnsupported", werr, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("got %+v, want %+v", got, want)
			}
		})
	}
}

func TestScaleFor(t *testing.T) {
	tests := []struct {
		name             string
		w, h, max, scale int
	}{
		{"12MP to 1920", 4032, 3024, 1920, 2},
		{"24MP to 1920", 6000, 4000, 1920, 2},
		{"portrait 24MP", 4000, 6000, 1920, 2},
		{"48MP to 1920", 8064, 6048, 1920, 4},
		{"exactly 8x", 15360, 100, 1920, 8},
		{"just under 2x", 3838, 100, 1920, 1},
		{"ceil keeps 2x", 3839, 100, 1920, 2},
		{"2x with ceil", 3841, 100, 1920, 2},
		{"already small", 1280, 960, 1920, 1},
		{"max side 0", 100, 100, 0, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ScaleFor(tt.w, tt.h, tt.max); got != tt.scale {
				t.Fatalf("ScaleFor(%d, %d, %d) = %d, want %d", tt.w, tt.h, tt.max, got, tt.scale)
			}
		})
	}
}

// TestRestartSegments checks that files with restart markers are split
// for parallel decoding (a silent fallback to sequential would still
// decode correctly, but slowly).
func TestRestartSegments(t *testing.T) {
	for _, name := range []string{"mid_rst1row_420.jpg", "mid_rst3mcu_420.jpg", "odd_rst5mcu_444.jpg", "mid_rst7_gray.jpg"} {
		t.Run(name, func(t *testing.T) {
			b := readFixture(t, name)
			hd, err := parseHeader(b, false, 0)
			if err != nil {
				t.Fatal(err)
			}
			p := newPlan(hd, 0)
			want := (p.mcusX*p.mcusY + hd.ri - 1) / hd.ri
			starts, ends, ok := restartSegments(b, hd.scanStart, want)
			if !ok || len(starts) != want || len(ends) != want {
				t.Fatalf("ok=%v, %d/%d segments, want %d", ok, len(starts), len(ends), want)
			}
			for i := range starts {
				if starts[i] >= ends[i] {
					t.Fatalf("segment %d empty: [%d, %d)", i, starts[i], ends[i])
				}
			}
			if _, _, ok := restartSegments(b, hd.scanStart, want+1); ok {
				t.Fatal("accepted the wrong number of intervals")
			}
		})
	}
}
