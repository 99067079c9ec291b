package upload

import (
	"encoding/base64"
	"fmt"
	"io"
	"strings"
)

// rawChunk is how many content bytes are encoded at a time; a multiple of 3
// so that only the last chunk carries base64 padding.
const rawChunk = 3 * 8192

// mediaBody describes the JSON body of a media upload without holding it:
//
//	{"image":{"context":"…","content":"data:<mime>;base64,<streamed>"[,"timestamp":"…"]}}
//
// Each call of open yields the same bytes, generated on the fly from the
// content, so the body can be signed in one pass and re-sent on retry while
// memory stays at two small chunk buffers per reader.
type mediaBody struct {
	prefix string
	suffix string
	src    io.ReaderAt
	size   int64
}

func newMediaBody(m *Media) *mediaBody {
	src, size := m.source()
	prefix := `{"image":{"context":` + quoteJSON(m.Context) + `,"content":"` + dataURIPrefix(m.MIMEType)
	suffix := `"`
	if !m.CaptureTime.IsZero() {
		suffix += `,"timestamp":"` + formatTimestamp(m.CaptureTime) + `"`
	}
	suffix += `}}`
	return &mediaBody{prefix: prefix, suffix: suffix, src: src, size: size}
}

// Len is the exact body length in bytes.
func (b *mediaBody) Len() int64 {
	return int64(len(b.prefix)) + base64Len(b.size) + int64(len(b.suffix))
}

// open returns a fresh reader over the whole body.
func (b *mediaBody) open() io.ReadCloser {
	return io.NopCloser(io.MultiReader(
		strings.NewReader(b.prefix),
		&base64Reader{src: b.src, size: b.size},
		strings.NewReader(b.suffix),
	))
}

// base64Reader streams the standard base64 encoding of src[0:size].
type base64Reader struct {
	src  io.ReaderAt
	off  int64
	size int64
	raw  []byte // rawChunk content bytes
	enc  []byte // their encoding
	pend []byte // part of enc not yet returned
}

func (r *base64Reader) Read(p []byte) (int, error) {
	if len(r.pend) == 0 {
		if r.off >= r.size {
			return 0, io.EOF
		}
		if r.raw == nil {
			r.raw = make([]byte, rawChunk)
			r.enc = make([]byte, base64.StdEncoding.EncodedLen(rawChunk))
		}
		n := int(min(int64(rawChunk), r.size-r.off))
		k, err := r.src.ReadAt(r.raw[:n], r.off)
		if k < n {
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return 0, fmt.Errorf("%w: content: ended at byte %d of Size %d: %w", ErrInvalidMedia, r.off+int64(k), r.size, err)
		}
		r.off += int64(n)
		m := base64.StdEncoding.EncodedLen(n)
		base64.StdEncoding.Encode(r.enc[:m], r.raw[:n])
		r.pend = r.enc[:m]
	}
	c := copy(p, r.pend)
	r.pend = r.pend[c:]
	return c, nil
}
