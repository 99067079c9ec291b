package upload

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxResponseBytes is the largest response body the client reads (1 MiB);
// a longer one is an ErrBadResponse.
const MaxResponseBytes = 1 << 20

// MediaResponse is the decoded 200 answer of an upload: the API's record of
// the media. Unknown fields are ignored; field order does not matter.
type MediaResponse struct {
	Status    string // "success"
	ID        string // media id (UUID), for GET /v1/media/{id}
	Name      string // usually the context
	Context   string // context of the media
	Size      int64  // stored size in bytes
	MIMEType  string // e.g. "image/jpeg"
	URL       string // download URL
	SessionID string // session the media belongs to
	// Attempts is how many requests were sent, 1 without retries.
	Attempts int
}

// SubmitResponse is the decoded 200 answer of Submit.
type SubmitResponse struct {
	Status             string // "success"
	ID                 string // session id
	VerificationStatus string // e.g. "submitted"
	// Attempts is how many requests were sent, 1 without retries.
	Attempts int
}

type wireMedia struct {
	Status string `json:"status"`
	Image  *struct {
		ID        string      `json:"id"`
		Name      string      `json:"name"`
		Context   string      `json:"context"`
		Size      json.Number `json:"size"`
		MIMEType  string      `json:"mimetype"`
		URL       string      `json:"url"`
		SessionID string      `json:"sessionId"`
	} `json:"image"`
}

// decodeMediaResponse decodes a 2xx media answer.
func decodeMediaResponse(raw []byte) (*MediaResponse, error) {
	var w wireMedia
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadResponse, err)
	}
	if w.Status != "success" {
		return nil, fmt.Errorf("%w: status %q, want \"success\"", ErrBadResponse, clip(w.Status))
	}
	if w.Image == nil || w.Image.ID == "" {
		return nil, fmt.Errorf("%w: no image.id", ErrBadResponse)
	}
	r := &MediaResponse{
		Status: w.Status, ID: w.Image.ID, Name: w.Image.Name, Context: w.Image.Context,
		MIMEType: w.Image.MIMEType, URL: w.Image.URL, SessionID: w.Image.SessionID,
	}
	if w.Image.Size != "" {
		f, err := strconv.ParseFloat(string(w.Image.Size), 64)
		if err != nil || f < 0 || f > math.MaxInt64/2 || f != math.Trunc(f) {
			return nil, fmt.Errorf("%w: image.size %s", ErrBadResponse, clip(string(w.Image.Size)))
		}
		r.Size = int64(f)
	}
	return r, nil
}

type wireSubmit struct {
	Status       string `json:"status"`
	Verification *struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	} `json:"verification"`
}

// decodeSubmitResponse decodes a 2xx PATCH answer.
func decodeSubmitResponse(raw []byte) (*SubmitResponse, error) {
	var w wireSubmit
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadResponse, err)
	}
	if w.Status != "success" {
		return nil, fmt.Errorf("%w: status %q, want \"success\"", ErrBadResponse, clip(w.Status))
	}
	r := &SubmitResponse{Status: w.Status}
	if w.Verification != nil {
		r.ID, r.VerificationStatus = w.Verification.ID, w.Verification.Status
	}
	return r, nil
}

// decodeAPIError fills code and message from an error body; it never fails:
// a body that is not the documented JSON leaves them empty (or puts a
// printable excerpt of a text body in Message).
func decodeAPIError(e *APIError, raw []byte) {
	var w struct {
		Code    json.RawMessage `json:"code"`
		Message json.RawMessage `json:"message"`
	}
	if json.Unmarshal(raw, &w) != nil {
		if t := bytes.TrimSpace(raw); len(t) > 0 && utf8.Valid(t) && !bytes.ContainsAny(t, "{[<") {
			e.Message = clip(string(t))
		}
		return
	}
	e.Code = clip(scalarString(w.Code))
	e.Message = clip(scalarString(w.Message))
}

// scalarString renders a JSON string or number as text; other values as "".
func scalarString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// clip bounds a server-supplied string kept in errors to 512 bytes of
// printable text.
func clip(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	if len(s) > 512 {
		s = s[:512]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return s
}
