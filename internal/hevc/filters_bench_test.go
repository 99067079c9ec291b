package hevc

// Benchmarks of the in-loop filters over a
// synthetic 12 MP (4032x3024, CTB 64) 4:2:0 picture.

import (
	"fmt"
	"math/rand"
	"sync"
	"testing"
	"time"
)

var (
	benchFilterOnce  sync.Once
	benchFilterFrame *frame
	benchFilterSrc   [3][]uint8
)

// benchFilterPicture returns the shared benchmark frame (one slice,
// deblocking and SAO on, random TU quadtree and SAO parameters) and a copy
// of its initial planes.
func benchFilterPicture() (*frame, [3][]uint8) {
	benchFilterOnce.Do(func() {
		rng := rand.New(rand.NewSource(12))
		f := lftFrame(rng, lftConfig{w: 4032, h: 3024, log2Ctb: 6, chroma: 1, nSlices: 1})
		sh := f.slices[0]
		sh.DeblockingDisabled, sh.SAOLuma, sh.SAOChroma = false, true, true
		sh.BetaOffsetDiv2, sh.TcOffsetDiv2 = 0, 0
		benchFilterFrame = f
		for c := 0; c < 3; c++ {
			benchFilterSrc[c] = append([]uint8(nil), f.planes[c]...)
		}
	})
	return benchFilterFrame, benchFilterSrc
}

// benchFilter times run(f, workers) on the benchmark picture, restoring
// the input planes (untimed) before each run. It reports ns per luma pixel
// and the ratio to a plain copy of the three planes measured in the same
// run (the cheapest possible pass over the picture).
func benchFilter(b *testing.B, workers int, run func(f *frame, workers int)) {
	f, src := benchFilterPicture()
	restore := func() {
		for c := 0; c < 3; c++ {
			copy(f.planes[c], src[c])
		}
	}
	// Baseline: one copy of all planes.
	var copyNs float64
	for i := 0; i < 3; i++ {
		t0 := time.Now()
		restore()
		d := float64(time.Since(t0).Nanoseconds())
		if i == 0 || d < copyNs {
			copyNs = d
		}
	}
	pixels := f.w * f.h
	b.SetBytes(int64(pixels * 3 / 2))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		restore()
		b.StartTimer()
		run(f, workers)
	}
	b.StopTimer()
	perRun := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(perRun/float64(pixels), "ns/pixel")
	b.ReportMetric(perRun/copyNs, "x-copy")
	restore()
}

func BenchmarkDeblock(b *testing.B) {
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("4032x3024/workers=%d", w), func(b *testing.B) {
			benchFilter(b, w, func(f *frame, w int) { f.deblock(w) })
		})
	}
}

func BenchmarkSAO(b *testing.B) {
	defer func(k saoKernels) { saoK = k }(saoK)
	for _, k := range saoKernelList {
		for _, w := range []int{1, 2} {
			b.Run(fmt.Sprintf("4032x3024/%s/workers=%d", k.name, w), func(b *testing.B) {
				saoK = k
				benchFilter(b, w, func(f *frame, w int) { f.applySAO(w) })
			})
		}
	}
}
