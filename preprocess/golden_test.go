package preprocess_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mediaprep/mediaprep/preprocess"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const goldenDir = "testdata/golden"

// decision is what Prepare decided for one input: stable across runs and
// machines (no bytes, no timings), so any change to it is deliberate.
type decision struct {
	Input       string `json:"input"`
	Format      string `json:"format,omitempty"`
	InputSize   string `json:"input_size,omitempty"`
	Orientation int    `json:"orientation,omitempty"`
	HEICTransf  bool   `json:"heic_transform,omitempty"`
	Passthrough bool   `json:"passthrough,omitempty"`
	MIME        string `json:"mime,omitempty"`
	OutputSize  string `json:"output_size,omitempty"`
	Quality     int    `json:"quality,omitempty"`
	DecodeScale int    `json:"decode_scale,omitempty"`
	Error       string `json:"error,omitempty"`
}

// TestGoldenDecisions runs every image fixture through Prepare with the
// defaults and compares the decisions with testdata/golden/decisions.json
// (go test -run TestGoldenDecisions ./preprocess -update rewrites it).
func TestGoldenDecisions(t *testing.T) {
	var names []string
	for _, glob := range []string{"*.*", "heic/*.heic"} {
		m, err := filepath.Glob(filepath.Join(testdata, glob))
		require.NoError(t, err)
		names = append(names, m...)
	}
	var got []decision
	for _, path := range names {
		switch filepath.Ext(path) {
		case ".md", ".sh":
			continue
		}
		in, err := os.ReadFile(path)
		require.NoError(t, err)
		rel, _ := filepath.Rel(testdata, path)
		d := decision{Input: filepath.ToSlash(rel)}
		p, err := preprocess.PrepareBytes(context.Background(), in, nil)
		if err != nil {
			d.Error = errorClass(err)
		} else {
			d.Format = string(p.InputFormat)
			d.InputSize = fmt.Sprintf("%dx%d", p.InputWidth, p.InputHeight)
			d.Orientation = p.Orientation
			d.HEICTransf = p.HEICTransform
			d.Passthrough = p.Passthrough
			d.MIME = p.MIMEType
			d.OutputSize = fmt.Sprintf("%dx%d", p.Width, p.Height)
			d.Quality = p.Quality
			if p.DecodeScale > 1 {
				d.DecodeScale = p.DecodeScale
			}
		}
		got = append(got, d)
	}
	b, err := json.MarshalIndent(got, "", "  ")
	require.NoError(t, err)
	compareGolden(t, "decisions.json", append(b, '\n'))
}

func errorClass(err error) string {
	for _, k := range []error{preprocess.ErrUnsupportedFormat, preprocess.ErrTooLarge, preprocess.ErrTooManyPixels, preprocess.ErrCorrupt} {
		if errors.Is(err, k) {
			return k.Error()
		}
	}
	return "other: " + err.Error()
}

func compareGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		require.NoError(t, os.MkdirAll(goldenDir, 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run with -update")
	assert.Equal(t, string(want), string(got), "%s changed; if on purpose, run: go test ./preprocess -run %s -update", path, t.Name())
}

// TestGoldenPixels compares re-encoded outputs with golden PNGs within a
// tolerance (PSNR ≥ 40 dB: JPEG is lossy and the encoder may change; a
// wrong orientation or colour is far below 20 dB).
func TestGoldenPixels(t *testing.T) {
	for _, name := range []string{"orientation_5.jpg", "orientation_8.jpg", "png_rgba.png", "webp_exif_orient6.webp", "heic/irot90-imir0.heic", "jpeg_cmyk.jpg"} {
		t.Run(name, func(t *testing.T) {
			p, err := preprocess.PrepareBytes(context.Background(), readFixture(t, name), &preprocess.Options{ForceReencode: true, Quality: 95})
			require.NoError(t, err)
			img := decodeOutput(t, p)
			golden := filepath.Base(name) + ".png"
			if *update {
				var buf bytes.Buffer
				require.NoError(t, png.Encode(&buf, img))
				compareGolden(t, golden, buf.Bytes())
				return
			}
			f, err := os.Open(filepath.Join(goldenDir, golden))
			require.NoError(t, err, "missing golden file; run with -update")
			defer f.Close()
			want, err := png.Decode(f)
			require.NoError(t, err)
			require.Equal(t, want.Bounds(), img.Bounds())
			assert.GreaterOrEqual(t, psnr(want, img), 40.0)
		})
	}
}

// psnr compares two images of the same bounds on their 8-bit RGB values.
func psnr(a, b image.Image) float64 {
	var se float64
	var n int
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ar, ag, ab, _ := a.At(x, y).RGBA()
			br, bg, bb, _ := b.At(x, y).RGBA()
			for _, d := range []float64{float64(ar>>8) - float64(br>>8), float64(ag>>8) - float64(bg>>8), float64(ab>>8) - float64(bb>>8)} {
				se += d * d
			}
			n += 3
		}
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(se/float64(n)))
}
