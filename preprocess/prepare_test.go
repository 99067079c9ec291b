package preprocess_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "golang.org/x/image/webp"

	"github.com/mediaprep/mediaprep/encode"
	"github.com/mediaprep/mediaprep/internal/heif"
	"github.com/mediaprep/mediaprep/preprocess"
)

const testdata = "../testdata"

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdata, name))
	require.NoError(t, err)
	return b
}

// decodeOutput decodes a payload as its declared MIME type and fails the
// test when the bytes are not of that type.
func decodeOutput(t testing.TB, p *preprocess.Payload) image.Image {
	t.Helper()
	if p.MIMEType == "image/heic" {
		img, err := heif.Decode(context.Background(), p.Data)
		require.NoError(t, err)
		return img
	}
	img, format, err := image.Decode(bytes.NewReader(p.Data))
	require.NoError(t, err, "output does not decode")
	require.Equal(t, p.MIMEType, "image/"+format, "output is not the declared MIME type")
	return img
}

// checkProperties asserts what every image payload must satisfy.
func checkProperties(t testing.TB, p *preprocess.Payload, opts *preprocess.Options) image.Image {
	t.Helper()
	maxSide, budget := preprocess.DefaultMaxSide, encode.DefaultMaxBase64
	if opts != nil && opts.MaxSide > 0 {
		maxSide = opts.MaxSide
	}
	if opts != nil && opts.MaxBase64 > 0 {
		budget = opts.MaxBase64
	}
	img := decodeOutput(t, p)
	b := img.Bounds()
	assert.Equal(t, p.Width, b.Dx(), "Payload.Width")
	assert.Equal(t, p.Height, b.Dy(), "Payload.Height")
	assert.LessOrEqual(t, max(b.Dx(), b.Dy()), maxSide, "longer side")
	assert.LessOrEqual(t, p.DataURILen(), budget, "data URI length")
	var uri bytes.Buffer
	n, err := p.WriteDataURI(&uri)
	require.NoError(t, err)
	assert.Equal(t, int64(p.DataURILen()), n)
	assert.Equal(t, p.DataURILen(), uri.Len())

	// Aspect ratio kept within one pixel, after orientation.
	iw, ih := p.InputWidth, p.InputHeight
	if p.Orientation >= 5 {
		iw, ih = ih, iw
	}
	if p.HEICTransform {
		// irot 90/270 swaps axes; compare whichever matches.
		if (iw > ih) != (b.Dx() > b.Dy()) {
			iw, ih = ih, iw
		}
	}
	wantH := float64(b.Dx()) * float64(ih) / float64(iw)
	assert.InDelta(t, wantH, float64(b.Dy()), 1.0, "aspect ratio: %dx%d from %dx%d", b.Dx(), b.Dy(), iw, ih)
	return img
}

// Every fixture that is a valid image must come out within the limits.
func TestPrepareFixtureProperties(t *testing.T) {
	fixtures := []string{
		"orientation_1.jpg", "orientation_6.jpg", "photo_2400x1800.jpg", "orient6_2400x1800.jpg",
		"small_640x480.jpg", "small_640x480.png", "small_640x480.webp",
		"jpeg_422.jpg", "jpeg_444.jpg", "jpeg_cmyk.jpg", "jpeg_gray.jpg", "jpeg_progressive.jpg",
		"jpeg_restart.jpg", "jpeg_exif_gps.jpg",
		"png_exif_orient6.png", "png_gray.png", "png_gray_alpha.png", "png_palette.png",
		"png_palette_trns.png", "png_rgb16.png", "png_rgba.png",
		"webp_exif_orient6.webp", "webp_lossless_alpha.webp", "webp_lossy.webp",
		"image.bmp", "image.gif", "animated.gif", "image.tiff",
		"heic/plain.heic", "heic/irot90.heic", "heic/irot270-exif6.heic",
	}
	optsList := []*preprocess.Options{
		nil,
		{MaxSide: 100, ForceReencode: true},
		{MaxSide: 1000, MaxBase64: 30_000},
	}
	for _, name := range fixtures {
		for i, opts := range optsList {
			t.Run(fmt.Sprintf("%s/opts%d", name, i), func(t *testing.T) {
				p, err := preprocess.PrepareBytes(context.Background(), readFixture(t, name), opts)
				require.NoError(t, err)
				checkProperties(t, p, opts)
			})
		}
	}
}

// The upright scene has red, green, blue and black squares in its top-left,
// top-right, bottom-left and bottom-right corners (testdata/README.md).
func checkCorners(t *testing.T, img image.Image) {
	t.Helper()
	b := img.Bounds()
	at := func(fx, fy float64) color.RGBA {
		c := color.RGBAModel.Convert(img.At(b.Min.X+int(fx*float64(b.Dx())), b.Min.Y+int(fy*float64(b.Dy())))).(color.RGBA)
		return c
	}
	near := func(name string, got color.RGBA, r, g, b uint8) {
		d := func(a, b uint8) int { return max(int(a)-int(b), int(b)-int(a)) }
		if d(got.R, r) > 60 || d(got.G, g) > 60 || d(got.B, b) > 60 {
			t.Errorf("%s corner is %v, want about (%d,%d,%d)", name, got, r, g, b)
		}
	}
	near("top-left", at(0.08, 0.1), 255, 0, 0)
	near("top-right", at(0.92, 0.1), 0, 255, 0)
	near("bottom-left", at(0.08, 0.9), 0, 0, 255)
	near("bottom-right", at(0.92, 0.9), 0, 0, 0)
}

func TestPrepareOrientation(t *testing.T) {
	for n := 1; n <= 8; n++ {
		for _, opts := range []*preprocess.Options{nil, {MaxSide: 60}} {
			t.Run(fmt.Sprintf("orientation_%d/small=%v", n, opts != nil), func(t *testing.T) {
				p, err := preprocess.PrepareBytes(context.Background(), readFixture(t, fmt.Sprintf("orientation_%d.jpg", n)), opts)
				require.NoError(t, err)
				assert.Equal(t, n, p.Orientation)
				assert.Equal(t, n == 1 && opts == nil, p.Passthrough)
				img := checkProperties(t, p, opts)
				assert.Greater(t, img.Bounds().Dx(), img.Bounds().Dy(), "upright scene is landscape")
				checkCorners(t, img)
			})
		}
	}
}

func TestPrepareOrientationOtherContainers(t *testing.T) {
	for _, name := range []string{"png_exif_orient6.png", "webp_exif_orient6.webp"} {
		t.Run(name, func(t *testing.T) {
			p, err := preprocess.PrepareBytes(context.Background(), readFixture(t, name), nil)
			require.NoError(t, err)
			assert.Equal(t, 6, p.Orientation)
			assert.False(t, p.Passthrough)
			assert.Equal(t, "image/jpeg", p.MIMEType)
			assert.Equal(t, p.InputWidth, p.Height, "orientation 6 swaps the axes")
		})
	}
}

func TestPrepareHEICTransformsAppliedOnce(t *testing.T) {
	// irot270-exif6.heic carries both an irot and a disagreeing EXIF
	// orientation 6: only irot may be applied (testdata/README.md).
	for _, name := range []string{"heic/irot90.heic", "heic/irot270-exif6.heic", "heic/irot180.heic"} {
		t.Run(name, func(t *testing.T) {
			p, err := preprocess.PrepareBytes(context.Background(), readFixture(t, name), nil)
			require.NoError(t, err)
			assert.True(t, p.HEICTransform)
			assert.Equal(t, 1, p.Orientation, "EXIF is never applied to HEIC")
			assert.False(t, p.Passthrough)
			checkCorners(t, decodeOutput(t, p))
		})
	}
}

func TestPreparePassthrough(t *testing.T) {
	for _, c := range []struct{ name, mime string }{
		{"small_640x480.jpg", "image/jpeg"},
		{"small_640x480.png", "image/png"},
		{"small_640x480.webp", "image/webp"},
		{"heic/plain.heic", "image/heic"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := readFixture(t, c.name)
			p, err := preprocess.Prepare(context.Background(), bytes.NewReader(in), nil)
			require.NoError(t, err)
			assert.True(t, p.Passthrough)
			assert.Equal(t, c.mime, p.MIMEType)
			assert.Equal(t, in, p.Data, "byte for byte")
			assert.Zero(t, p.Quality)

			p, err = preprocess.PrepareBytes(context.Background(), in, &preprocess.Options{ForceReencode: true})
			require.NoError(t, err)
			assert.False(t, p.Passthrough)
			assert.Equal(t, "image/jpeg", p.MIMEType)
			assert.Equal(t, encode.DefaultQuality, p.Quality)
		})
	}
}

func TestPrepareNoEXIFInOutput(t *testing.T) {
	p, err := preprocess.PrepareBytes(context.Background(), readFixture(t, "jpeg_exif_gps.jpg"), &preprocess.Options{ForceReencode: true})
	require.NoError(t, err)
	assert.False(t, bytes.Contains(p.Data, []byte("Exif\x00\x00")), "re-encoded output carries EXIF")
}

func TestPrepareDownscale(t *testing.T) {
	p, err := preprocess.PrepareBytes(context.Background(), readFixture(t, "photo_2400x1800.jpg"), nil)
	require.NoError(t, err)
	assert.Equal(t, 1920, p.Width)
	assert.Equal(t, 1440, p.Height)
	assert.InDelta(t, 0.8, p.Scale, 0.001)
	assert.Equal(t, preprocess.JPEG, p.InputFormat)
	assert.Equal(t, 2400, p.InputWidth)
	assert.Positive(t, p.Passes)
	assert.Positive(t, p.Timings.Total)

	p, err = preprocess.PrepareBytes(context.Background(), readFixture(t, "orient6_2400x1800.jpg"), nil)
	require.NoError(t, err)
	assert.Equal(t, 1440, p.Width)
	assert.Equal(t, 1920, p.Height)
}

func TestPrepareBudget(t *testing.T) {
	opts := &preprocess.Options{MaxBase64: 60_000}
	p, err := preprocess.PrepareBytes(context.Background(), readFixture(t, "photo_2400x1800.jpg"), opts)
	require.NoError(t, err)
	checkProperties(t, p, opts)
	assert.Less(t, p.Quality, encode.DefaultQuality)

	_, err = preprocess.PrepareBytes(context.Background(), readFixture(t, "photo_2400x1800.jpg"), &preprocess.Options{MaxBase64: 200})
	require.ErrorIs(t, err, encode.ErrBudget)
	var be *encode.BudgetError
	require.ErrorAs(t, err, &be)
	assert.Greater(t, be.Smallest, 200)
}

func TestPrepareErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		opts *preprocess.Options
		want error
	}{
		{"empty", nil, nil, preprocess.ErrUnsupportedFormat},
		{"text", []byte("hello, world\n"), nil, preprocess.ErrUnsupportedFormat},
		{"svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`), nil, preprocess.ErrUnsupportedFormat},
		{"input too large", readFixture(t, "small_640x480.jpg"), &preprocess.Options{MaxInputBytes: 1000}, preprocess.ErrTooLarge},
		{"pixel limit", readFixture(t, "photo_2400x1800.jpg"), &preprocess.Options{MaxPixels: 2400*1800 - 1}, preprocess.ErrTooManyPixels},
		{"negative option", readFixture(t, "small_640x480.jpg"), &preprocess.Options{MaxSide: -1}, preprocess.ErrInvalidOptions},
		{"quality over 100", readFixture(t, "small_640x480.jpg"), &preprocess.Options{Quality: 101}, preprocess.ErrInvalidOptions},
	}
	for _, bad := range []string{"truncated.jpg", "corrupt.jpg", "truncated.png", "truncated.webp", "truncated.gif", "truncated.tiff", "truncated.bmp"} {
		tests = append(tests, struct {
			name string
			in   []byte
			opts *preprocess.Options
			want error
		}{bad, readFixture(t, bad), nil, preprocess.ErrCorrupt})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := preprocess.PrepareBytes(context.Background(), tt.in, tt.opts)
			require.ErrorIs(t, err, tt.want)
			assert.Nil(t, p)
			p, err = preprocess.Prepare(context.Background(), bytes.NewReader(tt.in), tt.opts)
			require.ErrorIs(t, err, tt.want)
			assert.Nil(t, p)
		})
	}
}

func TestPrepareUnsupportedNamesWhatWasSeen(t *testing.T) {
	_, err := preprocess.PrepareBytes(context.Background(), []byte("hello"), nil)
	var ue *preprocess.UnsupportedFormatError
	require.ErrorAs(t, err, &ue)
	assert.NotEmpty(t, ue.Seen)
}

func TestPrepareBombs(t *testing.T) {
	bombs, err := filepath.Glob(filepath.Join(testdata, "bomb*"))
	require.NoError(t, err)
	heicBombs, err := filepath.Glob(filepath.Join(testdata, "heic", "bomb*"))
	require.NoError(t, err)
	bombs = append(bombs, heicBombs...)
	require.Greater(t, len(bombs), 5)
	for _, path := range bombs {
		t.Run(filepath.Base(path), func(t *testing.T) {
			in, err := os.ReadFile(path)
			require.NoError(t, err)
			_, err = preprocess.PrepareBytes(context.Background(), in, nil)
			require.ErrorIs(t, err, preprocess.ErrTooManyPixels)
			var pe *preprocess.PixelLimitError
			require.ErrorAs(t, err, &pe)
			assert.Greater(t, int64(pe.Width)*int64(pe.Height), pe.Limit)
		})
	}
}

func TestPrepareContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := preprocess.PrepareBytes(ctx, readFixture(t, "photo_2400x1800.jpg"), nil)
	require.ErrorIs(t, err, context.Canceled)
}

// Prepare is safe for concurrent use (run with -race).
func TestPrepareConcurrent(t *testing.T) {
	names := []string{"photo_2400x1800.jpg", "orientation_6.jpg", "png_rgba.png", "webp_lossy.webp", "small_640x480.jpg"}
	want := map[string][]byte{}
	for _, n := range names {
		p, err := preprocess.PrepareBytes(context.Background(), readFixture(t, n), nil)
		require.NoError(t, err)
		want[n] = p.Data
	}
	var wg sync.WaitGroup
	for i := range 3 * len(names) {
		wg.Add(1)
		go func(n string) {
			defer wg.Done()
			p, err := preprocess.PrepareBytes(context.Background(), readFixture(t, n), nil)
			if assert.NoError(t, err) {
				assert.Equal(t, want[n], p.Data, "%s: output differs between runs", n)
			}
		}(names[i%len(names)])
	}
	wg.Wait()
}
