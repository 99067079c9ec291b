package hevc

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Fuzz targets for the two entry points. Seeds: every fixture in testdata
// (decodable, refused and damaged streams). Properties: no panic (the
// decoder's recover guard must never fire), an error matching one of the
// package's sentinels or a picture of sane size, and the same planes with
// 1 and 2 workers (row-parallel decoding must not change the result).

// fuzzMaxInput bounds the fuzzed input (bytes).
const fuzzMaxInput = 64 << 10

// fuzzMaxPixels bounds the decoded picture (coded luma samples).
const fuzzMaxPixels = 1 << 20

func fuzzSeeds(f *testing.F) [][]byte {
	f.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", "*.hevc"))
	if err != nil || len(names) == 0 {
		f.Fatalf("no fixtures: %v", err)
	}
	var out [][]byte
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) <= fuzzMaxInput {
			out = append(out, b)
		}
	}
	return out
}

// decodeBoth decodes with 1 and 2 workers through dec and checks the
// properties.
func decodeBoth(t *testing.T, dec func(*Options) (*Picture, error)) {
	var pics [2]*Picture
	var errs [2]error
	for i, workers := range []int{1, 2} {
		pics[i], errs[i] = dec(&Options{Workers: workers, MaxPixels: fuzzMaxPixels})
		if errs[i] != nil && strings.Contains(errs[i].Error(), "decoder panic") {
			t.Fatalf("workers=%d: %v", workers, errs[i])
		}
		checkAny(t, pics[i], errs[i], fuzzMaxPixels)
	}
	if (errs[0] == nil) != (errs[1] == nil) {
		t.Fatalf("workers 1 vs 2: error %v vs %v", errs[0], errs[1])
	}
	if errs[0] != nil {
		return
	}
	a, _, _ := planes(pics[0])
	b, _, _ := planes(pics[1])
	if pics[0].Width != pics[1].Width || pics[0].Height != pics[1].Height {
		t.Fatalf("workers 1 vs 2: size %dx%d vs %dx%d", pics[0].Width, pics[0].Height, pics[1].Width, pics[1].Height)
	}
	for c := range 3 {
		if !bytes.Equal(a[c], b[c]) {
			t.Fatalf("workers 1 vs 2: plane %s differs", planeName[c])
		}
	}
}

func FuzzDecodeAnnexB(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzMaxInput {
			return
		}
		decodeBoth(t, func(o *Options) (*Picture, error) {
			// the decoder may not keep or modify its input between calls
			return DecodeAnnexB(bytes.Clone(data), o)
		})
	})
}

// FuzzDecode fuzzes the HEIF entry point: params holds the parameter sets
// as an Annex B stream (split by the test), data the length-prefixed NAL
// units, lengthSize selects 1, 2 or 4 (other values must be refused).
func FuzzDecode(f *testing.F) {
	for i, s := range fuzzSeeds(f) {
		if i%3 != 0 {
			continue // FuzzDecodeAnnexB covers the same streams
		}
		params, rest := splitParams(testSplitAnnexB(s))
		var pb []byte
		for _, p := range params {
			pb = append(pb, 0, 0, 0, 1)
			pb = append(pb, p...)
		}
		size := []int{4, 2, 1}[i/3%3]
		data, ok := lengthPrefix(rest, size)
		if !ok {
			size = 4
			data, _ = lengthPrefix(rest, size)
		}
		f.Add(pb, data, uint8(size))
	}
	f.Fuzz(func(t *testing.T, pb, data []byte, size uint8) {
		if len(pb)+len(data) > fuzzMaxInput {
			return
		}
		params := testSplitAnnexB(pb)
		decodeBoth(t, func(o *Options) (*Picture, error) {
			ps := make([][]byte, len(params))
			for i, p := range params {
				ps[i] = bytes.Clone(p)
			}
			return Decode(ps, bytes.Clone(data), int(size), o)
		})
	})
}

// TestDecodeMutations decodes deterministic random mutations of the
// fixtures (bit flips, overwritten bytes, truncation, a repeated or removed
// chunk, zeroed ranges) with 1 and 2 workers, each under a deadline: the
// fuzz properties, plus termination, which go test -fuzz cannot check
// (it has no per-input timeout). A hang fails with the input written to
// the temp dir and the goroutine stacks.
func TestDecodeMutations(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("testdata", "*.hevc"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	n := 250
	if testing.Short() {
		n = 60
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := range n {
		name := names[rng.IntN(len(names))]
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(src) < 16 {
			continue
		}
		b := mutate(rng, bytes.Clone(src))
		for _, workers := range []int{1, 2} {
			done := make(chan struct{})
			var pic *Picture
			go func() {
				defer close(done)
				pic, err = DecodeAnnexB(b, &Options{Workers: workers, MaxPixels: fuzzMaxPixels})
			}()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				fn := filepath.Join(os.TempDir(), "hevc-hang.hevc")
				_ = os.WriteFile(fn, b, 0o644)
				stack := make([]byte, 1<<20)
				stack = stack[:runtime.Stack(stack, true)]
				t.Fatalf("mutation %d of %s, workers=%d: no result after 20 s; input written to %s\n%s",
					iter, name, workers, fn, stack[:min(len(stack), 16000)])
			}
			if err != nil && strings.Contains(err.Error(), "decoder panic") {
				t.Fatalf("mutation %d of %s, workers=%d: %v", iter, name, workers, err)
			}
			checkAny(t, pic, err, fuzzMaxPixels)
		}
	}
}

// mutate applies one to four random edits to b, mostly after its first
// quarter (where the slice data is).
func mutate(rng *rand.Rand, b []byte) []byte {
	pos := func() int { return len(b)/4 + rng.IntN(len(b)-len(b)/4) }
	for range 1 + rng.IntN(4) {
		if len(b) < 16 {
			break
		}
		switch rng.IntN(6) {
		case 0, 1: // flip bits
			for range 1 + rng.IntN(8) {
				b[pos()] ^= 1 << rng.IntN(8)
			}
		case 2: // overwrite a byte anywhere (headers too)
			b[rng.IntN(len(b))] = byte(rng.IntN(256))
		case 3: // truncate
			b = b[:pos()]
		case 4: // repeat or remove a chunk
			i := pos()
			j := min(len(b), i+1+rng.IntN(64))
			if rng.IntN(2) == 0 {
				b = append(b[:j:j], append(bytes.Clone(b[i:j]), b[j:]...)...)
			} else {
				b = append(b[:i:i], b[j:]...)
			}
		case 5: // zero a range
			i := pos()
			clear(b[i:min(len(b), i+1+rng.IntN(32))])
		}
	}
	return b
}
