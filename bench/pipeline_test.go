package bench

import (
	"context"
	"testing"
	"time"

	"github.com/mediaprep/mediaprep/encode"
	"github.com/mediaprep/mediaprep/preprocess"
)

// ours runs the pipeline with the defaults, forcing a re-encode so that
// small inputs measure the same work as the peers.
func ours(data []byte) (*preprocess.Payload, error) {
	return preprocess.PrepareBytes(context.Background(), data, &preprocess.Options{ForceReencode: true})
}

// naive is the imaging peer (see Naive) with the pipeline's defaults.
func naive(data []byte) ([]byte, error) {
	return Naive(data, preprocess.DefaultMaxSide, encode.DefaultQuality)
}

// benchPrepare measures the pipeline alone, with allocations.
func benchPrepare(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var p *preprocess.Payload
	for b.Loop() {
		var err error
		if p, err = ours(data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(p.Data)), "out-bytes")
	b.ReportMetric(float64(p.Passes), "passes")
	b.ReportMetric(float64(p.DecodeScale), "dct-scale")
}

// BenchmarkPrepare runs the whole pipeline on each corpus image and on a
// generated 12 MP JPEG.
func BenchmarkPrepare(b *testing.B) {
	b.Run("synthetic_12mp.jpg", func(b *testing.B) { benchPrepare(b, synthetic(b)) })
	for _, name := range imageCorpus {
		b.Run(name, func(b *testing.B) { benchPrepare(b, corpusFile(b, name)) })
	}
}

// compareNaive alternates ours and the imaging path within one run and
// reports both per-op times and the speed-up (imaging time / ours).
func compareNaive(b *testing.B, data []byte) {
	var tOurs, tPeer time.Duration
	n := 0
	for b.Loop() {
		t := time.Now()
		if _, err := ours(data); err != nil {
			b.Fatal(err)
		}
		tOurs += time.Since(t)
		t = time.Now()
		if _, err := naive(data); err != nil {
			b.Fatal(err)
		}
		tPeer += time.Since(t)
		n++
	}
	b.ReportMetric(ms(tOurs)/float64(n), "ours-ms/op")
	b.ReportMetric(ms(tPeer)/float64(n), "imaging-ms/op")
	b.ReportMetric(float64(tPeer)/float64(tOurs), "speedup")
}

// BenchmarkVsImaging compares the pipeline with imaging's naive path.
func BenchmarkVsImaging(b *testing.B) {
	b.Run("synthetic_12mp.jpg", func(b *testing.B) { compareNaive(b, synthetic(b)) })
	for _, name := range imageCorpus {
		b.Run(name, func(b *testing.B) { compareNaive(b, corpusFile(b, name)) })
	}
}
