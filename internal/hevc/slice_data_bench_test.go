package hevc

// Benchmark of the whole decoder on the corpus's 12 MP
// HEIC (c_12mp.heic: one HEVC item, CTB 64, WPP with 48 CTB rows), serial
// against row-parallel WPP decoding. Skipped when the corpus is absent.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// benchCorpus returns the path of a corpus file, or "" when absent.
func benchCorpus(name string) string {
	dir := os.Getenv("MEDIAPREP_CORPUS")
	if dir == "" {
		// internal/hevc -> repo root -> ../shared/corpus
		dir = filepath.Join("..", "..", "..", "shared", "corpus")
	}
	p := filepath.Join(dir, name)
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

// heifBox is one ISOBMFF box: its type and payload.
type heifBox struct {
	typ  string
	body []byte
}

// heifBoxes splits b into boxes (32-bit and 64-bit sizes).
func heifBoxes(b []byte) ([]heifBox, error) {
	var out []heifBox
	for len(b) >= 8 {
		size, hdr := uint64(binary.BigEndian.Uint32(b)), uint64(8)
		typ := string(b[4:8])
		switch size {
		case 0:
			size = uint64(len(b))
		case 1:
			if len(b) < 16 {
				return nil, errors.New("short box")
			}
			size, hdr = binary.BigEndian.Uint64(b[8:]), 16
		}
		if size < hdr || size > uint64(len(b)) {
			return nil, errors.New("bad box size")
		}
		out = append(out, heifBox{typ, b[hdr:size]})
		b = b[size:]
	}
	return out, nil
}

func heifFind(boxes []heifBox, typ string) []byte {
	for _, b := range boxes {
		if b.typ == typ {
			return b.body
		}
	}
	return nil
}

// heifPrimaryHEVC extracts the parameter sets (hvcC arrays), the item data
// and its NAL length size of the primary item of a single-image HEIC: just
// enough ISOBMFF for the benchmark (iloc construction method 0, versions
// 0-2; ipma versions 0-1).
func heifPrimaryHEVC(file []byte) (params [][]byte, data []byte, lengthSize int, err error) {
	errBad := errors.New("unexpected HEIF layout")
	top, err := heifBoxes(file)
	if err != nil {
		return nil, nil, 0, err
	}
	meta := heifFind(top, "meta")
	if len(meta) < 4 {
		return nil, nil, 0, errBad
	}
	mb, err := heifBoxes(meta[4:])
	if err != nil {
		return nil, nil, 0, err
	}
	pitm := heifFind(mb, "pitm")
	if len(pitm) < 6 {
		return nil, nil, 0, errBad
	}
	primary := uint32(binary.BigEndian.Uint16(pitm[4:]))
	// iloc
	iloc := heifFind(mb, "iloc")
	if len(iloc) < 8 {
		return nil, nil, 0, errBad
	}
	v := iloc[0]
	offSize, lenSize, baseSize := int(iloc[4]>>4), int(iloc[4]&15), int(iloc[5]>>4)
	idxSize := 0
	if v == 1 || v == 2 {
		idxSize = int(iloc[5] & 15)
	}
	p := 6
	rd := func(n int) uint64 {
		var x uint64
		for i := 0; i < n && p < len(iloc); i++ {
			x = x<<8 | uint64(iloc[p])
			p++
		}
		return x
	}
	idW := 2
	if v == 2 {
		idW = 4
	}
	count := int(rd(idW))
	for i := 0; i < count && p < len(iloc); i++ {
		id := uint32(rd(idW))
		if v == 1 || v == 2 {
			rd(2)
		}
		rd(2)
		base := rd(baseSize)
		ne := int(rd(2))
		for e := 0; e < ne; e++ {
			rd(idxSize)
			off, n := base+rd(offSize), rd(lenSize)
			if id == primary {
				if off+n > uint64(len(file)) {
					return nil, nil, 0, errBad
				}
				data = append(data, file[off:off+n]...)
			}
		}
	}
	// hvcC of the primary item.
	iprp, err := heifBoxes(heifFind(mb, "iprp"))
	if err != nil {
		return nil, nil, 0, err
	}
	props, err := heifBoxes(heifFind(iprp, "ipco"))
	if err != nil {
		return nil, nil, 0, err
	}
	ipma := heifFind(iprp, "ipma")
	if len(ipma) < 8 {
		return nil, nil, 0, errBad
	}
	ver, flags := ipma[0], ipma[3]
	q := 8
	var hvcC []byte
	for n := binary.BigEndian.Uint32(ipma[4:]); n > 0 && q < len(ipma); n-- {
		var id uint32
		if ver < 1 {
			id, q = uint32(binary.BigEndian.Uint16(ipma[q:])), q+2
		} else {
			id, q = binary.BigEndian.Uint32(ipma[q:]), q+4
		}
		c := int(ipma[q])
		q++
		for ; c > 0 && q < len(ipma); c-- {
			var x int
			if flags&1 != 0 {
				x, q = int(binary.BigEndian.Uint16(ipma[q:])&0x7fff), q+2
			} else {
				x, q = int(ipma[q]&0x7f), q+1
			}
			if id == primary && x >= 1 && x <= len(props) && props[x-1].typ == "hvcC" {
				hvcC = props[x-1].body
			}
		}
	}
	if len(hvcC) < 23 || len(data) == 0 {
		return nil, nil, 0, errBad
	}
	lengthSize = int(hvcC[21]&3) + 1
	o := 23
	for a := int(hvcC[22]); a > 0; a-- {
		if o+3 > len(hvcC) {
			return nil, nil, 0, errBad
		}
		nn := int(binary.BigEndian.Uint16(hvcC[o+1:]))
		o += 3
		for ; nn > 0; nn-- {
			if o+2 > len(hvcC) {
				return nil, nil, 0, errBad
			}
			l := int(binary.BigEndian.Uint16(hvcC[o:]))
			if o+2+l > len(hvcC) {
				return nil, nil, 0, errBad
			}
			params = append(params, hvcC[o+2:o+2+l])
			o += 2 + l
		}
	}
	return params, data, lengthSize, nil
}

// bench12MP loads c_12mp.heic's HEVC item, or skips.
func bench12MP(b *testing.B) (params [][]byte, data []byte, lengthSize int) {
	path := benchCorpus("c_12mp.heic")
	if path == "" {
		b.Skip("corpus c_12mp.heic not found (set MEDIAPREP_CORPUS)")
	}
	file, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	params, data, lengthSize, err = heifPrimaryHEVC(file)
	if err != nil {
		b.Fatal(err)
	}
	return params, data, lengthSize
}

// BenchmarkDecode12MP decodes c_12mp.heic's HEVC item (4032x3024, WPP)
// with 1, 2 and (when GOMAXPROCS allows) 4 workers, reporting ns per luma
// pixel and megapixels per second.
func BenchmarkDecode12MP(b *testing.B) {
	params, data, lengthSize := bench12MP(b)
	pixels := 4032 * 3024
	workerCounts := []int{1, 2}
	if runtime.GOMAXPROCS(0) >= 4 {
		workerCounts = append(workerCounts, 4)
	}
	for _, workers := range workerCounts {
		b.Run(fmt.Sprintf("workers%d", workers), func(b *testing.B) {
			opts := &Options{Workers: workers}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := Decode(params, data, lengthSize, opts); err != nil {
					b.Fatal(err)
				}
			}
			perRun := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			b.ReportMetric(perRun/float64(pixels), "ns/pixel")
			b.ReportMetric(float64(pixels)/perRun*1e3, "MP/s")
		})
	}
}

// BenchmarkDecode12MPSpeedup alternates a serial and a 2-worker decode of
// c_12mp.heic in every iteration (so that both see the same machine load)
// and reports their times and the WPP speed-up (serial / parallel time).
func BenchmarkDecode12MPSpeedup(b *testing.B) {
	params, data, lengthSize := bench12MP(b)
	var serial, parallel time.Duration
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, workers := range []int{1, 2} {
			t0 := time.Now()
			if _, err := Decode(params, data, lengthSize, &Options{Workers: workers}); err != nil {
				b.Fatal(err)
			}
			if workers == 1 {
				serial += time.Since(t0)
			} else {
				parallel += time.Since(t0)
			}
		}
	}
	b.ReportMetric(float64(serial.Milliseconds())/float64(b.N), "ms-serial")
	b.ReportMetric(float64(parallel.Milliseconds())/float64(b.N), "ms-2workers")
	b.ReportMetric(float64(serial)/float64(parallel), "x-speedup")
}
