package pdf

import (
	"bytes"
	"image"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
)

// noiseScanPDF builds, on the fly, a PDF of n pages each holding a w×h JPEG
// of grey noise over a gradient: incompressible, like a noisy scan, so the
// file is large for its pixel count. Deterministic.
func noiseScanPDF(t testing.TB, n, w, h int) []byte {
	t.Helper()
	setup()
	rng := rand.New(rand.NewPCG(1, 2))
	var imgs []io.Reader
	for range n {
		m := image.NewGray(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				m.Pix[y*m.Stride+x] = uint8(128 + x*64/w + rng.IntN(64))
			}
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 95}); err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, &buf)
	}
	var out bytes.Buffer
	if err := api.ImportImages(nil, &out, imgs, pdfcpu.DefaultImportConfig(), newConfig()); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
