package exif

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
)

// testdata is the repository's top-level fixture folder.
var testdata = filepath.Join("..", "..", "testdata")

func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(testdata, name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestOrientationMethods(t *testing.T) {
	tests := []struct {
		o     Orientation
		name  string
		swaps bool
	}{
		{0, "Orientation(0)", false},
		{Identity, "identity", false},
		{MirrorHorizontal, "mirror-horizontal", false},
		{Rotate180, "rotate-180", false},
		{MirrorVertical, "mirror-vertical", false},
		{Transpose, "transpose", true},
		{Rotate90, "rotate-90-cw", true},
		{Transverse, "transverse", true},
		{Rotate270, "rotate-270-cw", true},
		{9, "Orientation(9)", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.o.String(); got != tt.name {
				t.Errorf("String = %q, want %q", got, tt.name)
			}
			if got := tt.o.SwapsAxes(); got != tt.swaps {
				t.Errorf("SwapsAxes = %v, want %v", got, tt.swaps)
			}
			if got := tt.o.Valid(); got != (tt.o >= 1 && tt.o <= 8) {
				t.Errorf("Valid = %v", got)
			}
			w, h := tt.o.DisplaySize(120, 80)
			if tt.swaps != (w == 80 && h == 120) || (!tt.swaps && (w != 120 || h != 80)) {
				t.Errorf("DisplaySize(120, 80) = %d, %d", w, h)
			}
		})
	}
}

// TestStoredPointIsBijection: for every orientation, StoredPoint maps the
// upright grid onto the stored grid one-to-one.
func TestStoredPointIsBijection(t *testing.T) {
	const sw, sh = 5, 3 // stored size
	for o := Identity; o <= Rotate270; o++ {
		t.Run(o.String(), func(t *testing.T) {
			w, h := o.DisplaySize(sw, sh)
			seen := make(map[[2]int]bool)
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					sx, sy := o.StoredPoint(x, y, w, h)
					if sx < 0 || sx >= sw || sy < 0 || sy >= sh {
						t.Fatalf("StoredPoint(%d, %d) = (%d, %d), outside %dx%d", x, y, sx, sy, sw, sh)
					}
					seen[[2]int{sx, sy}] = true
				}
			}
			if len(seen) != sw*sh {
				t.Fatalf("StoredPoint hits %d of %d stored pixels", len(seen), sw*sh)
			}
		})
	}
}

// TestFixturesUpright reads testdata/orientation_N.jpg (written by
// exiftool, see testdata/README.md): the tag must be N, and reading the
// stored pixels through StoredPoint must show the upright scene, whose
// corners are red (top-left), green (top-right), blue (bottom-left) and
// black (bottom-right). This checks the fixtures, FromJPEG and
// StoredPoint against each other.
func TestFixturesUpright(t *testing.T) {
	corners := []struct {
		name string
		x, y int // in the 120x80 upright scene, inside the 24x24 squares
		want color.RGBA
	}{
		{"top-left", 8, 8, color.RGBA{255, 0, 0, 255}},
		{"top-right", 111, 8, color.RGBA{0, 255, 0, 255}},
		{"bottom-left", 8, 71, color.RGBA{0, 0, 255, 255}},
		{"bottom-right", 111, 71, color.RGBA{0, 0, 0, 255}},
	}
	for n := 1; n <= 8; n++ {
		name := fmt.Sprintf("orientation_%d.jpg", n)
		t.Run(name, func(t *testing.T) {
			b := readFixture(t, name)
			o, err := FromJPEG(b)
			if err != nil || o != Orientation(n) {
				t.Fatalf("FromJPEG = %v, %v; want %d", o, err, n)
			}
			m, err := jpeg.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			sw, sh := m.Bounds().Dx(), m.Bounds().Dy()
			w, h := o.DisplaySize(sw, sh)
			if w != 120 || h != 80 {
				t.Fatalf("upright size %dx%d, want 120x80 (stored %dx%d)", w, h, sw, sh)
			}
			for _, c := range corners {
				sx, sy := o.StoredPoint(c.x, c.y, w, h)
				if got := rgba(m, sx, sy); !near(got, c.want, 40) {
					t.Errorf("%s corner: stored (%d, %d) is %v, want %v", c.name, sx, sy, got, c.want)
				}
			}
		})
	}
}

func rgba(m image.Image, x, y int) color.RGBA {
	r, g, b, a := m.At(m.Bounds().Min.X+x, m.Bounds().Min.Y+y).RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}

func near(a, b color.RGBA, tol int) bool {
	d := func(p, q uint8) bool { return int(p)-int(q) <= tol && int(q)-int(p) <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}
