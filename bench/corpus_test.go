package bench

import (
	"bytes"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/mediaprep/mediaprep/internal/corpus"
)

// corpusDir returns the corpus folder, or "" when it is absent.
func corpusDir() string {
	dir := corpus.Dir()
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST.md")); err != nil {
		return ""
	}
	return dir
}

// corpusFile reads a corpus file or skips the benchmark.
func corpusFile(b *testing.B, name string) []byte {
	b.Helper()
	dir := corpusDir()
	if dir == "" {
		b.Skip("corpus not found (set MEDIAPREP_CORPUS)")
	}
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		b.Skipf("corpus file: %v", err)
	}
	return data
}

// The images of the corpus that the pipeline turns into JPEG payloads.
var imageCorpus = []string{
	"a_12mp_q92.jpg", "b_12mp_q92_orient6.jpg", "f_24mp_q92.jpg", "h_1280x960_q85.jpg",
	"c_12mp.heic", "c2_12mp_grid.heic", "d_12mp_q80.webp",
	"e_a4scan_2480x3508.png", "e2_a4clean_2480x3508.png",
}

var (
	syntheticOnce sync.Once
	syntheticJPEG []byte
)

// synthetic returns a 4032×3024 photo-like JPEG (q92, 4:2:0) generated in
// memory, so the pipeline benchmarks run without the corpus (as in CI).
func synthetic(b *testing.B) []byte {
	b.Helper()
	syntheticOnce.Do(func() {
		const w, h = 4032, 3024
		img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
		r := rand.New(rand.NewPCG(1, 2))
		for y := range h {
			for x := range w {
				// Smooth gradients plus fine noise, roughly as compressible as a photo.
				img.Y[y*img.YStride+x] = uint8((x*255/w+y*255/h)/2) ^ uint8(r.IntN(24))
			}
		}
		for y := range h / 2 {
			for x := range w / 2 {
				i := y*img.CStride + x
				img.Cb[i] = uint8(96 + x*64/(w/2))
				img.Cr[i] = uint8(160 - y*64/(h/2))
			}
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 92}); err != nil {
			panic(err)
		}
		syntheticJPEG = buf.Bytes()
	})
	return syntheticJPEG
}
