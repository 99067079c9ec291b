package hostiletest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"strings"
)

// This file generates the bombs in memory. Each generator is deterministic
// and cheap (well under a second); the outputs are small (at most a few
// MB) while what they declare or inflate to is huge.

// zlibZeros returns a zlib stream that inflates to n zero bytes
// (compression level 1: 1 GiB of zeros takes about 1 s and gives 1.3 MB).
func zlibZeros(n int64) []byte {
	var b bytes.Buffer
	w, _ := zlib.NewWriterLevel(&b, zlib.BestSpeed)
	chunk := make([]byte, 1<<20)
	for n > 0 {
		k := min(n, int64(len(chunk)))
		_, _ = w.Write(chunk[:k])
		n -= k
	}
	_ = w.Close()
	return b.Bytes()
}

// zlibBytes returns the zlib stream of p at the best compression.
func zlibBytes(p []byte) []byte {
	var b bytes.Buffer
	w, _ := zlib.NewWriterLevel(&b, zlib.BestCompression)
	_, _ = w.Write(p)
	_ = w.Close()
	return b.Bytes()
}

// pngChunk appends a PNG chunk (length, type, data, CRC-32 of type+data).
func pngChunk(dst []byte, typ string, data []byte) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(data)))
	start := len(dst)
	dst = append(dst, typ...)
	dst = append(dst, data...)
	return binary.BigEndian.AppendUint32(dst, crc32.ChecksumIEEE(dst[start:]))
}

// pngZlibBomb returns an 8-bit RGBA PNG of w×h whose single IDAT chunk
// inflates to inflated zero bytes (filter None, transparent black). With
// inflated = h*(1+4w) it is a valid image; with more it carries a huge
// tail after the last row.
func pngZlibBomb(w, h int, inflated int64) []byte { return pngZlibBombDepth(w, h, 8, inflated) }

// pngZlibBombDepth is pngZlibBomb with the given bit depth (8 or 16; a
// valid 16-bit image needs inflated = h*(1+8w)).
func pngZlibBombDepth(w, h, depth int, inflated int64) []byte {
	b := []byte("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr,
		byte(depth), // bit depth
		6,           // colour type: RGBA
		0,           // compression: deflate
		0,           // filter method 0
		0)           // no interlace
	b = pngChunk(b, "IHDR", ihdr)
	b = pngChunk(b, "IDAT", zlibZeros(inflated))
	return pngChunk(b, "IEND", nil)
}

// jpegBits writes entropy-coded JPEG data MSB first, stuffing a zero byte
// after every 0xFF.
type jpegBits struct {
	out   []byte
	acc   uint32
	nbits uint
}

func (w *jpegBits) put(v uint32, n uint) {
	for i := int(n) - 1; i >= 0; i-- {
		w.acc = w.acc<<1 | (v>>uint(i))&1
		w.nbits++
		if w.nbits == 8 {
			w.emit(byte(w.acc))
			w.acc, w.nbits = 0, 0
		}
	}
}

func (w *jpegBits) emit(c byte) {
	w.out = append(w.out, c)
	if c == 0xFF {
		w.out = append(w.out, 0)
	}
}

// flush pads the last byte with one bits and returns the data.
func (w *jpegBits) flush() []byte {
	if w.nbits > 0 {
		w.emit(byte(w.acc<<(8-w.nbits)) | byte(0xFF>>w.nbits))
	}
	out := w.out
	*w = jpegBits{}
	return out
}

// jpegSegment appends marker FF m with its length-prefixed payload.
func jpegSegment(dst []byte, m byte, payload ...byte) []byte {
	dst = append(dst, 0xFF, m)
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(payload)+2))
	return append(dst, payload...)
}

// jpegScanBomb returns a valid progressive greyscale JPEG of w×h with one
// DC scan and then scans AC scans (spectral selection 1..63), each coding
// every block as part of an end-of-band run, so each is a dozen bytes but
// makes a decoder visit every block of the image again.
func jpegScanBomb(w, h, scans int) []byte {
	b := []byte{0xFF, 0xD8} // SOI
	dqt := []byte{0x00}     // 8-bit table 0
	for range 64 {
		dqt = append(dqt, 1)
	}
	b = jpegSegment(b, 0xDB, dqt...)
	b = jpegSegment(b, 0xC2, // SOF2: progressive, Huffman
		8,                   // precision
		byte(h>>8), byte(h), // height
		byte(w>>8), byte(w), // width
		1,          // components
		1, 0x11, 0) // id 1, 1x1 sampling, table 0
	// DC table 0: one symbol, category 0, with the 1-bit code "0".
	dht := []byte{0x00, 1}
	dht = append(dht, make([]byte, 15)...)
	b = jpegSegment(b, 0xC4, append(dht, 0x00)...)
	// AC table 0: the end-of-band runs EOB0..EOB14 (symbol n<<4 codes a
	// run of 2^n plus n extra bits). EOB14 has length 1, EOB0..EOB11
	// lengths 2..13, EOB12 and EOB13 length 15 (no all-ones code).
	syms := []byte{0xE0}
	for n := range 14 {
		syms = append(syms, byte(n<<4))
	}
	lens := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 15}
	dht = []byte{0x10}
	var counts [16]byte
	for _, l := range lens {
		counts[l-1]++
	}
	dht = append(dht, counts[:]...)
	b = jpegSegment(b, 0xC4, append(dht, syms...)...)
	// Canonical codes, in the order of syms.
	code := map[byte][2]uint32{} // symbol -> code, length
	c, i := uint32(0), 0
	for l := 1; l <= 16; l++ {
		for ; i < len(lens) && lens[i] == l; i++ {
			code[syms[i]] = [2]uint32{c, uint32(l)}
			c++
		}
		c <<= 1
	}
	blocks := ((w + 7) / 8) * ((h + 7) / 8)

	// DC first scan: every DC difference is 0 (code "0").
	b = jpegSegment(b, 0xDA, 1, 1, 0x00, 0, 0, 0x00)
	var bw jpegBits
	for range blocks {
		bw.put(0, 1)
	}
	b = append(b, bw.flush()...)

	// AC first scan: all blocks in end-of-band runs of at most 32767.
	for r := blocks; r > 0; {
		run := min(r, 32767)
		n := 0
		for run>>(n+1) != 0 {
			n++
		}
		k := code[byte(n<<4)]
		bw.put(k[0], uint(k[1]))
		bw.put(uint32(run-1<<n), uint(n))
		r -= run
	}
	ac := bw.flush()
	for range scans {
		b = jpegSegment(b, 0xDA, 1, 1, 0x00, 1, 63, 0x00)
		b = append(b, ac...)
	}
	return append(b, 0xFF, 0xD9) // EOI
}

// pdfDoc builds a PDF with a classic cross-reference table. Objects are
// numbered by the caller (1..n, in any order).
type pdfDoc struct {
	buf  bytes.Buffer
	offs map[int]int
}

func newPDF() *pdfDoc {
	d := &pdfDoc{offs: map[int]int{}}
	d.buf.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	return d
}

// obj writes object num with the given body (dictionary, array, ...).
func (d *pdfDoc) obj(num int, body string) {
	d.offs[num] = d.buf.Len()
	fmt.Fprintf(&d.buf, "%d 0 obj\n%s\nendobj\n", num, body)
}

// stream writes object num as a stream with dict entries extra (without
// << >>) and the raw (already encoded) data.
func (d *pdfDoc) stream(num int, extra string, data []byte) {
	d.offs[num] = d.buf.Len()
	fmt.Fprintf(&d.buf, "%d 0 obj\n<<%s/Length %d>>\nstream\n", num, extra, len(data))
	d.buf.Write(data)
	d.buf.WriteString("\nendstream\nendobj\n")
}

// bytes finishes the document with its xref table and trailer.
func (d *pdfDoc) bytes(root int) []byte {
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
	fmt.Fprintf(&d.buf, "trailer\n<</Size %d/Root %d 0 R>>\nstartxref\n%d\n%%%%EOF\n", n+1, root, xref)
	return d.buf.Bytes()
}

// pdfManyPages returns a PDF whose flat page tree holds n empty pages.
// countSays is the /Count written on the root (n when honest).
func pdfManyPages(n, countSays int) []byte {
	d := newPDF()
	d.obj(1, "<</Type/Catalog/Pages 2 0 R>>")
	var kids strings.Builder
	for i := range n {
		fmt.Fprintf(&kids, "%d 0 R ", i+3)
	}
	d.obj(2, fmt.Sprintf("<</Type/Pages/Count %d/Kids[%s]>>", countSays, kids.String()))
	for i := range n {
		d.obj(i+3, "<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>")
	}
	return d.bytes(1)
}

// pdfPageDAG returns a PDF whose page tree is a chain of depth Pages
// nodes, each listing the next one twice, so that depth+3 objects
// describe 2^depth pages. countSays is the root's /Count.
func pdfPageDAG(depth, countSays int) []byte {
	d := newPDF()
	d.obj(1, "<</Type/Catalog/Pages 2 0 R>>")
	for i := range depth {
		num, kid := i+2, i+3
		count := 1 << (depth - i)
		if i == 0 {
			count = countSays
		}
		parent := ""
		if i > 0 {
			parent = fmt.Sprintf("/Parent %d 0 R", num-1)
		}
		d.obj(num, fmt.Sprintf("<</Type/Pages%s/Count %d/Kids[%d 0 R %d 0 R]>>", parent, count, kid, kid))
	}
	d.obj(depth+2, fmt.Sprintf("<</Type/Page/Parent %d 0 R/MediaBox[0 0 10 10]/Contents %d 0 R>>", depth+1, depth+3))
	d.stream(depth+3, "", []byte("0 0 5 5 re f"))
	return d.bytes(1)
}

// pdfNested returns a one-page PDF whose catalog holds an object nested
// depth levels deep: open and close are "[" "]" or "<</A" ">>".
func pdfNested(depth int, open, close string) []byte {
	d := newPDF()
	nest := strings.Repeat(open, depth) + " 0" + strings.Repeat(close, depth)
	d.obj(1, "<</Type/Catalog/Pages 2 0 R/Nested "+nest+">>")
	d.obj(2, "<</Type/Pages/Count 1/Kids[3 0 R]>>")
	d.obj(3, "<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]/Contents 4 0 R>>")
	d.stream(4, "", []byte("0 0 5 5 re f"))
	return d.bytes(1)
}

// pdfHugeContent returns a one-page PDF whose content stream inflates to n
// NUL bytes (whitespace in PDF, so the page is empty only if a reader
// inflates it all to find out). With twice, the stream is Flate-encoded
// twice ([/FlateDecode /FlateDecode]): 1 GiB then takes about 5 KB.
func pdfHugeContent(n int64, twice bool) []byte {
	data, filter := zlibZeros(n), "/Filter/FlateDecode"
	if twice {
		data, filter = zlibBytes(data), "/Filter[/FlateDecode/FlateDecode]"
	}
	d := newPDF()
	d.obj(1, "<</Type/Catalog/Pages 2 0 R>>")
	d.obj(2, "<</Type/Pages/Count 1/Kids[3 0 R]>>")
	d.obj(3, "<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]/Contents 4 0 R>>")
	d.stream(4, filter, data)
	return d.bytes(1)
}

// pdfObjStmBomb returns a PDF (1.5, cross-reference stream) whose catalog,
// page tree and page live in object stream 4. The object stream declares
// declaredN objects (3 when honest) and its Flate data inflates to the
// three objects followed by pad zero bytes.
func pdfObjStmBomb(declaredN int, pad int64) []byte {
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
	plain := head.String() + body.String()
	first := len(head.String())
	// The zeros follow the objects inside the same zlib stream.
	var zb bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&zb, zlib.BestSpeed)
	_, _ = zw.Write([]byte(plain))
	chunk := make([]byte, 1<<20)
	for n := pad; n > 0; n -= int64(len(chunk)) {
		_, _ = zw.Write(chunk[:min(n, int64(len(chunk)))])
	}
	_ = zw.Close()

	var buf bytes.Buffer
	buf.WriteString("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
	offs := map[int]int{}
	offs[4] = buf.Len()
	fmt.Fprintf(&buf, "4 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>\nstream\n", declaredN, first, zb.Len())
	buf.Write(zb.Bytes())
	buf.WriteString("\nendstream\nendobj\n")
	content := []byte("0 0 5 5 re f")
	offs[5] = buf.Len()
	fmt.Fprintf(&buf, "5 0 obj\n<</Length %d>>\nstream\n%s\nendstream\nendobj\n", len(content), content)
	// Cross-reference stream, /W [1 4 2]: type, offset or stream number,
	// generation or index.
	var rows []byte
	row := func(typ byte, a uint32, b uint16) {
		rows = append(rows, typ)
		rows = binary.BigEndian.AppendUint32(rows, a)
		rows = binary.BigEndian.AppendUint16(rows, b)
	}
	offs[6] = buf.Len()
	row(0, 0, 65535)
	for i := range 3 {
		row(2, 4, uint16(i))
	}
	row(1, uint32(offs[4]), 0)
	row(1, uint32(offs[5]), 0)
	row(1, uint32(offs[6]), 0)
	fmt.Fprintf(&buf, "6 0 obj\n<</Type/XRef/Size 7/W[1 4 2]/Root 1 0 R/Length %d>>\nstream\n", len(rows))
	buf.Write(rows)
	buf.WriteString("\nendstream\nendobj\n")
	fmt.Fprintf(&buf, "startxref\n%d\n%%%%EOF\n", offs[6])
	return buf.Bytes()
}
