package heif

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/mediaprep/mediaprep/internal/jpegdec"
)

// BenchmarkDecodeNativeBuf decodes the corpus's 12 MP HEICs with
// DecodeNativeBuf, handing each decode the backing of the previous image
// (jpegdec.Backing, as preprocess's pool does), and reports the bytes
// allocated per decode (B/op) and their ratio to DecodeNative's, measured
// in the same run over 3 decodes (x-alloc-DecodeNative < 1 means less).
func BenchmarkDecodeNativeBuf(b *testing.B) {
	for _, name := range []string{"c_12mp.heic", "c2_12mp_grid.heic"} {
		b.Run(strings.TrimSuffix(name, ".heic"), func(b *testing.B) {
			data := corpusFile(b, name)
			allocated := func(n int, decode func()) float64 {
				var m0, m1 runtime.MemStats
				runtime.ReadMemStats(&m0)
				for range n {
					decode()
				}
				runtime.ReadMemStats(&m1)
				return float64(m1.TotalAlloc-m0.TotalAlloc) / float64(n)
			}
			base := allocated(3, func() {
				if _, _, err := DecodeNative(context.Background(), data); err != nil {
					b.Fatal(err)
				}
			})
			var buf []byte
			decode := func() {
				img, _, err := DecodeNativeBuf(context.Background(), data, buf)
				if err != nil {
					b.Fatal(err)
				}
				buf = jpegdec.Backing(img)
			}
			decode() // the first decode allocates the buffer
			if buf == nil {
				b.Fatal("the image's backing is not recoverable")
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			b.ResetTimer()
			var total float64
			n := 0
			for b.Loop() {
				total += allocated(1, decode)
				n++
			}
			b.ReportMetric(total/float64(n)/base, "x-alloc-DecodeNative")
			b.ReportMetric(base/1e6, "DecodeNative-MB/op")
		})
	}
}
