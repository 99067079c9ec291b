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

// record is the JSON line printed for one input.
type record struct {
	Input       string      `json:"input"`
	Output      string      `json:"output,omitempty"`
	InputFormat string      `json:"input_format,omitempty"`
	InputWidth  int         `json:"input_width,omitempty"`
	InputHeight int         `json:"input_height,omitempty"`
	InputBytes  int         `json:"input_bytes,omitempty"`
	MIME        string      `json:"mime,omitempty"`
	Width       int         `json:"width,omitempty"`
	Height      int         `json:"height,omitempty"`
	Bytes       int         `json:"bytes,omitempty"`
	Base64Bytes int         `json:"base64_bytes,omitempty"`
	Quality     int         `json:"quality,omitempty"`
	Passthrough bool        `json:"passthrough"`
	Orientation int         `json:"orientation,omitempty"`
	Passes      int         `json:"passes,omitempty"`
	PagesIn     int         `json:"pages_in,omitempty"`
	PagesKept   []int       `json:"pages_kept,omitempty"`
	PagesEmpty  []int       `json:"pages_empty,omitempty"`
	MS          float64     `json:"ms"`
	MediaID     string      `json:"media_id,omitempty"`
	Error       *errorField `json:"error,omitempty"`
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
		r.PagesIn = p.PDF.PagesIn
		r.PagesKept = p.PDF.PagesKept
		r.PagesEmpty = p.PDF.PagesEmpty
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
