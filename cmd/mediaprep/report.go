package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"

	"github.com/mediaprep/mediaprep/encode"
	"github.com/mediaprep/mediaprep/pdf"
	"github.com/mediaprep/mediaprep/preprocess"
)

// record is the JSON line printed for one input. Once the pipeline has
// produced a payload every field below is printed (zeros included: quality
// 0 on passthrough, output "" without -o); an input that failed before that
// prints only input, input_format (when sniffed), ms and error.
type record struct {
	Input       string      `json:"input"`
	Output      string      `json:"output"`
	InputFormat string      `json:"input_format"`
	InputWidth  int         `json:"input_width"`
	InputHeight int         `json:"input_height"`
	InputBytes  int         `json:"input_bytes"`
	MIME        string      `json:"mime"`
	Width       int         `json:"width"`
	Height      int         `json:"height"`
	Bytes       int         `json:"bytes"`
	Base64Bytes int         `json:"base64_bytes"`
	Quality     int         `json:"quality"`
	Passthrough bool        `json:"passthrough"`
	Orientation int         `json:"orientation"`
	Passes      int         `json:"passes"`
	*pdfFields              // PDFs only
	MS          float64     `json:"ms"`
	MediaID     string      `json:"media_id,omitempty"`
	Error       *errorField `json:"error,omitempty"`
}

// pdfFields are printed for PDF payloads only.
type pdfFields struct {
	PagesIn    int   `json:"pages_in"`
	PagesKept  []int `json:"pages_kept"`  // original page numbers
	PagesEmpty []int `json:"pages_empty"` // original numbers dropped as empty
}

// failedRecord is what a record prints when no payload was produced.
type failedRecord struct {
	Input string      `json:"input"`
	MS    float64     `json:"ms"`
	Error *errorField `json:"error"`
}

// MarshalJSON prints the short form for inputs that produced no payload.
func (r *record) MarshalJSON() ([]byte, error) {
	if r.MIME == "" && r.Error != nil {
		return json.Marshal(failedRecord{Input: r.Input, MS: r.MS, Error: r.Error})
	}
	type full record // without the method
	return json.Marshal((*full)(r))
}

type errorField struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// fill copies what the pipeline decided into r.
func (r *record) fill(p *preprocess.Payload) {
	r.InputFormat = string(p.InputFormat)
	r.InputWidth, r.InputHeight = p.InputWidth, p.InputHeight
	r.InputBytes = p.InputBytes
	r.MIME = p.MIMEType
	r.Width, r.Height = p.Width, p.Height
	r.Bytes = len(p.Data)
	r.Base64Bytes = p.DataURILen()
	r.Quality = p.Quality
	r.Passthrough = p.Passthrough
	r.Orientation = p.Orientation
	r.Passes = p.Passes
	if p.PDF != nil {
		r.pdfFields = &pdfFields{PagesIn: p.PDF.PagesIn, PagesKept: p.PDF.PagesKept, PagesEmpty: p.PDF.PagesEmpty}
		if r.PagesEmpty == nil {
			r.PagesEmpty = []int{}
		}
	}
}

func (r *record) fail(err error) {
	r.Error = &errorField{Kind: errorKind(err), Message: err.Error()}
}

// errorKind names the class of err for machines reading the JSON.
func errorKind(err error) string {
	kinds := []struct {
		target error
		kind   string
	}{
		{context.Canceled, "canceled"},
		{context.DeadlineExceeded, "timeout"},
		{preprocess.ErrUnsupportedFormat, "unsupported_format"},
		{preprocess.ErrTooLarge, "too_large"},
		{preprocess.ErrTooManyPixels, "too_many_pixels"},
		{preprocess.ErrCorrupt, "corrupt"},
		{preprocess.ErrInvalidOptions, "invalid_options"},
		{encode.ErrBudget, "budget"},
		{pdf.ErrEncrypted, "pdf_encrypted"},
		{pdf.ErrCorrupt, "pdf_corrupt"},
		{pdf.ErrNoPages, "pdf_no_pages"},
		{pdf.ErrAllEmpty, "pdf_all_empty"},
		{pdf.ErrBudget, "budget"},
		{pdf.ErrTooLarge, "too_large"},
		{errOutputExists, "output_exists"},
		{fs.ErrNotExist, "not_found"},
		{fs.ErrPermission, "permission"},
	}
	for _, k := range kinds {
		if errors.Is(err, k.target) {
			return k.kind
		}
	}
	if k := uploadErrorKind(err); k != "" {
		return k
	}
	return "error"
}

// emit writes r as one JSON line.
func emit(w io.Writer, r *record) error { return emitJSON(w, r) }

// emitJSON writes v as one JSON line.
func emitJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
