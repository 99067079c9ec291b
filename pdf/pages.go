package pdf

import (
	"errors"
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// errStopWalk ends a page walk early without an error.
var errStopWalk = errors.New("pdf: stop page walk")

// walkPages calls fn for every page of xt in document order, with its
// 1-based number, its dictionary and the resources in effect (its own or
// the nearest ancestor's), until fn returns an error (errStopWalk ends the
// walk and walkPages returns nil).
//
// It visits the page tree once: pdfcpu's PageDict walks it from the root for
// every page, which costs O(pages²) on a flat tree (10,000 empty pages, well
// within MaxInputPages, took 36 s). The tree has been validated by pdfcpu
// before (depth ≤ maxRecursion, page count known); cycles and excessive
// depth are refused again here all the same.
func walkPages(xt *model.XRefTable, fn func(nr int, page, res types.Dict) error) error {
	root, err := xt.Pages()
	if err != nil {
		return err
	}
	if root == nil {
		return nil
	}
	w := pageWalker{xt: xt, fn: fn, visiting: map[int]bool{}}
	if err := w.node(*root, nil, 0); err != nil && err != errStopWalk {
		return err
	}
	return nil
}

type pageWalker struct {
	xt       *model.XRefTable
	fn       func(nr int, page, res types.Dict) error
	nr       int
	visiting map[int]bool
}

// node visits the page tree node ir with inherited resources res.
func (w *pageWalker) node(ir types.IndirectRef, res types.Dict, depth int) error {
	if depth > maxRecursion {
		return fmt.Errorf("%w: page tree depth %d > %d", ErrTooLarge, depth, maxRecursion)
	}
	objNr := ir.ObjectNumber.Value()
	if w.visiting[objNr] {
		return fmt.Errorf("%w: page tree cycle at object %d", ErrCorrupt, objNr)
	}
	d, err := w.xt.DereferenceDict(ir)
	if err != nil {
		return err
	}
	if d == nil {
		return fmt.Errorf("%w: page tree node %d is missing", ErrCorrupt, objNr)
	}
	if o, found := d.Find("Resources"); found {
		r, err := w.xt.DereferenceDict(o)
		if err != nil {
			return err
		}
		res = r // a null /Resources leaves none in effect, as in pdfcpu
	}
	ko, hasKids := d.Find("Kids")
	if t := d.Type(); (t != nil && *t == "Page") || !hasKids {
		w.nr++
		if w.nr > w.xt.PageCount {
			return fmt.Errorf("%w: page tree has more pages than the %d counted", ErrCorrupt, w.xt.PageCount)
		}
		return w.fn(w.nr, d, res)
	}
	kids, err := w.xt.DereferenceArray(ko)
	if err != nil {
		return err
	}
	w.visiting[objNr] = true
	defer delete(w.visiting, objNr)
	for _, o := range kids {
		if o == nil {
			continue
		}
		kid, ok := o.(types.IndirectRef)
		if !ok {
			return fmt.Errorf("%w: page tree node %d: kid is not a reference", ErrCorrupt, objNr)
		}
		if err := w.node(kid, res, depth+1); err != nil {
			return err
		}
	}
	return nil
}
