package pdf

import (
	"errors"
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// This file decides whether a page is empty: whether anything on it would
// paint. The rules (see also Trim):
//   - painting operators are text shows (Tj TJ ' ") unless the text rendering
//     mode is 3 or 7 (invisible), path painting (S s f F f* B B* b b*),
//     shadings (sh), inline images (BI…EI) and XObjects (Do) that are images,
//     PostScript XObjects or Form XObjects whose own content paints;
//   - an annotation paints when it is not Hidden/NoView and its normal
//     appearance stream paints;
//   - anything that cannot be resolved or decoded (unknown XObject name,
//     undecodable stream, malformed content) counts as painting: a page is
//     only dropped when it is proven empty;
//   - a page whose content (its content streams, the Form XObjects they
//     draw and its annotation appearances) decodes to more than
//     maxContentBytes is refused with ErrTooLarge: keeping it unexamined
//     would let pdfcpu inflate it again later (ExtractPages decodes page
//     content with its own default limit of 512 MiB).

// resolver looks up XObjects for the operator scanner. It exists so the
// scanner can be tested without a PDF around it.
type resolver interface {
	// xobject resolves a name from the current resources to an XObject:
	// kind is "Image", "Form", "PS" or "" when unresolvable; for forms,
	// content is the decoded stream, res its resources (nil to inherit) and
	// id a key for memoisation (0 if none).
	xobject(res types.Dict, name string) (kind string, content []byte, formRes types.Dict, id int, err error)
}

// painter scans content streams for painting operators.
type painter struct {
	r      resolver
	budget int64 // decoded content bytes still allowed for this page
	// tooLarge records that the budget ran out or a stream hit the decode
	// limit: the page is then refused, not judged.
	tooLarge bool
	memo     map[memoKey]bool // form id → paints
	visited  map[int]bool     // forms on the current Do stack (cycle guard)
}

type memoKey struct {
	id        int
	invisible bool
}

// scanState is the part of the graphics state that matters for painting.
type scanState struct {
	invisible bool   // text rendering mode 3 or 7
	stack     []bool // saved invisible flags (q/Q)
	lastName  []byte // last name operand
	lastNum   float64
	haveNum   bool
}

// maxGStateDepth bounds q nesting tracked (deeper q's are still balanced by
// counting but share the innermost state).
const maxGStateDepth = 256

// paints reports whether the concatenation of streams, drawn with resources
// res at Form nesting depth, paints anything. It never returns false when in
// doubt.
func (p *painter) paints(streams [][]byte, res types.Dict, st *scanState, depth int) bool {
	for _, s := range streams {
		p.budget -= int64(len(s))
		if p.budget < 0 {
			p.tooLarge = true
			return true
		}
	}
	for _, s := range streams {
		if p.scan(s, res, st, depth) {
			return true
		}
	}
	return false
}

// scan tokenises one stream, carrying state across streams of one page.
func (p *painter) scan(b []byte, res types.Dict, st *scanState, depth int) bool {
	tz := tokenizer{buf: b}
	for {
		tok, err := tz.next()
		if err != nil {
			return true // malformed content: cannot prove it empty
		}
		switch tok.kind {
		case tokEOF:
			return false
		case tokInlineImage:
			return true
		case tokName:
			st.lastName = tok.val
			continue
		case tokNumber:
			st.lastNum, st.haveNum = numberValue(tok.val), true
			continue
		case tokKeyword:
		default:
			continue
		}
		switch string(tok.val) {
		case "true", "false", "null":
			continue // operands, not operators
		case "q":
			if len(st.stack) < maxGStateDepth {
				st.stack = append(st.stack, st.invisible)
			}
		case "Q":
			if n := len(st.stack); n > 0 {
				st.invisible = st.stack[n-1]
				st.stack = st.stack[:n-1]
			}
		case "Tr":
			if st.haveNum {
				m := int(st.lastNum)
				st.invisible = m == 3 || m == 7
			}
		case "Tj", "TJ", "'", "\"":
			if !st.invisible {
				return true
			}
		case "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh":
			return true
		case "Do":
			if p.doPaints(res, string(st.lastName), st.invisible, depth) {
				return true
			}
		}
		st.lastName, st.haveNum = nil, false
	}
}

// doPaints resolves a Do operand and reports whether drawing it paints.
func (p *painter) doPaints(res types.Dict, name string, invisible bool, depth int) bool {
	if name == "" || p.r == nil {
		return true
	}
	kind, content, formRes, id, err := p.r.xobject(res, name)
	if isDecodeLimit(err) {
		p.tooLarge = true
	}
	if err != nil || kind != "Form" {
		return true // images, PostScript, unresolvable: paints (or unknown)
	}
	if depth+1 > maxRecursion {
		return true
	}
	key := memoKey{id, invisible}
	if id != 0 {
		if v, ok := p.memo[key]; ok {
			return v
		}
		if p.visited[id] {
			return false // a cycle adds nothing that is not already being scanned
		}
		p.visited[id] = true
		defer delete(p.visited, id)
	}
	if formRes == nil {
		formRes = res // forms without resources inherit the page's (PDF 1.1 style)
	}
	// A form runs with the caller's graphics state, saved and restored.
	st := scanState{invisible: invisible}
	v := p.paints([][]byte{content}, formRes, &st, depth+1)
	if id != 0 {
		p.memo[key] = v
	}
	return v
}

// xrefResolver resolves XObjects through a pdfcpu cross-reference table.
type xrefResolver struct {
	xt *model.XRefTable
}

func (x xrefResolver) xobject(res types.Dict, name string) (string, []byte, types.Dict, int, error) {
	if res == nil {
		return "", nil, nil, 0, nil
	}
	o, found := res.Find("XObject")
	if !found {
		return "", nil, nil, 0, nil
	}
	xd, err := x.xt.DereferenceDict(o)
	if err != nil || xd == nil {
		return "", nil, nil, 0, err
	}
	ref, found := xd.Find(name)
	if !found {
		return "", nil, nil, 0, nil
	}
	id := 0
	if ir, ok := ref.(types.IndirectRef); ok {
		id = ir.ObjectNumber.Value()
	}
	sd, _, err := x.xt.DereferenceStreamDict(ref)
	if err != nil || sd == nil {
		return "", nil, nil, 0, err
	}
	sub := sd.Subtype()
	if sub == nil {
		return "", nil, nil, 0, nil
	}
	switch *sub {
	case "Image":
		return "Image", nil, nil, id, nil
	case "PS":
		return "PS", nil, nil, id, nil
	case "Form":
	default:
		return "", nil, nil, 0, nil
	}
	content, err := decodeStream(sd, maxContentBytes)
	if err != nil {
		return "", nil, nil, 0, err
	}
	var formRes types.Dict
	if ro, ok := sd.Find("Resources"); ok {
		if formRes, err = x.xt.DereferenceDict(ro); err != nil {
			return "", nil, nil, 0, err
		}
	}
	return "Form", content, formRes, id, nil
}

// decodeStream returns the decoded bytes of sd without modifying the
// cross-reference table's copy; decoding more than limit bytes is an error
// matching filter.ErrDecodeLimitExceeded (a limit below 1 counts as 1: pdfcpu
// reads 0 as its default of 512 MiB).
func decodeStream(sd *types.StreamDict, limit int64) ([]byte, error) {
	limit = max(limit, 1)
	c := *sd
	c.Content = nil
	if len(c.FilterPipeline) == 0 || len(c.Raw) == 0 {
		// No filter, or no bytes at all: a zero-length stream is empty
		// whatever its filter says (decoders report a premature EOF).
		return c.Raw, nil
	}
	if err := c.DecodeWithLimit(limit); err != nil {
		return nil, err
	}
	return c.Content, nil
}

// isDecodeLimit reports an error from decoding more than the limit.
func isDecodeLimit(err error) bool {
	return err != nil && errors.Is(err, filter.ErrDecodeLimitExceeded)
}

// errContentLimit is returned for a page whose decoded content exceeds
// maxContentBytes; Trim wraps it in ErrTooLarge.
var errContentLimit = fmt.Errorf("content decodes to more than %d MiB", maxContentBytes>>20)

// pagePaints reports whether the page with dictionary d, drawn with the
// resources res in effect, would paint anything. Its error is
// errContentLimit when the page's content exceeds maxContentBytes.
func pagePaints(xt *model.XRefTable, d, res types.Dict) (bool, error) {
	p := &painter{
		r:       xrefResolver{xt},
		budget:  maxContentBytes,
		memo:    map[memoKey]bool{},
		visited: map[int]bool{},
	}
	paints, err := p.page(xt, d, res)
	if p.tooLarge {
		return false, errContentLimit
	}
	return paints, err
}

// page is pagePaints with painter p.
func (p *painter) page(xt *model.XRefTable, d, res types.Dict) (bool, error) {
	if o, found := d.Find("Contents"); found {
		streams, ok, err := contentStreams(xt, o)
		if err != nil {
			return false, err
		}
		if !ok {
			return true, nil
		}
		var st scanState
		if p.paints(streams, res, &st, 0) {
			return true, nil
		}
	}
	return annotationsPaint(xt, p, d, res), nil
}

// contentStreams decodes a page's /Contents (a stream or an array of
// streams); ok is false when any of them cannot be resolved or decoded, and
// the error is errContentLimit when they decode to more than
// maxContentBytes.
func contentStreams(xt *model.XRefTable, o types.Object) (streams [][]byte, ok bool, err error) {
	if dangling(xt, o) {
		return nil, false, nil
	}
	o, err = xt.Dereference(o)
	if err != nil {
		return nil, false, nil
	}
	var refs types.Array
	switch v := o.(type) {
	case nil:
		return nil, true, nil
	case types.StreamDict:
		refs = types.Array{v}
	case types.Array:
		refs = v
	default:
		return nil, false, nil
	}
	var total int64
	for _, r := range refs {
		if dangling(xt, r) {
			return nil, false, nil
		}
		sd, _, err := xt.DereferenceStreamDict(r)
		if err != nil {
			return nil, false, nil
		}
		if sd == nil {
			continue // null entries paint nothing
		}
		b, err := decodeStream(sd, maxContentBytes-total)
		if isDecodeLimit(err) {
			return nil, false, errContentLimit
		}
		if err != nil {
			return nil, false, nil
		}
		total += int64(len(b))
		if total > maxContentBytes {
			return nil, false, errContentLimit
		}
		streams = append(streams, b)
	}
	return streams, true, nil
}

// Annotation flags (§12.5.3).
const (
	annotHidden = 1 << 1
	annotNoView = 1 << 5
)

// annotationsPaint reports whether any visible annotation of page dict d has
// a normal appearance that paints.
func annotationsPaint(xt *model.XRefTable, p *painter, d types.Dict, res types.Dict) bool {
	o, found := d.Find("Annots")
	if !found {
		return false
	}
	arr, err := xt.DereferenceArray(o)
	if err != nil {
		return true
	}
	for _, ao := range arr {
		ad, err := xt.DereferenceDict(ao)
		if err != nil {
			return true
		}
		if ad == nil {
			continue
		}
		if f := ad.IntEntry("F"); f != nil && *f&(annotHidden|annotNoView) != 0 {
			continue
		}
		apo, found := ad.Find("AP")
		if !found {
			continue
		}
		ap, err := xt.DereferenceDict(apo)
		if err != nil {
			return true
		}
		if ap == nil {
			continue
		}
		no, found := ap.Find("N")
		if !found {
			continue
		}
		if appearancePaints(xt, p, ad, no, res) {
			return true
		}
	}
	return false
}

// appearancePaints checks a normal appearance: a stream, or a dictionary of
// streams keyed by appearance state (the one named by /AS is used; without
// /AS, any that paints).
func appearancePaints(xt *model.XRefTable, p *painter, annot types.Dict, n types.Object, res types.Dict) bool {
	o, err := xt.Dereference(n)
	if err != nil {
		return true
	}
	var candidates []types.Object
	switch v := o.(type) {
	case nil:
		return false
	case types.StreamDict:
		candidates = []types.Object{n}
	case types.Dict:
		if as := annot.NameEntry("AS"); as != nil {
			if s, ok := v.Find(*as); ok {
				candidates = []types.Object{s}
			}
		} else {
			for _, s := range v {
				candidates = append(candidates, s)
			}
		}
	default:
		return true
	}
	for _, c := range candidates {
		if dangling(xt, c) {
			return true
		}
		sd, _, err := xt.DereferenceStreamDict(c)
		if err != nil {
			return true
		}
		if sd == nil {
			continue
		}
		b, err := decodeStream(sd, p.budget)
		if isDecodeLimit(err) {
			p.tooLarge = true
		}
		if err != nil {
			return true
		}
		var fres types.Dict
		if ro, ok := sd.Find("Resources"); ok {
			if fres, err = xt.DereferenceDict(ro); err != nil {
				return true
			}
		}
		if fres == nil {
			fres = res
		}
		var st scanState
		if p.paints([][]byte{b}, fres, &st, 1) {
			return true
		}
	}
	return false
}

// dangling reports an indirect reference to an object that is missing or
// free. Readers treat it as null, but in a damaged file it usually means lost
// content, so the emptiness check does not count it as empty.
func dangling(xt *model.XRefTable, o types.Object) bool {
	ir, ok := o.(types.IndirectRef)
	if !ok {
		return false
	}
	e, found := xt.FindTableEntry(ir.ObjectNumber.Value(), ir.GenerationNumber.Value())
	return !found || e == nil || e.Free || e.Object == nil
}
