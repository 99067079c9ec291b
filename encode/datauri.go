package encode

import (
	"encoding/base64"
	"io"
	"sync"
)

// base64Suffix ends every data-URI prefix.
const base64Suffix = ";base64,"

// DataURIPrefix returns "data:" + mime + ";base64,". mime is not validated.
func DataURIPrefix(mime string) string { return "data:" + mime + base64Suffix }

// DataURILen returns the length in bytes of the data URI that carries n
// content bytes of type mime: the prefix plus padded standard base64. It does
// not allocate. A negative n counts as 0.
func DataURILen(mime string, n int) int {
	return len("data:") + len(mime) + len(base64Suffix) + base64.StdEncoding.EncodedLen(max(n, 0))
}

// maxContent returns the largest number of content bytes whose data URI of
// type mime is at most budget bytes long, or -1 when not even an empty
// data URI fits.
func maxContent(mime string, budget int) int {
	room := budget - DataURILen(mime, 0)
	if room < 0 {
		return -1
	}
	return room / 4 * 3
}

// AppendDataURI appends the data URI of data (type mime) to dst and returns
// the extended slice. It allocates at most once, to grow dst to the exact
// final size.
func AppendDataURI(dst []byte, mime string, data []byte) []byte {
	if n := DataURILen(mime, len(data)); cap(dst)-len(dst) < n {
		grown := make([]byte, len(dst), len(dst)+n)
		copy(grown, dst)
		dst = grown
	}
	dst = append(dst, "data:"...)
	dst = append(dst, mime...)
	dst = append(dst, base64Suffix...)
	return base64.StdEncoding.AppendEncode(dst, data)
}

// writeChunk is how many content bytes WriteDataURI encodes per Write: a
// multiple of 3, so only the last chunk carries padding.
const writeChunk = 48 << 10

var chunkPool = sync.Pool{New: func() any {
	b := make([]byte, base64.StdEncoding.EncodedLen(writeChunk))
	return &b
}}

// WriteDataURI writes the data URI of data (type mime) to w, encoding base64
// in 48 KiB chunks through a pooled 64 KiB buffer, so it never holds a second
// full copy of the payload. It returns the number of bytes written, which is
// DataURILen(mime, len(data)) on success, and the first error from w.
func WriteDataURI(w io.Writer, mime string, data []byte) (int64, error) {
	bp := chunkPool.Get().(*[]byte)
	defer chunkPool.Put(bp)
	buf := *bp
	prefix := append(buf[:0], "data:"...)
	prefix = append(prefix, mime...)
	prefix = append(prefix, base64Suffix...)
	var total int64
	n, err := w.Write(prefix)
	total += int64(n)
	if err != nil {
		return total, err
	}
	for len(data) > 0 {
		c := min(len(data), writeChunk)
		enc := buf[:base64.StdEncoding.EncodedLen(c)]
		base64.StdEncoding.Encode(enc, data[:c])
		n, err := w.Write(enc)
		total += int64(n)
		if err != nil {
			return total, err
		}
		data = data[c:]
	}
	return total, nil
}
