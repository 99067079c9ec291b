package exif

import (
	"bytes"
	"image/jpeg"
	"testing"
)

// benchmarkReader measures one reader on one fixture. Its cost does not
// depend on the image data, so MB/s (over the whole file) grows with the
// file size; ns/op and allocs/op are the figures to watch.
func benchmarkReader(b *testing.B, read func([]byte) (Orientation, error), file string, want Orientation) {
	data := readFixture(b, file)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		o, err := read(data)
		if err != nil || o != want {
			b.Fatalf("= %v, %v; want %v", o, err, want)
		}
	}
}

// BenchmarkFromJPEG includes, as the baseline, image/jpeg.DecodeConfig on
// the same file: the header read the pipeline does anyway. FromJPEG
// should cost a small fraction of it.
func BenchmarkFromJPEG(b *testing.B) {
	b.Run("orient6_2400x1800", func(b *testing.B) { benchmarkReader(b, FromJPEG, "orient6_2400x1800.jpg", Rotate90) })
	b.Run("noexif_2400x1800", func(b *testing.B) { benchmarkReader(b, FromJPEG, "photo_2400x1800.jpg", Identity) })
	b.Run("baseline=jpeg.DecodeConfig/orient6_2400x1800", func(b *testing.B) {
		data := readFixture(b, "orient6_2400x1800.jpg")
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := jpeg.DecodeConfig(bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkFromPNG(b *testing.B) {
	b.Run("orient6_120x160", func(b *testing.B) { benchmarkReader(b, FromPNG, "png_exif_orient6.png", Rotate90) })
}

func BenchmarkFromWebP(b *testing.B) {
	b.Run("orient6_120x160", func(b *testing.B) { benchmarkReader(b, FromWebP, "webp_exif_orient6.webp", Rotate90) })
}

// TestZeroAllocs guards the zero-allocation promise of the success
// paths.
func TestZeroAllocs(t *testing.T) {
	for _, tt := range []struct {
		name string
		read func([]byte) (Orientation, error)
		file string
	}{
		{"FromJPEG", FromJPEG, "orient6_2400x1800.jpg"},
		{"FromJPEG no EXIF", FromJPEG, "photo_2400x1800.jpg"},
		{"FromPNG", FromPNG, "png_exif_orient6.png"},
		{"FromWebP", FromWebP, "webp_exif_orient6.webp"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := readFixture(t, tt.file)
			if n := testing.AllocsPerRun(100, func() { _, _ = tt.read(data) }); n != 0 {
				t.Fatalf("%v allocations per call, want 0", n)
			}
		})
	}
}
