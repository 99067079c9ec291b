package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strconv"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// This file bounds the parser's work before the PDF library sees the bytes.
// pdfcpu parses every object of the file into memory at a cost of about
// 3 KB an object (measured: 100,000 small objects, 6 MB of file, peak RSS
// 312 MiB) and about 280 bytes a cross-reference entry, far more than the
// bytes that describe them, so both counts are checked on the raw bytes.
// It also decodes cross-reference streams with its built-in limit of
// 512 MiB instead of the configured one (a 4.7 MB file whose cross-reference
// stream inflates to 1 GiB peaked at 2 GiB and was accepted), so they are
// inflated here first, counting bytes without keeping them. (The catalog's
// XMP metadata, decoded by pdfcpu's validation the same way, is checked
// after parsing: see checkMetadata.)

// Limits of the cross-reference stream check.
const (
	// maxXRefSections caps the distinct cross-reference streams (reached
	// from startxref, /Prev or /XRefStm offsets) checked; a real file has
	// one per incremental update.
	maxXRefSections = 256
	// maxXRefDict bounds the bytes read for one cross-reference stream's
	// dictionary (real ones are well under 1 KB).
	maxXRefDict = 256 << 10
	// maxPrescanInflate caps the bytes inflated by all checks together.
	maxPrescanInflate = 4 * maxDecodeBytes
)

// prescanner holds the state of one prescan.
type prescanner struct {
	data     []byte
	checked  map[int]bool // object bodies of streams already checked
	visited  map[int]bool // object bodies looked at by checkXRefOffsets
	inflated int64        // bytes inflated so far
}

// prescan refuses, with an error matching ErrTooLarge, data whose objects,
// cross-reference entries or cross-reference streams exceed the work
// limits, and with ErrCorrupt cross-reference streams with filters other
// than FlateDecode. Cost: one pass over data plus inflating the
// cross-reference streams (at most maxDecodeBytes each, maxPrescanInflate
// in all) through a small buffer.
func prescan(data []byte) error {
	ps := &prescanner{data: data, checked: map[int]bool{}, visited: map[int]bool{}}
	if _, err := ps.countObjects(maxObjects); err != nil {
		return err
	}
	if _, err := countXRefEntries(data, maxXRefEntries); err != nil {
		return err
	}
	return ps.checkXRefOffsets()
}

// countObjects is prescanner.countObjects on data alone.
func countObjects(data []byte, limit int) (int, error) {
	ps := &prescanner{data: data, checked: map[int]bool{}, visited: map[int]bool{}}
	return ps.countObjects(limit)
}

// countObjects returns an upper bound of the number of objects pdfcpu would
// parse from data: every "N G obj" header in the file, plus the /N declared
// by every object stream (whose objects are compressed and so have no
// visible header). It stops counting, and returns an error matching
// ErrTooLarge, once the count exceeds limit. On the way it checks every
// stream of /Type /XRef (see checkXRefStream).
//
// The count is deliberately generous: objects redefined by incremental
// updates are counted once per definition, and an "obj" keyword inside a
// string or an uncompressed stream counts too. Each object's dictionary is
// read only up to the next object header, so the cost stays one pass.
func (ps *prescanner) countObjects(limit int) (int, error) {
	data := ps.data
	count := 0
	prev := -1 // end of the previous object header, -1 before the first
	body := func(end int) error {
		if prev < 0 {
			return nil
		}
		d, ok := parseRawDict(data[prev:end])
		if !ok {
			return nil
		}
		switch d.typ {
		case "ObjStm":
			if d.n > int64(limit) {
				return fmt.Errorf("%w: object stream declares %d objects, limit %d", ErrTooLarge, d.n, limit)
			}
			count += int(d.n)
		case "XRef":
			return ps.checkXRefStream(prev, d, data[prev+d.stream:])
		}
		return nil
	}
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("obj"))
		if j < 0 {
			break
		}
		at := i + j
		i = at + 3
		if !isObjHeader(data, at) {
			continue
		}
		if err := body(at); err != nil {
			return count, err
		}
		prev = at + 3
		count++
		if count > limit {
			return count, fmt.Errorf("%w: more than %d objects", ErrTooLarge, limit)
		}
	}
	if err := body(len(data)); err != nil {
		return count, err
	}
	if count > limit {
		return count, fmt.Errorf("%w: %d objects, limit %d", ErrTooLarge, count, limit)
	}
	return count, nil
}

// isObjHeader reports whether the "obj" at data[at:] is the keyword of an
// indirect object header "N G obj": a whole token preceded by whitespace
// and an integer (so "endobj" and names like /Subobj do not count).
func isObjHeader(data []byte, at int) bool {
	if end := at + 3; end < len(data) && isRegular(data[end]) {
		return false
	}
	k := at - 1
	if k < 0 || !isWhite(data[k]) {
		return false
	}
	for k >= 0 && isWhite(data[k]) {
		k--
	}
	return k >= 0 && data[k] >= '0' && data[k] <= '9'
}

// rawDict is what the prescan reads from an object's dictionary.
type rawDict struct {
	typ     string   // value of /Type, "" if none or not a name
	n       int64    // value of /N, 0 if none or not an integer
	filters []string // names in /Filter
	// filterOK is false when /Filter is present but not a name or an array
	// of names (e.g. an indirect reference).
	filterOK bool
	// stream is the offset of the stream data just after the "stream"
	// keyword and its end-of-line, -1 if the object is not a stream.
	stream int
}

// maxRawDictTokens bounds the tokens read from one dictionary.
const maxRawDictTokens = 1 << 16

// parseRawDict reads the dictionary at the start of an object body (the
// bytes after "obj"); ok is false when the body does not start with a
// well-formed dictionary. Only top-level /Type, /N and /Filter are read.
func parseRawDict(body []byte) (d rawDict, ok bool) {
	d.stream, d.filterOK = -1, true
	tz := tokenizer{buf: body}
	if tok, err := tz.next(); err != nil || tok.kind != tokDictOpen {
		return d, false
	}
	depth := 1 // open dictionaries and arrays
	expectKey := true
	key := ""
	inFilter := false // inside the /Filter array
	for range maxRawDictTokens {
		tok, err := tz.next()
		if err != nil || tok.kind == tokEOF || tok.kind == tokInlineImage {
			return d, false
		}
		switch tok.kind {
		case tokDictOpen, tokArrayOpen:
			if depth == 1 {
				if expectKey {
					return d, false
				}
				if key == "Filter" {
					if tok.kind == tokArrayOpen {
						inFilter = true
					} else {
						d.filterOK = false
					}
				}
			}
			depth++
			continue
		case tokDictClose, tokArrayClose:
			depth--
			if depth == 1 {
				inFilter, expectKey = false, true
			}
			if depth == 0 {
				if tok.kind != tokDictClose {
					return d, false
				}
				d.stream = streamStart(&tz)
				return d, true
			}
			continue
		}
		if inFilter && depth == 2 {
			if tok.kind == tokName {
				d.filters = append(d.filters, decodeName(tok.val))
			} else {
				d.filterOK = false
			}
			continue
		}
		if depth != 1 {
			continue
		}
		if expectKey {
			if tok.kind == tokName {
				key, expectKey = decodeName(tok.val), false
			}
			continue // the "0 R" of an indirect reference value
		}
		expectKey = true
		switch key {
		case "Type":
			if tok.kind == tokName {
				d.typ = decodeName(tok.val)
			}
		case "N":
			if tok.kind == tokNumber {
				d.n = parseCount(tok.val)
			}
		case "Filter":
			if tok.kind == tokName {
				d.filters = append(d.filters, decodeName(tok.val))
			} else if !(tok.kind == tokKeyword && string(tok.val) == "null") {
				d.filterOK = false
			}
		}
	}
	return d, false
}

// decodeName returns a name token's value with #xx escapes decoded.
func decodeName(b []byte) string {
	if bytes.IndexByte(b, '#') < 0 {
		return string(b)
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '#' && i+2 < len(b) {
			if v, err := strconv.ParseUint(string(b[i+1:i+3]), 16, 8); err == nil {
				out = append(out, byte(v))
				i += 2
				continue
			}
		}
		out = append(out, b[i])
	}
	return string(out)
}

// parseCount parses a non-negative integer token, saturating at 1<<40;
// anything else is 0.
func parseCount(b []byte) int64 {
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0
		}
		n = min(n*10+int64(c-'0'), 1<<40)
	}
	return n
}

// streamStart returns the offset of the stream data when the tokenizer is
// right before a "stream" keyword, else -1.
func streamStart(tz *tokenizer) int {
	tok, err := tz.next()
	if err != nil || tok.kind != tokKeyword || string(tok.val) != "stream" {
		return -1
	}
	p := tz.pos
	if p < len(tz.buf) && tz.buf[p] == '\r' {
		p++
	}
	if p < len(tz.buf) && tz.buf[p] == '\n' {
		p++
	}
	return p
}

// checkXRefOffsets checks, as cross-reference streams, the objects found
// at the offsets named by "startxref", /Prev and /XRefStm: pdfcpu reads
// whatever stream it finds there as one, whatever its /Type says.
func (ps *prescanner) checkXRefOffsets() error {
	data := ps.data
	for _, kw := range []string{"startxref", "/Prev", "/XRefStm"} {
		for i := 0; ; {
			j := bytes.Index(data[i:], []byte(kw))
			if j < 0 {
				break
			}
			i += j + len(kw)
			if i < len(data) && isRegular(data[i]) {
				continue // a longer keyword or name
			}
			off, _, ok := readUint(data, i)
			if !ok || off >= len(data) {
				continue
			}
			body, ok := objBodyAt(data, off)
			if !ok || ps.visited[body] {
				continue
			}
			if len(ps.visited) >= maxXRefSections {
				return fmt.Errorf("%w: more than %d cross-reference sections", ErrTooLarge, maxXRefSections)
			}
			ps.visited[body] = true
			// The dictionary is read within maxXRefDict, its stream to the end.
			d, ok := parseRawDict(data[body:min(len(data), body+maxXRefDict)])
			if !ok {
				continue
			}
			if err := ps.checkXRefStream(body, d, data[body+max(d.stream, 0):]); err != nil {
				return err
			}
		}
	}
	return nil
}

// objBodyAt returns the offset just after "N G obj" when an object header
// starts at data[off:] (after optional whitespace).
func objBodyAt(data []byte, off int) (int, bool) {
	_, p, ok := readUint(data, off)
	if !ok {
		return 0, false
	}
	if _, p, ok = readUint(data, p); !ok {
		return 0, false
	}
	for p < len(data) && isWhite(data[p]) {
		p++
	}
	if !bytes.HasPrefix(data[p:], []byte("obj")) || (p+3 < len(data) && isRegular(data[p+3])) {
		return 0, false
	}
	return p + 3, true
}

// checkXRefStream inflates a cross-reference stream (object body at key,
// dictionary d, raw starting at its data and possibly running past its
// end) without keeping the bytes, and refuses it with ErrTooLarge when it
// decodes to more than maxDecodeBytes. Only FlateDecode (possibly
// repeated) is accepted there, which every known writer uses; other
// filters could hide a bomb from this check and are refused with
// ErrCorrupt. Data that fails to inflate is left for pdfcpu to judge.
func (ps *prescanner) checkXRefStream(key int, d rawDict, raw []byte) error {
	if d.stream < 0 || len(d.filters) == 0 && d.filterOK || ps.checked[key] {
		return nil
	}
	ps.checked[key] = true
	if !d.filterOK {
		return fmt.Errorf("%w: cross-reference stream with an indirect or malformed /Filter", ErrCorrupt)
	}
	var r io.Reader = bytes.NewReader(raw)
	for _, f := range d.filters {
		if f != "FlateDecode" && f != "Fl" {
			return fmt.Errorf("%w: cross-reference stream with filter /%s (only /FlateDecode is accepted there)", ErrCorrupt, f)
		}
		zr, err := zlib.NewReader(r)
		if err != nil {
			return nil
		}
		r = zr
	}
	n, _ := io.Copy(io.Discard, io.LimitReader(r, maxDecodeBytes+1))
	ps.inflated += n
	if n > maxDecodeBytes {
		return fmt.Errorf("%w: cross-reference stream decodes to more than %d MiB", ErrTooLarge, maxDecodeBytes>>20)
	}
	if ps.inflated > maxPrescanInflate {
		return fmt.Errorf("%w: cross-reference streams decode to more than %d MiB in all", ErrTooLarge, maxPrescanInflate>>20)
	}
	return nil
}

// countXRefEntries sums the entry counts of the subsections of every
// classic cross-reference table ("xref" followed by "start count" lines) in
// data, and refuses more than limit with ErrTooLarge. pdfcpu makes a table
// entry for each, free ones included.
func countXRefEntries(data []byte, limit int) (int, error) {
	total := 0
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("xref"))
		if j < 0 {
			return total, nil
		}
		at := i + j
		i = at + 4
		if (at > 0 && !isWhite(data[at-1])) || (i < len(data) && !isWhite(data[i])) {
			continue // startxref, or part of a longer word
		}
		p := i
		for {
			start, p1, ok := readUint(data, p)
			if !ok {
				break
			}
			count, p2, ok := readUint(data, p1)
			if !ok || start < 0 {
				break
			}
			total += count
			if count > limit || total > limit {
				return total, fmt.Errorf("%w: more than %d cross-reference entries", ErrTooLarge, limit)
			}
			p = p2 + 20*count // each entry is 20 bytes
			if p >= len(data) {
				break
			}
		}
	}
}

// readUint skips whitespace at data[p:] and reads an unsigned integer of at
// most 10 digits; ok is false if there is none.
func readUint(data []byte, p int) (v, next int, ok bool) {
	for p < len(data) && isWhite(data[p]) {
		p++
	}
	q := p
	for q < len(data) && q-p <= 10 && data[q] >= '0' && data[q] <= '9' {
		v = v*10 + int(data[q]-'0')
		q++
	}
	if q == p || q-p > 10 || (q < len(data) && isRegular(data[q])) {
		return 0, p, false
	}
	return v, q, true
}

// checkMetadata refuses (ErrTooLarge) a document whose catalog /Metadata
// stream decodes to more than maxDecodeBytes. pdfcpu's validation decodes
// that stream with its built-in limit of 512 MiB (a 1.8 MB file inflating
// to 400 MiB of XMP peaked at 1.8 GiB and was accepted); decoding it here
// first, within our limit, keeps its later decode small. Anything that
// cannot be resolved is left for the validation to judge.
func checkMetadata(xt *model.XRefTable) error {
	cat, err := xt.Catalog()
	if err != nil || cat == nil {
		return nil
	}
	o, found := cat.Find("Metadata")
	if !found {
		return nil
	}
	sd, _, err := xt.DereferenceStreamDict(o)
	if err != nil || sd == nil {
		return nil
	}
	if _, err := decodeStream(sd, maxDecodeBytes); isDecodeLimit(err) {
		return fmt.Errorf("%w: catalog metadata stream decodes to more than %d MiB", ErrTooLarge, maxDecodeBytes>>20)
	}
	return nil
}
