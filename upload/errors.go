package upload

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// Sentinel errors, matched with errors.Is. An *APIError matches exactly one of
// the status sentinels (ErrUnauthorized, ErrSessionNotFound,
// ErrAlreadySubmitted, ErrValidation, ErrRateLimited, ErrServer) when its
// status has one. Error answers are not signature-checked (the API documents
// no signature on 401s); only 2xx bodies are trusted, after a check.
// Client-side failures match ErrInvalidMedia or ErrInvalidSessionID and are
// never sent.
var (
	// ErrUnauthorized is matched by an *APIError with HTTP status 401 (API key
	// or signature refused; vendor codes 1801–1819).
	ErrUnauthorized = errors.New("upload: unauthorized")
	// ErrSessionNotFound is matched by an *APIError with HTTP status 404.
	ErrSessionNotFound = errors.New("upload: session not found")
	// ErrAlreadySubmitted is matched by an *APIError with HTTP status 409: the
	// session was submitted and accepts no more media.
	ErrAlreadySubmitted = errors.New("upload: session already submitted")
	// ErrValidation is matched by an *APIError with HTTP status 400: the API
	// refused the request body (vendor codes 1101–1403, 1201, 1202).
	ErrValidation = errors.New("upload: rejected by API validation")
	// ErrRateLimited is matched by an *APIError with HTTP status 429.
	ErrRateLimited = errors.New("upload: rate limited")
	// ErrServer is matched by an *APIError with an HTTP status of 500 or more.
	ErrServer = errors.New("upload: server error")
	// ErrBadResponseSignature means a successful response carried no
	// x-hmac-signature header or one that matches none of the configured
	// secrets. The response body must not be trusted.
	ErrBadResponseSignature = errors.New("upload: bad response signature")
	// ErrBadResponse means a response body could not be decoded as the
	// documented JSON, or exceeded MaxResponseBytes.
	ErrBadResponse = errors.New("upload: malformed response")
	// ErrNetwork means the last attempt got no complete response: the
	// connection failed or was reset, the http.Client's Timeout cut it, or
	// the response body ended early. The error also wraps the cause: the
	// transport's *url.Error (matching context.DeadlineExceeded for a
	// timeout, context.Canceled when the caller's context ended the
	// attempt) or io.ErrUnexpectedEOF for a body cut short. The API may have
	// stored the media all the same.
	ErrNetwork = errors.New("upload: network error")
	// ErrInvalidMedia is matched by every *InvalidMediaError: the media failed
	// a client-side check and was not sent.
	ErrInvalidMedia = errors.New("upload: invalid media")
	// ErrInvalidSessionID means the session id is not a UUID; nothing was
	// sent.
	ErrInvalidSessionID = errors.New("upload: session id is not a UUID")
	// ErrInvalidOption is returned by New when an option is invalid.
	ErrInvalidOption = errors.New("upload: invalid option")
)

// APIError is a non-2xx answer of the API. Code is the vendor code as a
// string even when the API sent it as a JSON number ("" when absent);
// Message is the vendor message, truncated to 512 bytes. It matches the
// status sentinel for StatusCode with errors.Is. It never contains secrets,
// headers or request bodies.
type APIError struct {
	StatusCode int    // HTTP status, e.g. 400
	Code       string // vendor code, e.g. "1102"; "" if the body had none
	Message    string // vendor message
	Method     string // request method, e.g. "POST"
	Path       string // request path, e.g. "/v1/sessions/{id}/media"
	Attempts   int    // attempts made, including this one
}

// Error returns "upload: METHOD PATH: STATUS TEXT (code C): MESSAGE".
func (e *APIError) Error() string {
	s := "upload: " + e.Method + " " + e.Path + ": " + strconv.Itoa(e.StatusCode) + " " + http.StatusText(e.StatusCode)
	if e.Code != "" {
		s += " (code " + e.Code + ")"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Is reports whether target is the sentinel for e's status.
func (e *APIError) Is(target error) bool {
	s := statusSentinel(e.StatusCode)
	return s != nil && s == target
}

// Temporary reports whether the same request may succeed later (429, 5xx).
func (e *APIError) Temporary() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
}

func statusSentinel(status int) error {
	switch {
	case status == http.StatusUnauthorized:
		return ErrUnauthorized
	case status == http.StatusNotFound:
		return ErrSessionNotFound
	case status == http.StatusConflict:
		return ErrAlreadySubmitted
	case status == http.StatusBadRequest:
		return ErrValidation
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status >= 500 && status <= 599:
		return ErrServer
	}
	return nil
}

// InvalidMediaError says which field of a Media (or which limit) failed a
// client-side check. Code mirrors the vendor code the API would have answered
// where one exists ("1201" stale timestamp, "1402" unsupported context,
// "1400" empty content, "1104" otherwise). It matches ErrInvalidMedia.
type InvalidMediaError struct {
	Field  string // "context", "mimeType", "content", "timestamp"
	Code   string // mirrored vendor code
	Reason string // human-readable explanation, including the limit
}

// Error returns "upload: invalid media: FIELD: REASON (code C)".
func (e *InvalidMediaError) Error() string {
	return fmt.Sprintf("upload: invalid media: %s: %s (code %s)", e.Field, e.Reason, e.Code)
}

// Unwrap returns ErrInvalidMedia.
func (e *InvalidMediaError) Unwrap() error { return ErrInvalidMedia }
