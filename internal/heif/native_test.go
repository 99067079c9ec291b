package heif

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mediaprep/mediaprep/internal/corpus"
)

// nativeFixture reads a HEIC fixture: "native/x.heic" from this package's
// testdata/native, anything else from the repository's testdata/heic.
func nativeFixture(t testing.TB, name string) []byte {
	t.Helper()
	p := filepath.Join("..", "..", "testdata", "heic", name)
	if rest, ok := strings.CutPrefix(name, "native/"); ok {
		p = filepath.Join("testdata", "native", rest)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// errEither marks fixtures that may decode or fail with ErrCorrupt
// (damaged coded data: the decoder need not notice).
var errEither = errors.New("decodes or ErrCorrupt")

// nativeTests lists every HEIC fixture and what DecodeNative must do with
// it. model is the image type promised by DecodeNative's documentation;
// orient the EXIF orientation derived from irot/imir; upright that the
// displayed image has the fixtures' corner squares (red, green, blue,
// black clockwise from top-left).
var nativeTests = []struct {
	file    string
	want    error // nil: decodes
	model   string
	orient  int
	upright bool
	// noDecode: Decode is not a reference (gen2brain/heic shows 4:0:0
	// as flat grey).
	noDecode bool
}{
	// testdata/heic (heif-enc output: VUI full range BT.601, no colr).
	{file: "plain.heic", model: "ycbcr", orient: 1, upright: true},
	{file: "irot90.heic", model: "ycbcr", orient: 8, upright: true},
	{file: "irot180.heic", model: "ycbcr", orient: 3, upright: true},
	{file: "irot270.heic", model: "ycbcr", orient: 6, upright: true},
	{file: "imir0.heic", model: "ycbcr", orient: 4, upright: true},
	{file: "imir1.heic", model: "ycbcr", orient: 2, upright: true},
	{file: "irot90-imir0.heic", model: "ycbcr", orient: 5, upright: true},
	{file: "exif-orient6.heic", model: "ycbcr", orient: 1, upright: true},
	{file: "irot270-exif6.heic", model: "ycbcr", orient: 6, upright: true},
	{file: "grid.heic", model: "ycbcr", orient: 1, upright: true},
	{file: "grid-irot90.heic", model: "ycbcr", orient: 8, upright: true},
	{file: "grid1x1.heic", model: "ycbcr", orient: 1, upright: true},
	{file: "grid/grid-3x2-r3m1.heic", model: "ycbcr", orient: 5, upright: true},
	{file: "grid/grid-nclx.heic", want: ErrUnsupported},      // grid nclx 1, tiles nclx 6
	{file: "grid/grid-tile-nclx.heic", want: ErrUnsupported}, // tiles nclx 1, grid none
	{file: "bomb-60000.heic", want: ErrTooLarge},
	{file: "truncated.heic", want: ErrCorrupt},
	{file: "corrupt-hevc.heic", want: errEither},

	// internal/heif/testdata/native (make.sh): colour from the VUI.
	{file: "native/vui-full601.heic", model: "ycbcr", orient: 1, upright: true},
	{file: "native/vui-lim709.heic", model: "nrgba", orient: 1, upright: true},
	{file: "native/vui-lim2020.heic", model: "nrgba", orient: 1, upright: true},
	{file: "native/vui-none.heic", model: "nrgba", orient: 1, upright: true}, // limited, matrix 2
	// colr nclx overrides the VUI.
	{file: "native/nclx-601full-over-709lim.heic", model: "ycbcr", orient: 1, upright: true},
	{file: "native/nclx-709lim-over-601full.heic", model: "nrgba", orient: 1, upright: true},
	{file: "native/icc.heic", model: "ycbcr", orient: 1, upright: true},
	// Storage.
	{file: "native/idat.heic", model: "ycbcr", orient: 1, upright: true},
	{file: "native/extents3.heic", model: "ycbcr", orient: 1, upright: true},
	{file: "native/lensize2.heic", model: "ycbcr", orient: 1, upright: true},
	{file: "native/lensize1.heic", model: "ycbcr", orient: 1},
	// Transforms.
	{file: "native/clap-even.heic", model: "ycbcr", orient: 1},
	{file: "native/clap-odd.heic", model: "nrgba", orient: 1},
	{file: "native/clap-r1.heic", model: "ycbcr", orient: 8},
	{file: "native/r1-clap.heic", want: ErrUnsupported},
	{file: "native/clap-frac.heic", want: ErrUnsupported},
	{file: "native/m1-r1.heic", model: "ycbcr", orient: 5},
	{file: "native/r3-m0.heic", model: "nrgba", orient: 7},
	// Grids.
	{file: "native/grid-nclx-same.heic", model: "ycbcr", orient: 1},
	{file: "native/grid-lim709-r2.heic", model: "nrgba", orient: 3},
	{file: "native/grid-clap-m0.heic", model: "ycbcr", orient: 4},
	{file: "native/grid-depth.heic", model: "ycbcr", orient: 1},
	{file: "native/grid512.heic", model: "ycbcr", orient: 1, upright: true},
	// Refused.
	{file: "native/alpha.heic", want: ErrUnsupported},
	{file: "native/b10.heic", want: ErrUnsupported},
	// 4:0:0 (RExt monochrome profile): Gray, or refused by the decoder.
	{file: "native/mono.heic", model: "gray", orient: 1, noDecode: true},
}

// orientNRGBA applies EXIF orientation o to img (any model), written out
// case by case from the EXIF definitions (not with the package's tables).
func orientNRGBA(img image.Image, o int) *image.NRGBA {
	r := img.Bounds()
	w, h := r.Dx(), r.Dy()
	ow, oh := w, h
	if o >= 5 {
		ow, oh = h, w
	}
	out := image.NewNRGBA(image.Rect(0, 0, ow, oh))
	for y := range h {
		for x := range w {
			var dx, dy int
			switch o {
			case 1:
				dx, dy = x, y
			case 2: // mirror left-right
				dx, dy = w-1-x, y
			case 3: // rotate 180
				dx, dy = w-1-x, h-1-y
			case 4: // mirror top-bottom
				dx, dy = x, h-1-y
			case 5: // transpose
				dx, dy = y, x
			case 6: // rotate 90 clockwise
				dx, dy = h-1-y, x
			case 7: // transverse
				dx, dy = h-1-y, w-1-x
			case 8: // rotate 90 anti-clockwise
				dx, dy = y, w-1-x
			}
			var c color.NRGBA
			switch m := img.(type) {
			case *image.YCbCr: // the common case, without the interface
				p := m.YCbCrAt(r.Min.X+x, r.Min.Y+y)
				c.R, c.G, c.B = color.YCbCrToRGB(p.Y, p.Cb, p.Cr)
				c.A = 255
			default:
				c = color.NRGBAModel.Convert(img.At(r.Min.X+x, r.Min.Y+y)).(color.NRGBA)
			}
			out.SetNRGBA(dx, dy, c)
		}
	}
	return out
}

// worst returns the largest per-channel difference of two images of the
// same bounds (alpha included) and where it is.
func worst(a, b image.Image) (int, image.Point) {
	m, at := 0, image.Point{}
	r := a.Bounds()
	if p, ok := a.(*image.NRGBA); ok {
		if q, ok := b.(*image.NRGBA); ok && p.Rect == r && q.Rect == r && p.Stride == q.Stride {
			for i := range p.Pix {
				if d := abs(int(p.Pix[i]) - int(q.Pix[i])); d > m {
					m, at = d, image.Pt(r.Min.X+i%p.Stride/4, r.Min.Y+i/p.Stride)
				}
			}
			return m, at
		}
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p := color.NRGBAModel.Convert(a.At(x, y)).(color.NRGBA)
			q := color.NRGBAModel.Convert(b.At(x, y)).(color.NRGBA)
			for _, d := range []int{int(p.R) - int(q.R), int(p.G) - int(q.G), int(p.B) - int(q.B), int(p.A) - int(q.A)} {
				if d < 0 {
					d = -d
				}
				if d > m {
					m, at = d, image.Pt(x, y)
				}
			}
		}
	}
	return m, at
}

// heifConvert decodes b with libheif's heif-convert (libheif 1.15 here),
// or returns nil when the tool is missing or fails on the file.
func heifConvert(t *testing.T, b []byte) image.Image {
	t.Helper()
	tool, err := exec.LookPath("heif-convert")
	if err != nil {
		return nil
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.heic"), filepath.Join(dir, "out.png")
	if err := os.WriteFile(in, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(tool, in, out).CombinedOutput(); err != nil {
		t.Logf("heif-convert fails on this file (%v): %s", err, strings.TrimSpace(string(msg)))
		return nil
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// Tolerances, per channel. Against heif-convert: NRGBA and Gray output use
// libheif 1.15's own arithmetic, so they must match exactly; YCbCr output
// is converted by image/color's JFIF formula (16-bit fixed point), whose
// rounding differs from libheif's float32 by at most 1 (2 allowed).
// Against Decode: gen2brain/heic's conversion itself differs from
// libheif's by up to 1 on these fixtures, so 1 more.
const (
	tolExact     = 0
	tolYCbCr     = 2
	tolDecodeAdd = 1
)

func modelOf(img image.Image) string {
	switch img.(type) {
	case *image.YCbCr:
		return "ycbcr"
	case *image.NRGBA:
		return "nrgba"
	case *image.Gray:
		return "gray"
	}
	return "other"
}

// TestDecodeNativeFixtures: on every fixture, DecodeNative gives the
// promised model and orientation, and after the orientation is applied
// the image equals heif-convert's (when installed) and Decode's within the
// tolerances above; refused files fail with the promised sentinel.
func TestDecodeNativeFixtures(t *testing.T) {
	for _, tt := range nativeTests {
		t.Run(tt.file, func(t *testing.T) {
			b := nativeFixture(t, tt.file)
			orig := slices.Clone(b)
			img, o, err := DecodeNative(context.Background(), b)
			if !bytes.Equal(b, orig) {
				t.Fatal("DecodeNative modified its input")
			}
			if tt.want != nil || err != nil {
				switch {
				case tt.want == errEither && (err == nil || errors.Is(err, ErrCorrupt)):
					return
				case tt.model == "gray" && errors.Is(err, ErrUnsupported):
					t.Skipf("decoder refuses 4:0:0: %v", err)
				case tt.want != nil && errors.Is(err, tt.want):
					t.Logf("refused as promised: %v", err)
					return
				}
				t.Fatalf("DecodeNative error %v, want %v", err, tt.want)
			}
			if got := modelOf(img); got != tt.model {
				t.Errorf("model %s, want %s", got, tt.model)
			}
			if img.Bounds().Min != (image.Point{}) {
				t.Errorf("bounds %v do not start at 0,0", img.Bounds())
			}
			if o != tt.orient {
				t.Errorf("orientation %d, want %d", o, tt.orient)
			}
			shown := orientNRGBA(img, o)
			cfg, err := DecodeConfig(b)
			if err != nil {
				t.Fatal(err)
			}
			if r := shown.Bounds(); r.Dx() != cfg.Width || r.Dy() != cfg.Height {
				t.Fatalf("oriented %v, DecodeConfig %dx%d", r, cfg.Width, cfg.Height)
			}
			if tt.upright {
				if c := corners(shown); c != upright {
					t.Errorf("corners %q, want %q", c, upright)
				}
			}
			tol := tolExact
			if tt.model == "ycbcr" {
				tol = tolYCbCr
			}
			if ref := heifConvert(t, b); ref != nil {
				if ref.Bounds() != shown.Bounds() {
					t.Errorf("heif-convert %v, DecodeNative oriented %v", ref.Bounds(), shown.Bounds())
				} else if d, at := worst(shown, ref); d > tol {
					t.Errorf("differs from heif-convert by %d at %v (tolerance %d)", d, at, tol)
				} else {
					t.Logf("heif-convert: max difference %d", d)
				}
			}
			if tt.noDecode {
				return
			}
			ref, err := Decode(context.Background(), b)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if ref.Bounds() != shown.Bounds() {
				t.Fatalf("Decode %v, DecodeNative oriented %v", ref.Bounds(), shown.Bounds())
			}
			if d, at := worst(shown, ref); d > tol+tolDecodeAdd {
				t.Errorf("differs from Decode by %d at %v (tolerance %d)", d, at, tol+tolDecodeAdd)
			} else {
				t.Logf("Decode: max difference %d", d)
			}
		})
	}
}

// TestDecodeNativeYCbCrShares: the YCbCr output of a single image is the
// decoder's planes (no copy), cropped by clap at an even corner.
func TestDecodeNativeYCbCrShares(t *testing.T) {
	for _, name := range []string{"plain.heic", "native/clap-even.heic"} {
		t.Run(name, func(t *testing.T) {
			b := nativeFixture(t, name)
			l, err := parseNative(b)
			if err != nil {
				t.Fatal(err)
			}
			p, c, err := l.decodeSingle(nil)
			if err != nil {
				t.Fatal(err)
			}
			img, err := p.image(c, l.cropX, l.cropY, l.cropW, l.cropH, 1)
			if err != nil {
				t.Fatal(err)
			}
			y, ok := img.(*image.YCbCr)
			if !ok {
				t.Fatalf("%T, want *image.YCbCr", img)
			}
			if &y.Y[0] != &p.y[l.cropY*p.yStride+l.cropX] || &y.Cb[0] != &p.cb[l.cropY/2*p.cStride+l.cropX/2] {
				t.Error("YCbCr planes are not the decoder's")
			}
		})
	}
}

// TestDecodeNativeCanceled: a canceled context stops DecodeNative before
// it decodes, with the context's error.
func TestDecodeNativeCanceled(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	cause := errors.New("client went away")
	cancel(cause)
	_, _, err := DecodeNative(ctx, nativeFixture(t, "grid.heic"))
	if !errors.Is(err, cause) {
		t.Fatalf("error %v, want the cancel cause", err)
	}
}

// TestDecodeNativeConcurrent: concurrent calls (grids and single images)
// give the same result as a lone call; run with -race.
func TestDecodeNativeConcurrent(t *testing.T) {
	files := []string{"grid.heic", "plain.heic", "native/grid-lim709-r2.heic", "native/vui-lim709.heic"}
	want := make([]*image.NRGBA, len(files))
	for i, f := range files {
		img, o, err := DecodeNative(context.Background(), nativeFixture(t, f))
		if err != nil {
			t.Skipf("%s: %v", f, err)
		}
		want[i] = orientNRGBA(img, o)
	}
	errs := make(chan error, 4*len(files))
	for range 4 {
		for i, f := range files {
			go func() {
				img, o, err := DecodeNative(context.Background(), nativeFixture(t, f))
				if err == nil {
					if d, at := worst(orientNRGBA(img, o), want[i]); d != 0 {
						err = errors.New(f + ": differs from the lone decode at " + at.String())
					}
				}
				errs <- err
			}()
		}
	}
	for range 4 * len(files) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestDecodeNativeCorpus compares DecodeNative with Decode on the
// corpus's 12 MP HEICs (skipped without the corpus, in -short mode and
// under the race detector: Decode takes seconds there).
func TestDecodeNativeCorpus(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("slow")
	}
	for _, name := range []string{"c_12mp.heic", "c2_12mp_grid.heic"} {
		t.Run(name, func(t *testing.T) {
			b, err := corpus.ReadFile(name)
			if err != nil {
				t.Skipf("corpus not found (set MEDIAPREP_CORPUS): %v", err)
			}
			img, o, err := DecodeNative(context.Background(), b)
			if err != nil {
				t.Fatal(err)
			}
			ref, err := Decode(context.Background(), b)
			if err != nil {
				t.Fatal(err)
			}
			shown := orientNRGBA(img, o)
			if shown.Bounds() != ref.Bounds() {
				t.Fatalf("DecodeNative oriented %v, Decode %v", shown.Bounds(), ref.Bounds())
			}
			tol := tolExact + tolDecodeAdd
			if modelOf(img) == "ycbcr" {
				tol = tolYCbCr + tolDecodeAdd
			}
			if d, at := worst(shown, ref); d > tol {
				t.Errorf("differs from Decode by %d at %v (tolerance %d)", d, at, tol)
			} else {
				t.Logf("%s, orientation %d: max difference %d", modelOf(img), o, d)
			}
		})
	}
}

// TestDecodeNativeDamaged: every truncation (in steps) and single-byte
// change of some fixtures gives a typed error or an image, never a panic
// or an untyped error.
func TestDecodeNativeDamaged(t *testing.T) {
	for _, name := range []string{"plain.heic", "grid.heic", "grid1x1.heic", "native/idat.heic", "native/extents3.heic",
		"native/clap-r1.heic", "native/lensize1.heic", "native/grid-clap-m0.heic", "native/grid-depth.heic", "native/mono.heic"} {
		t.Run(name, func(t *testing.T) {
			b := nativeFixture(t, name)
			check := func(what string, in []byte) {
				_, _, err := DecodeNative(context.Background(), in)
				if err != nil && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrTooLarge) {
					t.Fatalf("%s: error %v matches no sentinel", what, err)
				}
			}
			for n := 0; n < len(b); n += 5 {
				check("cut", b[:n])
			}
			for i := 0; i < len(b); i += 3 {
				c := slices.Clone(b)
				c[i] ^= 0x5a
				check("flip", c)
			}
		})
	}
}
