package hevc

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gen2brain/heic"
)

// BenchmarkDecode decodes the HEIC photos of the benchmark corpus
// ($MEDIAPREP_CORPUS, else <repo>/../shared/corpus; skipped when absent):
// for each file, gen2brain/heic's whole-file decode (the baseline, measured
// first in the same run: "gen2brain-wasm", and "gen2brain-libheif" when
// its dynamic mode found a system libheif), then ours: the first tile (or
// the single image) with 1 and 2 workers; tile0/speedup, a serial and a
// 2-worker decode of it alternated in every iteration (both under the same
// machine load), reporting the WPP speed-up; and the whole image (all
// tiles, decoded by `workers` goroutines with one worker each, or the
// single image with `workers`). Reported: ms/op, MB/s of coded HEVC data,
// Mpx/s, allocations, x_gen2brain = our time / the wasm baseline's,
// x_libheif = our time / gen2brain's with the system libheif (C, via
// purego; only without the nodynamic tag and when libheif is installed)
// and x_speedup = serial time / 2-worker time. gen2brain's times include
// its HEIF parsing and grid assembly, ours do not (decoding only).
//
//	go test ./internal/hevc -run '^$' -bench Decode -benchtime 3x -count 3
//	go test -tags wasm2go,nodynamic ./internal/hevc -run '^$' -bench Decode -benchtime 3x
func BenchmarkDecode(b *testing.B) {
	dir := corpusDir()
	names, _ := filepath.Glob(filepath.Join(dir, "*.heic"))
	if len(names) == 0 {
		b.Skipf("no HEIC files in %s (set MEDIAPREP_CORPUS)", dir)
	}
	sort.Strings(names)
	for _, path := range names {
		file, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		tiles, err := heifTiles(file)
		if err != nil {
			b.Fatalf("%s: %v", path, err)
		}
		name := strings.TrimSuffix(filepath.Base(path), ".heic")
		b.Run(name, func(b *testing.B) { benchFile(b, file, tiles) })
	}
}

func benchFile(b *testing.B, file []byte, tiles []heifTile) {
	var baseline, libheif float64 // ns/op of gen2brain (wasm; dynamic libheif)
	var pixels int64
	coded := 0
	for _, t := range tiles {
		coded += len(t.data)
	}
	if pic, err := tiles[0].decode(1); err != nil {
		b.Fatalf("tile 0: %v", err)
	} else {
		pixels = int64(pic.Width*pic.Height) * int64(len(tiles))
	}

	modes := []struct {
		name  string
		force bool
	}{{"gen2brain-wasm", true}}
	if heic.Dynamic() == nil {
		modes = append(modes, struct {
			name  string
			force bool
		}{"gen2brain-libheif", false})
	}
	for _, m := range modes {
		b.Run(m.name, func(b *testing.B) {
			heic.ForceWasmMode = m.force
			defer func() { heic.ForceWasmMode = false }()
			warmGen2brain(b, file, m.force)
			b.SetBytes(int64(coded))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := heic.Decode(bytes.NewReader(file)); err != nil {
					b.Fatal(err)
				}
			}
			ns := reportTimes(b, pixels)
			if m.force {
				baseline = ns
			} else {
				libheif = ns
			}
		})
	}

	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("tile0/workers=%d", workers), func(b *testing.B) {
			b.SetBytes(int64(len(tiles[0].data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := tiles[0].decode(workers); err != nil {
					b.Fatal(err)
				}
			}
			reportTimes(b, pixels/int64(len(tiles)))
		})
	}
	b.Run("tile0/speedup", func(b *testing.B) { benchSpeedup(b, tiles[0]) })
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("all/workers=%d", workers), func(b *testing.B) {
			b.SetBytes(int64(coded))
			b.ReportAllocs()
			for b.Loop() {
				if err := decodeTiles(tiles, workers); err != nil {
					b.Fatal(err)
				}
			}
			ns := reportTimes(b, pixels)
			if baseline > 0 {
				b.ReportMetric(ns/baseline, "x_gen2brain")
			}
			if libheif > 0 {
				b.ReportMetric(ns/libheif, "x_libheif")
			}
		})
	}
}

// benchSpeedup alternates a serial and a 2-worker decode of t in every
// iteration, so that both see the same machine load, and reports their
// times and the WPP speed-up (serial time / 2-worker time; about 1 for a
// picture without WPP, which decodes serially whatever the workers).
func benchSpeedup(b *testing.B, t heifTile) {
	var serial, parallel time.Duration
	b.ReportAllocs()
	for b.Loop() {
		for _, workers := range []int{1, 2} {
			t0 := time.Now()
			if _, err := t.decode(workers); err != nil {
				b.Fatal(err)
			}
			if workers == 1 {
				serial += time.Since(t0)
			} else {
				parallel += time.Since(t0)
			}
		}
	}
	if b.N == 0 || parallel == 0 {
		return
	}
	b.ReportMetric(float64(serial.Microseconds())/1e3/float64(b.N), "ms-serial")
	b.ReportMetric(float64(parallel.Microseconds())/1e3/float64(b.N), "ms-2workers")
	b.ReportMetric(float64(serial)/float64(parallel), "x_speedup")
}

var gen2brainWarm sync.Map // force-wasm mode → warmed up

// warmGen2brain runs one untimed decode per backend: gen2brain's first
// call compiles or instantiates its decoder (seconds), which is not what
// the benchmark measures.
func warmGen2brain(b *testing.B, file []byte, force bool) {
	if _, done := gen2brainWarm.LoadOrStore(force, true); done {
		return
	}
	if _, err := heic.Decode(bytes.NewReader(file)); err != nil {
		b.Fatal(err)
	}
}

// reportTimes reports ms/op and Mpx/s and returns ns/op.
func reportTimes(b *testing.B, pixels int64) float64 {
	if b.N == 0 {
		return 0
	}
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(ns/1e6, "ms/op")
	b.ReportMetric(float64(pixels)/ns*1e3, "Mpx/s")
	return ns
}

// decodeTiles decodes every tile: a single picture with `workers`, a grid
// with `workers` goroutines taking tiles in turn, each decoding serially.
func decodeTiles(tiles []heifTile, workers int) error {
	if len(tiles) == 1 {
		_, err := tiles[0].decode(workers)
		return err
	}
	next := make(chan int, len(tiles))
	for i := range tiles {
		next <- i
	}
	close(next)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range next {
				if _, err := tiles[i].decode(1); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// corpusDir is $MEDIAPREP_CORPUS, else <repo root>/../shared/corpus (the
// repository root is three levels above this package).
func corpusDir() string {
	if d := os.Getenv("MEDIAPREP_CORPUS"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "corpus")
}

// heifTile is one coded HEVC picture of a HEIF file.
type heifTile struct {
	params     [][]byte // parameter sets from hvcC
	data       []byte   // length-prefixed NAL units
	lengthSize int
}

func (t heifTile) decode(workers int) (*Picture, error) {
	return Decode(t.params, t.data, t.lengthSize, &Options{Workers: workers})
}

// box is one ISO BMFF box: its type and payload.
type box struct {
	typ     string
	payload []byte
}

// boxes splits b into boxes (sizes 0 and 64-bit handled).
func boxes(b []byte) ([]box, error) {
	var out []box
	for len(b) > 0 {
		if len(b) < 8 {
			return nil, errors.New("truncated box header")
		}
		size, hdr := uint64(binary.BigEndian.Uint32(b)), uint64(8)
		typ := string(b[4:8])
		switch size {
		case 0:
			size = uint64(len(b))
		case 1:
			if len(b) < 16 {
				return nil, errors.New("truncated large box")
			}
			size, hdr = binary.BigEndian.Uint64(b[8:]), 16
		}
		if size < hdr || size > uint64(len(b)) {
			return nil, fmt.Errorf("box %q size %d beyond %d bytes", typ, size, len(b))
		}
		out = append(out, box{typ, b[hdr:size]})
		b = b[size:]
	}
	return out, nil
}

func findBox(bs []box, typ string) []byte {
	for _, x := range bs {
		if x.typ == typ {
			return x.payload
		}
	}
	return nil
}

// rd reads big-endian unsigned fields of n bytes (0 → 0) from a slice.
type rd struct {
	b   []byte
	err bool
}

func (r *rd) u(n int) int {
	if n > len(r.b) {
		r.err = true
		r.b = nil
		return 0
	}
	v := 0
	for _, c := range r.b[:n] {
		v = v<<8 | int(c)
	}
	r.b = r.b[n:]
	return v
}

// heifTiles returns the HEVC pictures of a HEIF file's primary item: the
// item itself, or the tiles of a grid in order.
func heifTiles(file []byte) ([]heifTile, error) {
	top, err := boxes(file)
	if err != nil {
		return nil, err
	}
	meta := findBox(top, "meta")
	if len(meta) < 4 {
		return nil, errors.New("no meta box")
	}
	mb, err := boxes(meta[4:])
	if err != nil {
		return nil, err
	}
	pitm := &rd{b: findBox(mb, "pitm")}
	pv := pitm.u(4) >> 24
	primary := pitm.u(2 + 2*min(pv, 1))

	// iloc: item → bytes
	loc := map[int][]byte{}
	r := &rd{b: findBox(mb, "iloc")}
	v := r.u(4) >> 24
	sz := r.u(2)
	offSize, lenSize, baseSize, idxSize := sz>>12, sz>>8&15, sz>>4&15, 0
	if v == 1 || v == 2 {
		idxSize = sz & 15
	}
	count := r.u(2 + 2*(v/2))
	for range count {
		id := r.u(2 + 2*(v/2))
		method := 0 // 0: file offsets; 1: idat (a grid's own data, not needed here)
		if v == 1 || v == 2 {
			method = r.u(2) & 15
		}
		r.u(2) // data_reference_index
		base := r.u(baseSize)
		var data []byte
		for range r.u(2) {
			r.u(idxSize)
			off, n := base+r.u(offSize), r.u(lenSize)
			if method != 0 {
				continue
			}
			if off < 0 || n < 0 || off+n > len(file) {
				return nil, errors.New("iloc extent beyond the file")
			}
			data = append(data, file[off:off+n]...)
		}
		loc[id] = data
		if r.err {
			return nil, errors.New("truncated iloc")
		}
	}

	// iprp: hvcC of each item
	iprp, err := boxes(findBox(mb, "iprp"))
	if err != nil {
		return nil, err
	}
	props, err := boxes(findBox(iprp, "ipco"))
	if err != nil {
		return nil, err
	}
	hvcc := map[int][]byte{}
	r = &rd{b: findBox(iprp, "ipma")}
	vf := r.u(4)
	for range r.u(4) {
		id := r.u(2 + 2*min(vf>>24, 1))
		for range r.u(1) {
			idx := r.u(1+vf&1) & (1<<(7+8*(vf&1)) - 1)
			if idx >= 1 && idx <= len(props) && props[idx-1].typ == "hvcC" {
				hvcc[id] = props[idx-1].payload
			}
		}
	}

	// iref dimg: grid → tiles
	items := []int{primary}
	if iref := findBox(mb, "iref"); len(iref) >= 4 {
		w := 2 + 2*min(int(iref[0]), 1)
		refs, err := boxes(iref[4:])
		if err != nil {
			return nil, err
		}
		for _, ref := range refs {
			r := &rd{b: ref.payload}
			if ref.typ == "dimg" && r.u(w) == primary {
				items = items[:0]
				for range r.u(2) {
					items = append(items, r.u(w))
				}
			}
		}
	}

	var tiles []heifTile
	for _, id := range items {
		h := hvcc[id]
		if len(h) < 23 {
			return nil, fmt.Errorf("item %d: no hvcC", id)
		}
		t := heifTile{data: loc[id], lengthSize: int(h[21]&3) + 1}
		r := &rd{b: h[22:]}
		for range r.u(1) {
			r.u(1)
			for range r.u(2) {
				n := r.u(2)
				if n > len(r.b) {
					return nil, errors.New("truncated hvcC")
				}
				t.params = append(t.params, r.b[:n])
				r.b = r.b[n:]
			}
		}
		tiles = append(tiles, t)
	}
	return tiles, nil
}

// TestHeifTiles checks the benchmark's HEIF walker on a file made by
// heif-enc: the extracted picture must decode like the Annex B fixture
// made from the same file by heif2hevc.py.
func TestHeifTiles(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "heif_q50_s416.heic"))
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("no heif_q50_s416.heic")
	}
	if err != nil {
		t.Fatal(err)
	}
	tiles, err := heifTiles(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(tiles) != 1 {
		t.Fatalf("%d tiles, want 1", len(tiles))
	}
	for _, e := range loadReference(t) {
		if e.name == "heif_q50_s416" {
			pic, err := tiles[0].decode(2)
			if err != nil {
				t.Fatal(err)
			}
			if bad := checkPicture(e, pic); len(bad) > 0 {
				t.Error(strings.Join(bad, "; "))
			}
			return
		}
	}
	t.Fatal("heif_q50_s416 not in reference.txt")
}
