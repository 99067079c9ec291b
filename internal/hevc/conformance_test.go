package hevc

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Conformance: every stream in testdata/reference.txt must decode to planes
// whose MD5s equal those of ffmpeg / libde265 (made by
// testdata/make_fixtures.sh), with 1 and 2 workers, through DecodeAnnexB
// and Decode; every stream in testdata/refuse.txt must fail with the
// recorded error kind. On a mismatch, if ffmpeg (or libde265-dec265) is on
// PATH, the test decodes the fixture with it and reports where the planes
// first differ; -hevc.dump DIR writes both pictures as PGM files.

var dumpDir = flag.String("hevc.dump", "", "write our and the reference planes of mismatching fixtures to `DIR` (PGM, plus a diff image)")

// refEntry is one line of testdata/reference.txt.
type refEntry struct {
	name     string
	w, h     int
	md5      [3]string // "-" for absent planes (4:0:0)
	features string
}

// has reports whether the comma-separated feature list holds tag.
func (e refEntry) has(tag string) bool {
	for _, f := range strings.Split(e.features, ",") {
		if f == tag {
			return true
		}
	}
	return false
}

// featureInt returns the number following the feature prefix (e.g. "ctb"
// in "ctb64"), or def.
func (e refEntry) featureInt(prefix string, def int) int {
	for _, f := range strings.Split(e.features, ",") {
		if v, ok := strings.CutPrefix(f, prefix); ok {
			if n, err := strconv.Atoi(v); err == nil {
				return n
			}
		}
	}
	return def
}

// refuseEntry is one line of testdata/refuse.txt.
type refuseEntry struct {
	name, kind string
	maxPixels  int64
	note       string
}

// readLines returns the non-comment lines of a testdata file, split into
// at most n fields.
func readLines(t testing.TB, name string, n int) [][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.SplitN(line, " ", n)
		if len(f) != n {
			t.Fatalf("%s: malformed line %q", name, line)
		}
		out = append(out, f)
	}
	return out
}

func loadReference(t testing.TB) []refEntry {
	var out []refEntry
	for _, f := range readLines(t, "reference.txt", 7) {
		w, err1 := strconv.Atoi(f[1])
		h, err2 := strconv.Atoi(f[2])
		if err1 != nil || err2 != nil {
			t.Fatalf("reference.txt: bad size in %v", f)
		}
		out = append(out, refEntry{name: f[0], w: w, h: h, md5: [3]string{f[3], f[4], f[5]}, features: f[6]})
	}
	if len(out) < 50 {
		t.Fatalf("reference.txt: only %d streams", len(out))
	}
	return out
}

func loadRefuse(t testing.TB) []refuseEntry {
	var out []refuseEntry
	for _, f := range readLines(t, "refuse.txt", 4) {
		mp, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			t.Fatalf("refuse.txt: bad maxpixels in %v", f)
		}
		out = append(out, refuseEntry{name: f[0], kind: f[1], maxPixels: mp, note: f[3]})
	}
	return out
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".hevc"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// planes returns the planes of pic without row padding, and their sizes.
func planes(pic *Picture) (p [3][]byte, w, h [3]int) {
	w[0], h[0] = pic.Width, pic.Height
	p[0] = pack(pic.Y, pic.YStride, w[0], h[0])
	if pic.ChromaFormat != 0 {
		cw, ch := (pic.Width+1)/2, (pic.Height+1)/2
		for c := 1; c < 3; c++ {
			w[c], h[c] = cw, ch
		}
		p[1] = pack(pic.Cb, pic.CStride, cw, ch)
		p[2] = pack(pic.Cr, pic.CStride, cw, ch)
	}
	return p, w, h
}

// pack copies a w x h plane with row pitch stride into a tight buffer; nil
// if the plane is too short.
func pack(b []byte, stride, w, h int) []byte {
	if w <= 0 || h <= 0 || stride < w || len(b) < (h-1)*stride+w {
		return nil
	}
	out := make([]byte, 0, w*h)
	for y := range h {
		out = append(out, b[y*stride:y*stride+w]...)
	}
	return out
}

func md5hex(b []byte) string {
	s := md5.Sum(b)
	return hex.EncodeToString(s[:])
}

// checkPicture verifies pic against e and returns a description of every
// difference (empty when bit-exact).
func checkPicture(e refEntry, pic *Picture) []string {
	var bad []string
	if pic.Width != e.w || pic.Height != e.h {
		return []string{fmt.Sprintf("size %dx%d, want %dx%d", pic.Width, pic.Height, e.w, e.h)}
	}
	wantCF := 1
	if e.has("400") {
		wantCF = 0
	}
	if pic.ChromaFormat != wantCF {
		return []string{fmt.Sprintf("ChromaFormat %d, want %d", pic.ChromaFormat, wantCF)}
	}
	if wantCF == 0 && (pic.Cb != nil || pic.Cr != nil) {
		bad = append(bad, "4:0:0 picture with non-nil Cb/Cr")
	}
	p, _, _ := planes(pic)
	for c := range 3 {
		if e.md5[c] == "-" {
			continue
		}
		if p[c] == nil {
			bad = append(bad, fmt.Sprintf("plane %d: short buffer or bad stride", c))
			continue
		}
		if got := md5hex(p[c]); got != e.md5[c] {
			bad = append(bad, fmt.Sprintf("plane %s md5 %s, want %s", planeName[c], got, e.md5[c]))
		}
	}
	if pic.FullRange != e.has("fullrange") {
		bad = append(bad, fmt.Sprintf("FullRange %v, want %v", pic.FullRange, e.has("fullrange")))
	}
	if mc := e.featureInt("mc", 2); pic.MatrixCoefficients != mc {
		bad = append(bad, fmt.Sprintf("MatrixCoefficients %d, want %d", pic.MatrixCoefficients, mc))
	}
	return bad
}

var planeName = [3]string{"Y", "Cb", "Cr"}

// TestConformance decodes every reference stream with 1 and 2 workers and
// compares the planes with the reference MD5s.
func TestConformance(t *testing.T) {
	for _, e := range loadReference(t) {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			data := readFixture(t, e.name)
			for _, workers := range []int{1, 2} {
				pic, err := DecodeAnnexB(data, &Options{Workers: workers})
				if !conformanceResult(t, e, pic, err, fmt.Sprintf("DecodeAnnexB workers=%d", workers)) {
					return
				}
			}
		})
	}
}

// TestConformanceLengthPrefixed feeds every reference stream through
// Decode as a HEIF reader would: parameter sets apart, the other NAL units
// with big-endian lengths of 4, 2 or 1 bytes (taking turns, 4 when a NAL
// unit is too long), with 2 workers.
func TestConformanceLengthPrefixed(t *testing.T) {
	for i, e := range loadReference(t) {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			params, nals := splitParams(testSplitAnnexB(readFixture(t, e.name)))
			size := []int{4, 2, 1}[i%3]
			data, ok := lengthPrefix(nals, size)
			if !ok {
				size = 4
				data, _ = lengthPrefix(nals, size)
			}
			pic, err := Decode(params, data, size, &Options{Workers: 2})
			conformanceResult(t, e, pic, err, fmt.Sprintf("Decode lengthSize=%d", size))
		})
	}
}

// conformanceResult reports a failed decode of e; it returns false when
// the caller should stop (already failed or skipped).
func conformanceResult(t *testing.T, e refEntry, pic *Picture, err error, how string) bool {
	t.Helper()
	if err != nil {
		if e.has("400") && errors.Is(err, ErrUnsupported) {
			t.Skipf("%s: 4:0:0 refused (allowed by the SPEC): %v", how, err)
		}
		t.Errorf("%s: %v\nfeatures: %s", how, err, e.features)
		return false
	}
	if pic == nil {
		t.Errorf("%s: nil picture and nil error", how)
		return false
	}
	if bad := checkPicture(e, pic); len(bad) > 0 {
		t.Errorf("%s: %s\nfeatures: %s\n%s", how, strings.Join(bad, "; "), e.features, diffReport(t, e, pic))
		return false
	}
	return true
}

// TestRefuse checks that each stream of refuse.txt fails with its
// recorded error kind (or, for kind "any", fails cleanly or decodes to a
// sane picture), with 1 and 2 workers, and never through the panic guard.
func TestRefuse(t *testing.T) {
	kinds := map[string]error{"unsupported": ErrUnsupported, "corrupt": ErrCorrupt, "toolarge": ErrTooLarge}
	for _, r := range loadRefuse(t) {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			data := readFixture(t, r.name)
			for _, workers := range []int{1, 2} {
				pic, err := DecodeAnnexB(data, &Options{Workers: workers, MaxPixels: r.maxPixels})
				if err != nil && strings.Contains(err.Error(), "decoder panic") {
					t.Errorf("workers=%d: panicked (%s): %v", workers, r.note, err)
					continue
				}
				if r.kind == "any" {
					limit := r.maxPixels
					if limit == 0 {
						limit = DefaultMaxPixels
					}
					checkAny(t, pic, err, limit)
					continue
				}
				want, ok := kinds[r.kind]
				if !ok {
					t.Fatalf("refuse.txt: unknown kind %q", r.kind)
				}
				if !errors.Is(err, want) {
					t.Errorf("workers=%d: got (%v, %v), want an error matching %v (%s)", workers, pic != nil, err, want, r.note)
				}
			}
		})
	}
}

// checkAny asserts the properties every decode must have: an error that
// matches one of the package's sentinels, or a picture with sane sizes and
// planes.
func checkAny(t testing.TB, pic *Picture, err error, maxPixels int64) {
	t.Helper()
	if err != nil {
		if pic != nil {
			t.Errorf("both a picture and an error: %v", err)
		}
		if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrTooLarge) {
			t.Errorf("error matches no sentinel: %v", err)
		}
		return
	}
	if pic == nil {
		t.Fatal("nil picture and nil error")
	}
	if pic.Width <= 0 || pic.Height <= 0 || int64(pic.Width)*int64(pic.Height) > maxPixels {
		t.Fatalf("picture size %dx%d (limit %d pixels)", pic.Width, pic.Height, maxPixels)
	}
	if pic.ChromaFormat != 0 && pic.ChromaFormat != 1 {
		t.Fatalf("ChromaFormat %d", pic.ChromaFormat)
	}
	if p, _, _ := planes(pic); p[0] == nil || (pic.ChromaFormat == 1 && (p[1] == nil || p[2] == nil)) {
		t.Fatalf("planes shorter than %dx%d with strides %d/%d", pic.Width, pic.Height, pic.YStride, pic.CStride)
	}
}

// TestConcurrentDecode decodes every other fixture (and all with several
// slices) twice at the same time with 2 workers each (run it with -race):
// decodes must share no mutable state.
func TestConcurrentDecode(t *testing.T) {
	for i, e := range loadReference(t) {
		if i%2 != 0 && !strings.Contains(e.features, "slices") {
			continue
		}
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			data := readFixture(t, e.name)
			var wg sync.WaitGroup
			var pics [2]*Picture
			var errs [2]error
			for i := range 2 {
				wg.Go(func() { pics[i], errs[i] = DecodeAnnexB(data, &Options{Workers: 2}) })
			}
			wg.Wait()
			if errs[0] != nil || errs[1] != nil {
				if (errs[0] == nil) != (errs[1] == nil) {
					t.Fatalf("one decode failed: %v / %v", errs[0], errs[1])
				}
				t.Skipf("decode fails (see TestConformance): %v", errs[0])
			}
			a, _, _ := planes(pics[0])
			b, _, _ := planes(pics[1])
			for c := range 3 {
				if !bytes.Equal(a[c], b[c]) {
					t.Errorf("plane %s differs between two concurrent decodes", planeName[c])
				}
			}
		})
	}
}

// testSplitAnnexB returns the NAL units of an Annex B stream (test-side,
// independent of the package's splitter).
func testSplitAnnexB(b []byte) [][]byte {
	var starts []int
	for i := 0; i+3 <= len(b); i++ {
		if b[i] == 0 && b[i+1] == 0 && b[i+2] == 1 {
			starts = append(starts, i+3)
			i += 2
		}
	}
	var out [][]byte
	for k, s := range starts {
		e := len(b)
		if k+1 < len(starts) {
			e = starts[k+1] - 3
			for e > s && b[e-1] == 0 {
				e--
			}
		}
		out = append(out, b[s:e])
	}
	return out
}

// splitParams separates VPS/SPS/PPS NAL units (types 32..34) from the rest.
func splitParams(nals [][]byte) (params, rest [][]byte) {
	for _, n := range nals {
		if len(n) >= 2 && (n[0]>>1)&63 >= 32 && (n[0]>>1)&63 <= 34 {
			params = append(params, n)
		} else {
			rest = append(rest, n)
		}
	}
	return params, rest
}

// lengthPrefix joins nals with big-endian length fields of size bytes;
// false if a NAL unit is too long for the field.
func lengthPrefix(nals [][]byte, size int) ([]byte, bool) {
	var out []byte
	for _, n := range nals {
		if size < 4 && len(n) >= 1<<(8*size) {
			return nil, false
		}
		for i := size - 1; i >= 0; i-- {
			out = append(out, byte(len(n)>>(8*i)))
		}
		out = append(out, n...)
	}
	return out, true
}

// referencePlanes decodes fixture e with ffmpeg (or libde265 when the
// fixture notes that ffmpeg 5.1 differs from the picture hash) and returns
// its planes; the string says which tool, or why none was used.
func referencePlanes(e refEntry) ([3][]byte, string) {
	var p [3][]byte
	path := filepath.Join("testdata", e.name+".hevc")
	ys, cs := e.w*e.h, ((e.w+1)/2)*((e.h+1)/2)
	var raw []byte
	tool := "ffmpeg"
	if e.has("ffmpeg-differs") {
		tool = "libde265-dec265"
	}
	exe, err := exec.LookPath(tool)
	if err != nil {
		return p, tool + " not on PATH: no sample-level report"
	}
	if tool == "ffmpeg" {
		raw, err = exec.Command(exe, "-nostdin", "-v", "error", "-flags", "unaligned", "-i", path, "-frames:v", "1", "-f", "rawvideo", "-").Output()
	} else {
		out := filepath.Join(os.TempDir(), fmt.Sprintf("hevc-ref-%s-%d.yuv", e.name, os.Getpid()))
		defer os.Remove(out)
		if err = exec.Command(exe, "-q", "-f", "1", "-o", out, path).Run(); err == nil {
			raw, err = os.ReadFile(out)
		}
	}
	want := ys
	if e.md5[1] != "-" {
		want += 2 * cs
	}
	if err != nil || len(raw) < want {
		return p, fmt.Sprintf("%s failed (%v, %d bytes)", tool, err, len(raw))
	}
	p[0] = raw[:ys]
	if e.md5[1] != "-" {
		p[1], p[2] = raw[ys:ys+cs], raw[ys+cs:ys+2*cs]
	}
	note := "reference decoded by " + tool
	for c := range 3 {
		if p[c] != nil && md5hex(p[c]) != e.md5[c] {
			note += fmt.Sprintf(" (WARNING: its plane %s does not match reference.txt)", planeName[c])
		}
	}
	return p, note
}

// diffReport locates the differences between pic and the reference
// decoder's output: per plane the number of differing samples, the first
// one in raster order and the first in CTB decoding order (with CTB and 8x8
// block coordinates and a 8x4 window of both pictures around it).
func diffReport(t testing.TB, e refEntry, pic *Picture) string {
	ref, note := referencePlanes(e)
	if ref[0] == nil {
		return note
	}
	ours, w, h := planes(pic)
	var sb strings.Builder
	sb.WriteString(note + "\n")
	ctb := e.featureInt("ctb", 64)
	for c := range 3 {
		if ref[c] == nil || ours[c] == nil || len(ours[c]) != len(ref[c]) {
			continue
		}
		sub := 0 // chroma 4:2:0 is subsampled by 2 in each direction
		if c > 0 {
			sub = 1
		}
		cctb := ctb >> sub
		n, firstRaster := 0, -1
		firstCTB, firstCTBAddr := -1, math.MaxInt
		ctbW := (w[c] + cctb - 1) / cctb
		for i := range ref[c] {
			if ours[c][i] == ref[c][i] {
				continue
			}
			n++
			if firstRaster < 0 {
				firstRaster = i
			}
			x, y := i%w[c], i/w[c]
			addr := ((y/cctb)*ctbW+x/cctb)<<20 | (y%cctb)<<10 | x%cctb
			if addr < firstCTBAddr {
				firstCTBAddr, firstCTB = addr, i
			}
		}
		if n == 0 {
			fmt.Fprintf(&sb, "plane %s: identical\n", planeName[c])
			continue
		}
		fmt.Fprintf(&sb, "plane %s: %d of %d samples differ\n", planeName[c], n, len(ref[c]))
		for _, k := range []struct {
			what string
			i    int
		}{{"first in raster order", firstRaster}, {"first in CTB order", firstCTB}} {
			x, y := k.i%w[c], k.i/w[c]
			fmt.Fprintf(&sb, "  %s: (%d,%d) luma (%d,%d) CTB (%d,%d) 8x8 block (%d,%d): ours %d ref %d\n",
				k.what, x, y, x<<sub, y<<sub, x/cctb, y/cctb, x>>3, y>>3, ours[c][k.i], ref[c][k.i])
			if k.what == "first in CTB order" {
				sb.WriteString(window(ours[c], ref[c], w[c], h[c], x, y))
			}
		}
	}
	if *dumpDir != "" {
		if err := dumpPlanes(e.name, ours, ref, w, h); err != nil {
			t.Logf("dump: %v", err)
		} else {
			fmt.Fprintf(&sb, "planes written to %s/%s_*.pgm\n", *dumpDir, e.name)
		}
	}
	return sb.String()
}

// window prints an 8x4 area of both planes starting at the 4-aligned
// position at or left of (x, y).
func window(ours, ref []byte, w, h, x, y int) string {
	var sb strings.Builder
	x0, y0 := x&^3, y&^3
	fmt.Fprintf(&sb, "  samples from (%d,%d), ours | ref (* differs):\n", x0, y0)
	for yy := y0; yy < min(y0+4, h); yy++ {
		sb.WriteString("   ")
		for xx := x0; xx < min(x0+8, w); xx++ {
			fmt.Fprintf(&sb, " %3d", ours[yy*w+xx])
		}
		sb.WriteString("  |")
		for xx := x0; xx < min(x0+8, w); xx++ {
			mark := " "
			if ours[yy*w+xx] != ref[yy*w+xx] {
				mark = "*"
			}
			fmt.Fprintf(&sb, " %3d%s", ref[yy*w+xx], mark)
		}
		sb.WriteString("\n")
	}
	return sb.String()
}

// dumpPlanes writes NAME_{ours,ref,diff}_{Y,Cb,Cr}.pgm into *dumpDir; the
// diff image is 128 + 8*(ours-ref), clipped.
func dumpPlanes(name string, ours, ref [3][]byte, w, h [3]int) error {
	if err := os.MkdirAll(*dumpDir, 0o755); err != nil {
		return err
	}
	for c := range 3 {
		if ours[c] == nil || ref[c] == nil {
			continue
		}
		diff := make([]byte, len(ref[c]))
		for i := range diff {
			diff[i] = uint8(max(0, min(255, 128+8*(int(ours[c][i])-int(ref[c][i])))))
		}
		for _, img := range []struct {
			kind string
			b    []byte
		}{{"ours", ours[c]}, {"ref", ref[c]}, {"diff", diff}} {
			var buf bytes.Buffer
			fmt.Fprintf(&buf, "P5\n%d %d\n255\n", w[c], h[c])
			buf.Write(img.b)
			fn := filepath.Join(*dumpDir, fmt.Sprintf("%s_%s_%s.pgm", name, img.kind, planeName[c]))
			if err := os.WriteFile(fn, buf.Bytes(), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}
