package pdf

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// testPDF builds a PDF with a classic cross-reference table in memory, for
// generated bombs and legit edge cases. Objects are numbered by the caller.
type testPDF struct {
	buf  bytes.Buffer
	offs map[int]int
}

func newTestPDF() *testPDF {
	d := &testPDF{offs: map[int]int{}}
	d.buf.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	return d
}

// obj writes object num with the given body.
func (d *testPDF) obj(num int, body string) {
	d.offs[num] = d.buf.Len()
	fmt.Fprintf(&d.buf, "%d 0 obj\n%s\nendobj\n", num, body)
}

// stream writes object num as a stream with dictionary entries extra and
// the (already encoded) data.
func (d *testPDF) stream(num int, extra string, data []byte) {
	d.offs[num] = d.buf.Len()
	fmt.Fprintf(&d.buf, "%d 0 obj\n<<%s/Length %d>>\nstream\n", num, extra, len(data))
	d.buf.Write(data)
	d.buf.WriteString("\nendstream\nendobj\n")
}

// bytes appends the cross-reference table and trailer (root is object 1).
func (d *testPDF) bytes() []byte {
	n := 0
	for k := range d.offs {
		n = max(n, k)
	}
	xref := d.buf.Len()
	fmt.Fprintf(&d.buf, "xref\n0 %d\n0000000000 65535 f \n", n+1)
	for i := 1; i <= n; i++ {
		if off, ok := d.offs[i]; ok {
			fmt.Fprintf(&d.buf, "%010d 00000 n \n", off)
		} else {
			d.buf.WriteString("0000000000 65535 f \n")
		}
	}
	fmt.Fprintf(&d.buf, "trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n", n+1, xref)
	return d.buf.Bytes()
}

// onePage starts a PDF whose single page (object 3) has the given extra
// page dictionary entries; objects 1-3 are used.
func onePage(extra string) *testPDF {
	d := newTestPDF()
	d.obj(1, "<</Type/Catalog/Pages 2 0 R>>")
	d.obj(2, "<</Type/Pages/Count 1/Kids[3 0 R]>>")
	d.obj(3, "<</Type/Page/Parent 2 0 R/MediaBox[0 0 100 100]"+extra+">>")
	return d
}

// deflate compresses p, or n zero bytes after p, with zlib.
func deflate(t testing.TB, p []byte, zeros int64) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&b, zlib.BestSpeed)
	if _, err := zw.Write(p); err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for n := zeros; n > 0; n -= int64(len(chunk)) {
		if _, err := zw.Write(chunk[:min(n, int64(len(chunk)))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// zerosCache holds zlib streams of zeros by length: compressing them is
// the slow part of these tests under the race detector.
var zerosCache sync.Map // int64 → []byte

// deflatedZeros returns a zlib stream inflating to n zero bytes.
func deflatedZeros(t testing.TB, n int64) []byte {
	if b, ok := zerosCache.Load(n); ok {
		return b.([]byte)
	}
	b := deflate(t, nil, n)
	zerosCache.Store(n, b)
	return b
}

// manyObjects returns a one-page PDF with n extra unreferenced objects.
func manyObjects(n int) []byte {
	d := onePage("/Contents 4 0 R")
	d.stream(4, "", []byte("0 0 5 5 re f"))
	for i := range n {
		d.obj(i+5, fmt.Sprintf("<</A %d>>", i))
	}
	return d.bytes()
}

// objStm returns a PDF 1.5 whose catalog, page tree and page live in an
// object stream declaring declaredN objects, followed by pad zero bytes
// inside its Flate data. Its cross-reference stream is uncompressed.
func objStm(t testing.TB, declaredN int, pad int64) []byte {
	return objStmX(t, declaredN, pad, "/Type/XRef", "", -1)
}

// objStmX is objStm with the cross-reference stream's /Type entry (typ,
// possibly "") and filter: none when xrefPad < 0, else filter ("" for
// /FlateDecode) with xrefPad zero bytes after the entries.
func objStmX(t testing.TB, declaredN int, pad int64, typ, filter string, xrefPad int64) []byte {
	objs := []string{
		"<</Type/Catalog/Pages 2 0 R>>",
		"<</Type/Pages/Count 1/Kids[3 0 R]>>",
		"<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]/Contents 5 0 R>>",
	}
	var head, body strings.Builder
	for i, o := range objs {
		fmt.Fprintf(&head, "%d %d ", i+1, body.Len())
		body.WriteString(o + "\n")
	}
	z := deflate(t, []byte(head.String()+body.String()), pad)
	var buf bytes.Buffer
	buf.WriteString("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
	off4 := buf.Len()
	fmt.Fprintf(&buf, "4 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>\nstream\n", declaredN, head.Len(), len(z))
	buf.Write(z)
	buf.WriteString("\nendstream\nendobj\n")
	content := "0 0 5 5 re f"
	off5 := buf.Len()
	fmt.Fprintf(&buf, "5 0 obj\n<</Length %d>>\nstream\n%s\nendstream\nendobj\n", len(content), content)
	// Cross-reference stream (object 6): type, field 2 (offset or object
	// stream number), field 3 (generation or index), widths 1 4 2.
	var x bytes.Buffer
	entry := func(typ byte, f2 uint32, f3 uint16) {
		x.Write([]byte{typ, byte(f2 >> 24), byte(f2 >> 16), byte(f2 >> 8), byte(f2), byte(f3 >> 8), byte(f3)})
	}
	off6 := buf.Len()
	entry(0, 0, 0xffff)
	for i := range 3 {
		entry(2, 4, uint16(i))
	}
	entry(1, uint32(off4), 0)
	entry(1, uint32(off5), 0)
	entry(1, uint32(off6), 0)
	xdata, xfilter := x.Bytes(), ""
	if xrefPad >= 0 {
		xdata, xfilter = deflate(t, xdata, xrefPad), "/Filter/FlateDecode"
		if filter != "" {
			xfilter = "/Filter" + filter
		}
	}
	fmt.Fprintf(&buf, "6 0 obj\n<<%s/Size 7/W[1 4 2]/Root 1 0 R%s/Length %d>>\nstream\n", typ, xfilter, len(xdata))
	buf.Write(xdata)
	fmt.Fprintf(&buf, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", off6)
	return buf.Bytes()
}

// TestTrimWorkLimits feeds generated bombs to Trim: each must be refused
// with ErrTooLarge, quickly, before pdfcpu does the expensive work. The
// memory side is measured by internal/hostiletest's TestBombs.
func TestTrimWorkLimits(t *testing.T) {
	tests := []struct {
		name string
		gen  func(t *testing.T) []byte
	}{
		{"objects over the cap", func(*testing.T) []byte { return manyObjects(maxObjects) }},
		{"object stream /N over the cap", func(t *testing.T) []byte { return objStm(t, maxObjects+1, 0) }},
		{"object stream inflating past maxDecodeBytes", func(t *testing.T) []byte { return objStm(t, 3, maxDecodeBytes+1<<20) }},
		{"cross-reference stream bomb", func(t *testing.T) []byte { return objStmX(t, 3, 0, "/Type/XRef", "", 2*maxDecodeBytes) }},
		{"cross-reference stream bomb without /Type", func(t *testing.T) []byte { return objStmX(t, 3, 0, "", "", 2*maxDecodeBytes) }},
		{"cross-reference stream bomb, escaped name", func(t *testing.T) []byte {
			return objStmX(t, 3, 0, "/Type/X#52ef", "/Fl#61teDecode", 2*maxDecodeBytes)
		}},
		{"classic cross-reference table of free entries", func(*testing.T) []byte {
			d := onePage("/Contents 4 0 R")
			d.stream(4, "", []byte("0 0 5 5 re f"))
			d.offs[maxXRefEntries+1] = 0 // the table lists every number up to it, free
			return d.bytes()
		}},
		{"catalog metadata bomb", func(t *testing.T) []byte {
			d := newTestPDF()
			d.obj(1, "<</Type/Catalog/Pages 2 0 R/Metadata 5 0 R>>")
			d.obj(2, "<</Type/Pages/Count 1/Kids[3 0 R]>>")
			d.obj(3, "<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]/Contents 4 0 R>>")
			d.stream(4, "", []byte("0 0 5 5 re f"))
			d.stream(5, "/Filter/FlateDecode", deflate(t, []byte("<x:xmpmeta xmlns:x='adobe:ns:meta/'>"), 2*maxDecodeBytes))
			return d.bytes()
		}},
		{"content stream Flate bomb", func(t *testing.T) []byte {
			d := onePage("/Contents 4 0 R")
			d.stream(4, "/Filter/FlateDecode", deflatedZeros(t, 2*maxContentBytes))
			return d.bytes()
		}},
		{"content stream Flate twice", func(t *testing.T) []byte {
			d := onePage("/Contents 4 0 R")
			d.stream(4, "/Filter[/FlateDecode/FlateDecode]", deflate(t, deflatedZeros(t, 2*maxContentBytes), 0))
			return d.bytes()
		}},
		{"content streams adding up past the cap", func(t *testing.T) []byte {
			d := onePage("/Contents[4 0 R 5 0 R 6 0 R]")
			for i := 4; i <= 6; i++ {
				d.stream(i, "/Filter/FlateDecode", deflatedZeros(t, maxContentBytes/2))
			}
			return d.bytes()
		}},
		{"form XObject bomb", func(t *testing.T) []byte {
			d := onePage("/Contents 4 0 R/Resources<</XObject<</F 5 0 R>>>>")
			d.stream(4, "", []byte("/F Do"))
			d.stream(5, "/Type/XObject/Subtype/Form/BBox[0 0 10 10]/Filter/FlateDecode", deflatedZeros(t, 2*maxContentBytes))
			return d.bytes()
		}},
		{"annotation appearance bomb", func(t *testing.T) []byte {
			d := onePage("/Annots[4 0 R]")
			d.obj(4, "<</Type/Annot/Subtype/Square/Rect[0 0 10 10]/AP<</N 5 0 R>>>>")
			d.stream(5, "/Type/XObject/Subtype/Form/BBox[0 0 10 10]/Filter/FlateDecode", deflatedZeros(t, 2*maxContentBytes))
			return d.bytes()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.gen(t)
			start := time.Now()
			_, err := Trim(context.Background(), in, nil)
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("Trim(%d bytes) error = %v, want ErrTooLarge", len(in), err)
			}
			if !strings.HasPrefix(err.Error(), ErrTooLarge.Error()) {
				t.Errorf("message %q does not start with the sentinel's", err)
			}
			t.Logf("%d bytes: %v in %v", len(in), err, time.Since(start))
		})
	}
}

func TestTrimRefusesUncheckableXRefStream(t *testing.T) {
	// A filter other than FlateDecode on a cross-reference stream could hide
	// a bomb from the prescan (pdfcpu decodes it with a 512 MiB limit).
	in := objStmX(t, 3, 0, "/Type/XRef", "/LZWDecode", 0)
	if _, err := Trim(context.Background(), in, nil); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "LZWDecode") {
		t.Errorf("error = %v, want ErrCorrupt naming the filter", err)
	}
}

// TestTrimLegitAtTheLimits checks that inputs just inside the work limits
// are processed normally.
func TestTrimLegitAtTheLimits(t *testing.T) {
	t.Run("objects just under the cap", func(t *testing.T) {
		// 4 objects of the page plus these: maxObjects in all.
		r, err := Trim(context.Background(), manyObjects(maxObjects-4), nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Kept) != 1 {
			t.Errorf("Kept = %v, want [1]", r.Kept)
		}
	})
	t.Run("large painting content", func(t *testing.T) {
		// 12 MiB of real operators (3/4 of the cap), across two streams.
		ops := bytes.Repeat([]byte("0 0 m 10 10 l S\n"), 3*maxContentBytes/4/16/2)
		d := onePage("/Contents[4 0 R 5 0 R]")
		d.stream(4, "/Filter/FlateDecode", deflate(t, ops, 0))
		d.stream(5, "/Filter/FlateDecode", deflate(t, ops, 0))
		r, err := Trim(context.Background(), d.bytes(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Kept) != 1 {
			t.Errorf("Kept = %v, want [1]", r.Kept)
		}
	})
	for name, in := range map[string][]byte{
		"object stream":                objStm(t, 3, 1<<20),
		"Flate cross-reference stream": objStmX(t, 3, 0, "/Type/XRef", "", 0),
	} {
		t.Run(name, func(t *testing.T) {
			r, err := Trim(context.Background(), in, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Kept) != 1 {
				t.Errorf("Kept = %v, want [1]", r.Kept)
			}
		})
	}
	t.Run("inherited resources", func(t *testing.T) {
		// Page 1 draws an empty form named in the resources of its parent
		// node (empty), page 2 a painting one of its own (non-empty), page
		// 3 sits in a subtree whose node overrides /F with a painting form.
		d := newTestPDF()
		d.obj(1, "<</Type/Catalog/Pages 2 0 R>>")
		d.obj(2, "<</Type/Pages/Count 3/Kids[3 0 R 4 0 R 9 0 R]/Resources<</XObject<</F 6 0 R>>>>>>")
		d.obj(3, "<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]/Contents 5 0 R>>")
		d.obj(4, "<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]/Contents 5 0 R/Resources<</XObject<</F 7 0 R>>>>>>")
		d.stream(5, "", []byte("/F Do"))
		d.stream(6, "/Type/XObject/Subtype/Form/BBox[0 0 10 10]", []byte("q Q"))
		d.stream(7, "/Type/XObject/Subtype/Form/BBox[0 0 10 10]", []byte("0 0 5 5 re f"))
		d.obj(8, "<</Type/Page/Parent 9 0 R/MediaBox[0 0 10 10]/Contents 5 0 R>>")
		d.obj(9, "<</Type/Pages/Parent 2 0 R/Count 1/Kids[8 0 R]/Resources<</XObject<</F 7 0 R>>>>>>")
		r, err := Trim(context.Background(), d.bytes(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(r.Kept, []int{2, 3}) || !slices.Equal(r.Empty, []int{1}) {
			t.Errorf("Kept = %v, Empty = %v; want [2 3], [1]", r.Kept, r.Empty)
		}
	})
	t.Run("many empty pages", func(t *testing.T) {
		// The emptiness check walks the page tree once: 10,000 empty pages
		// (MaxInputPages) took 36 s with pdfcpu's per-page lookup.
		const n = DefaultMaxInputPages
		d := newTestPDF()
		d.obj(1, "<</Type/Catalog/Pages 2 0 R>>")
		var kids strings.Builder
		for i := range n {
			fmt.Fprintf(&kids, "%d 0 R ", i+3)
		}
		d.obj(2, fmt.Sprintf("<</Type/Pages/Count %d/Kids[%s]/Resources<<>>>>", n, kids.String()))
		for i := range n {
			d.obj(i+3, "<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>")
		}
		start := time.Now()
		_, err := Trim(context.Background(), d.bytes(), nil)
		if !errors.Is(err, ErrAllEmpty) {
			t.Fatalf("error = %v, want ErrAllEmpty", err)
		}
		t.Logf("%d empty pages: %v", n, time.Since(start))
	})
}

// TestTrimLargeFlateScan checks that a raw (Flate) RGB image of an A4 scan
// at 600 dpi, 104 MB of samples and far over maxDecodeBytes, is decoded and
// resampled: image streams are decoded by Trim itself, limited by their
// declared pixels, not by pdfcpu's stream limit. Under the race detector
// the scan is 300 dpi (26 MB of samples, still over maxDecodeBytes).
func TestTrimLargeFlateScan(t *testing.T) {
	w, h := 4960, 7016 // A4 at 600 dpi
	if raceEnabled {
		w, h = 2480, 3508
	}
	pix := make([]byte, 3*w*h)
	for y := range h {
		row := pix[3*w*y : 3*w*(y+1)]
		for x := range w {
			row[3*x], row[3*x+1], row[3*x+2] = uint8(x*255/w), uint8(y*255/h), 200
		}
	}
	if int64(len(pix)) <= maxDecodeBytes {
		t.Fatalf("test image of %d bytes does not exceed maxDecodeBytes", len(pix))
	}
	d := onePage("/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</XObject<</Im 5 0 R>>>>")
	d.stream(4, "", []byte("q 595 0 0 842 0 0 cm /Im Do Q"))
	d.stream(5, fmt.Sprintf("/Type/XObject/Subtype/Image/Width %d/Height %d/ColorSpace/DeviceRGB/BitsPerComponent 8/Filter/FlateDecode", w, h), deflate(t, pix, 0))
	in := d.bytes()
	pix = nil
	r, err := Trim(context.Background(), in, &Options{FitImages: true})
	if err != nil {
		t.Fatalf("%d×%d Flate RGB scan (%d bytes): %v", w, h, len(in), err)
	}
	if r.ImagesResampled != 1 {
		t.Errorf("ImagesResampled = %d, want 1", r.ImagesResampled)
	}
	want := [2]int{1920 * w / h, 1920}
	if got := imageSizes(t, r.Data); len(got) != 1 || got[0][1] != want[1] || got[0][0] < want[0]-1 || got[0][0] > want[0]+1 {
		t.Errorf("image sizes %v, want [%v]", got, want)
	}
}
